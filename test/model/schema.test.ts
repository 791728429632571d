import { beforeAll, describe, expect, it } from "vitest";
import { cloneSchema, emptySchema, replayMigrations } from "../../src/model/schema.js";
import type { SchemaState } from "../../src/core/changes.js";
import { loadSqlParser, parseSqlMigration } from "../../src/parse/sql.js";

beforeAll(loadSqlParser);

function replay(...files: string[]): SchemaState {
  const migrations = files.map((text, index) => parseSqlMigration(text, `migrations/${index}.sql`, "sql"));
  return replayMigrations(emptySchema(), migrations, "notifications");
}

function columns(schema: SchemaState, table: string) {
  const found = schema.tables.get(table);
  if (!found) throw new Error(`no table ${table}`);
  return Object.fromEntries([...found.columns].map(([name, def]) => [name, `${def.type}${def.nullable ? "" : " not null"}`]));
}

describe("replaying SQL migrations into a schema", () => {
  it("creates tables with canonical types, nullability and the creating service", () => {
    const schema = replay("CREATE TABLE r10_token (id bigserial PRIMARY KEY, token varchar(64) NOT NULL, seen timestamptz);");
    expect(columns(schema, "r10_token")).toEqual({
      id: "bigint not null",
      token: "character varying(64) not null",
      seen: "timestamp with time zone",
    });
    expect(schema.tables.get("r10_token")?.createdBy).toBe("notifications");
  });

  it("keeps the first definition when CREATE TABLE IF NOT EXISTS runs again", () => {
    const schema = replay("CREATE TABLE r10_a (id int);", "CREATE TABLE IF NOT EXISTS r10_a (id int, extra text);");
    expect(Object.keys(columns(schema, "r10_a"))).toEqual(["id"]);
  });

  it("applies column changes in order and keeps the column's place on rename", () => {
    const schema = replay(
      "CREATE TABLE r10_a (id int, name text, note text);",
      "ALTER TABLE r10_a RENAME COLUMN name TO title; ALTER TABLE r10_a ALTER COLUMN id TYPE bigint;",
      "ALTER TABLE r10_a ALTER COLUMN title SET NOT NULL, DROP COLUMN note, ADD COLUMN IF NOT EXISTS score numeric(5,2);",
    );
    expect(columns(schema, "r10_a")).toEqual({ id: "bigint", title: "text not null", score: "numeric(5,2)" });
  });

  it("tracks defaults so that a later NOT NULL can be judged", () => {
    const schema = replay("CREATE TABLE r10_a (id int, n int DEFAULT 0, m int);", "ALTER TABLE r10_a ALTER COLUMN m SET DEFAULT 1, ALTER COLUMN n DROP DEFAULT;");
    const table = schema.tables.get("r10_a");
    expect(table?.columns.get("n")?.hasDefault).toBe(false);
    expect(table?.columns.get("m")?.hasDefault).toBe(true);
  });

  it("renames and drops tables, following foreign keys that point at them", () => {
    const schema = replay(
      "CREATE TABLE r10_parent (id int PRIMARY KEY); CREATE TABLE r10_child (id int, parent_id int REFERENCES r10_parent (id));",
      "ALTER TABLE r10_parent RENAME TO r10_mother;",
    );
    expect(schema.tables.has("r10_parent")).toBe(false);
    expect(schema.tables.get("r10_child")?.foreignKeys[0]?.references.table).toBe("r10_mother");
    const dropped = replay("CREATE TABLE r10_a (id int);", "DROP TABLE IF EXISTS r10_a;");
    expect(dropped.tables.size).toBe(0);
  });

  it("resolves DROP INDEX by the index name", () => {
    const schema = replay("CREATE TABLE r10_a (id int); CREATE INDEX r10_a_id ON r10_a (id);");
    expect(schema.tables.get("r10_a")?.indexes.has("r10_a_id")).toBe(true);
    replayMigrations(schema, [parseSqlMigration("DROP INDEX r10_a_id;", "m.sql", "sql")], "notifications");
    expect(schema.tables.get("r10_a")?.indexes.size).toBe(0);
  });

  it("ignores changes to tables no history created, instead of inventing them", () => {
    const schema = replay("ALTER TABLE auth_user ADD COLUMN nickname text;");
    expect(schema.tables.size).toBe(0);
  });

  it("clones deeply: changing the clone leaves the original alone", () => {
    const schema = replay("CREATE TABLE r10_a (id int);");
    const copy = cloneSchema(schema);
    replayMigrations(copy, [parseSqlMigration("ALTER TABLE r10_a ADD COLUMN x int;", "m.sql", "sql")], "notifications");
    expect(Object.keys(columns(schema, "r10_a"))).toEqual(["id"]);
    expect(Object.keys(columns(copy, "r10_a"))).toEqual(["id", "x"]);
  });
});
