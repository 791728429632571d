// A generated corpus of SQL statements over a shared schema: idempotent migration DDL of
// every kind the SQL layer turns into changes, and the queries services send (joins, CTEs,
// upserts, subqueries) with `$n` parameters, as pgx and psycopg pass them.
import { SeededRandom } from "./random.js";

export interface SqlStatementSample {
  kind: "ddl" | "query";
  /** One statement, with its closing semicolon. */
  sql: string;
}

const COLUMN_TYPES = ["integer", "bigint", "text", "varchar(120)", "boolean", "timestamptz", "uuid", "jsonb", "numeric(8,2)"];

interface TableShape {
  name: string;
  columns: string[];
}

function tablesOf(random: SeededRandom, count: number): TableShape[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `r10_entity_${String(index + 1).padStart(3, "0")}`,
    columns: ["id", "created_at", ...Array.from({ length: 3 + random.below(6) }, (_, column) => `attr_${index + 1}_${column + 1}`)],
  }));
}

const DDL_WEIGHTS = {
  createTable: 5,
  addColumn: 6,
  dropColumn: 2,
  renameColumn: 2,
  alterType: 2,
  setNotNull: 2,
  createIndex: 5,
  addForeignKey: 2,
  renameTable: 1,
  dropTable: 1,
  doBlock: 1,
} as const;

const QUERY_WEIGHTS = {
  select: 8,
  join: 5,
  cte: 2,
  upsert: 4,
  update: 4,
  delete: 2,
  subquery: 2,
  aggregate: 2,
} as const;

class CorpusWriter {
  private serial = 0;

  constructor(
    private readonly random: SeededRandom,
    private readonly tables: TableShape[],
  ) {}

  private table(): TableShape {
    return this.random.pick(this.tables);
  }

  private column(table: TableShape): string {
    return this.random.pick(table.columns.slice(2));
  }

  private next(): number {
    return ++this.serial;
  }

  ddl(): string {
    const table = this.table();
    const column = this.column(table);
    const serial = this.next();
    switch (this.random.weighted(DDL_WEIGHTS)) {
      case "createTable": {
        const other = this.table();
        const columns = Array.from({ length: 2 + this.random.below(6) }, (_, index) => `    extra_${serial}_${index} ${this.random.pick(COLUMN_TYPES)}${this.random.next() < 0.5 ? " NOT NULL" : ""}`);
        return [
          `CREATE TABLE IF NOT EXISTS r10_created_${serial} (`,
          "    id bigserial PRIMARY KEY,",
          `    ${other.name.replace(/^r10_/, "")}_id bigint REFERENCES ${other.name} (id) ON DELETE CASCADE,`,
          ...columns.map((line) => `${line},`),
          "    created_at timestamptz NOT NULL DEFAULT now()",
          ");",
        ].join("\n");
      }
      case "addColumn":
        return `ALTER TABLE ${table.name} ADD COLUMN IF NOT EXISTS added_${serial} ${this.random.pick(COLUMN_TYPES)} DEFAULT NULL;`;
      case "dropColumn":
        return `ALTER TABLE ${table.name} DROP COLUMN IF EXISTS ${column};`;
      case "renameColumn":
        return `ALTER TABLE ${table.name} RENAME COLUMN ${column} TO ${column}_v${serial};`;
      case "alterType":
        return `ALTER TABLE ${table.name} ALTER COLUMN ${column} TYPE ${this.random.pick(COLUMN_TYPES)} USING ${column}::text::${this.random.pick(["text", "varchar(200)"])};`;
      case "setNotNull":
        return `ALTER TABLE ${table.name} ALTER COLUMN ${column} SET NOT NULL;`;
      case "createIndex":
        return `CREATE ${this.random.next() < 0.3 ? "UNIQUE " : ""}INDEX CONCURRENTLY IF NOT EXISTS ${table.name}_${column}_idx_${serial} ON ${table.name} (${column}, created_at DESC) WHERE ${column} IS NOT NULL;`;
      case "addForeignKey": {
        const other = this.table();
        return `ALTER TABLE ${table.name} ADD CONSTRAINT ${table.name}_fk_${serial} FOREIGN KEY (${column}) REFERENCES ${other.name} (id) NOT VALID;`;
      }
      case "renameTable":
        return `ALTER TABLE IF EXISTS ${table.name} RENAME TO ${table.name}_v${serial};`;
      case "dropTable":
        return `DROP TABLE IF EXISTS r10_obsolete_${serial} CASCADE;`;
      case "doBlock":
        return [
          "DO $$",
          "BEGIN",
          `    ALTER TABLE ${table.name} ADD CONSTRAINT ${table.name}_check_${serial} CHECK (${column} IS NOT NULL) NOT VALID;`,
          "EXCEPTION WHEN duplicate_object THEN NULL;",
          "END $$;",
        ].join("\n");
    }
  }

  query(): string {
    const table = this.table();
    const columns = table.columns.slice(0, 2 + this.random.below(table.columns.length - 1));
    const column = this.column(table);
    switch (this.random.weighted(QUERY_WEIGHTS)) {
      case "select":
        return `SELECT ${columns.join(", ")} FROM ${table.name} WHERE ${column} = $1 AND created_at > $2 ORDER BY created_at DESC LIMIT 50;`;
      case "join": {
        const other = this.table();
        return `SELECT a.id, a.${column}, b.${this.column(other)} FROM ${table.name} a JOIN ${other.name} b ON b.id = a.id LEFT JOIN r10_device d ON d.id = $1 WHERE a.${column} IS NOT NULL;`;
      }
      case "cte":
        return `WITH recent AS (SELECT id, ${column} FROM ${table.name} WHERE created_at > now() - interval '1 day') SELECT r.id, r.${column} FROM recent r WHERE r.id > $1;`;
      case "upsert":
        return `INSERT INTO ${table.name} (id, ${column}, created_at) VALUES ($1, $2, now()) ON CONFLICT (id) DO UPDATE SET ${column} = EXCLUDED.${column} RETURNING id;`;
      case "update":
        return `UPDATE ${table.name} SET ${column} = $1 WHERE id = $2 AND created_at < now();`;
      case "delete":
        return `DELETE FROM ${table.name} WHERE created_at < $1 AND ${column} IS NULL;`;
      case "subquery": {
        const other = this.table();
        return `SELECT id FROM ${table.name} WHERE id IN (SELECT ${this.column(other)}::bigint FROM ${other.name} WHERE id = ANY($1));`;
      }
      case "aggregate":
        return `SELECT ${column}, count(*) AS total FROM ${table.name} GROUP BY ${column} HAVING count(*) > $1;`;
    }
  }
}

/** `count` statements, `ddlShare` of them DDL, in a seeded order. */
export function generateSqlCorpus(count: number, seed: number, ddlShare = 0.4): SqlStatementSample[] {
  const random = new SeededRandom(seed);
  const writer = new CorpusWriter(random, tablesOf(random, 80));
  return Array.from({ length: count }, () => (random.next() < ddlShare ? { kind: "ddl", sql: writer.ddl() } : { kind: "query", sql: writer.query() }));
}
