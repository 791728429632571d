// What the live database really has, read from pg_catalog: every ordinary and partitioned
// table of the current schema (usually `public`), its columns in order, typed as
// PostgreSQL's `format_type` spells them (the spelling `schema` prints).
import pg from "pg";
import type { ColumnSchema } from "../core/changes.js";

export interface LiveTable {
  columns: Map<string, ColumnSchema>;
}

export interface LiveSchema {
  /** The connection URL without its password, for the report. */
  database: string;
  /** The schema that was read (`current_schema()`). */
  schemaName: string;
  tables: Map<string, LiveTable>;
}

const COLUMNS_QUERY = `
  SELECT c.relname AS table_name,
         a.attname AS column_name,
         format_type(a.atttypid, a.atttypmod) AS column_type,
         NOT a.attnotnull AS nullable
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
   WHERE n.nspname = current_schema()
     AND c.relkind IN ('r', 'p')
     AND NOT c.relispartition
     AND a.attnum > 0
     AND NOT a.attisdropped
   ORDER BY c.relname, a.attnum`;

interface ColumnRow {
  table_name: string;
  column_name: string;
  column_type: string;
  nullable: boolean;
}

/** `postgres://user:secret@host/db` → `postgres://user@host/db`: reports never show a password. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "the database";
  }
}

/** Reads the live schema; connection and query failures are thrown, with the server's reason. */
export async function readLiveSchema(url: string, timeoutMs = 10_000): Promise<LiveSchema> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs * 3 });
  await client.connect();
  try {
    const result = await client.query<ColumnRow>(COLUMNS_QUERY);
    const schemaName = (await client.query<{ name: string | null }>("SELECT current_schema() AS name")).rows[0]?.name ?? "public";
    const tables = new Map<string, LiveTable>();
    for (const row of result.rows) {
      let table = tables.get(row.table_name);
      if (!table) {
        table = { columns: new Map() };
        tables.set(row.table_name, table);
      }
      table.columns.set(row.column_name, { type: row.column_type, nullable: row.nullable });
    }
    return { database: withoutPassword(url), schemaName, tables };
  } finally {
    await client.end();
  }
}
