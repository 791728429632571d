import { beforeAll, describe, expect, test } from "vitest";
import { analyzeSql, loadSqlParser } from "../../src/parse/sql.js";
import type { ColumnDefinition, SchemaChange } from "../../src/core/changes.js";

beforeAll(loadSqlParser);

/** A change as the tests spell it: without its location. */
type WithoutLoc<T> = T extends unknown ? Omit<T, "loc"> : never;
type Change = WithoutLoc<SchemaChange>;

function changesOf(sql: string): Change[] {
  const analysis = analyzeSql(sql, { file: "m.sql", line: 1, context: "migration" });
  expect(analysis.unparsed).toEqual([]);
  return analysis.statements.flatMap((statement) => statement.changes.map(({ loc: _loc, ...change }) => change));
}

function column(name: string, type: string, overrides: Partial<ColumnDefinition> = {}): ColumnDefinition {
  return { name, type, nullable: true, hasDefault: false, primaryKey: false, unique: false, ...overrides };
}

function columnsOf(sql: string): ColumnDefinition[] {
  const [change] = changesOf(sql);
  if (change?.kind !== "create-table") throw new Error(`expected create-table, got ${change?.kind}`);
  return change.columns;
}

describe("CREATE TABLE column types use PostgreSQL's canonical names", () => {
  test.each([
    ["int", "integer"],
    ["int4", "integer"],
    ["integer", "integer"],
    ["bigint", "bigint"],
    ["int8", "bigint"],
    ["smallint", "smallint"],
    ["varchar(120)", "character varying(120)"],
    ["character varying", "character varying"],
    ["text", "text"],
    ["bool", "boolean"],
    ["boolean", "boolean"],
    ["timestamptz", "timestamp with time zone"],
    ["timestamp with time zone", "timestamp with time zone"],
    ["timestamp", "timestamp without time zone"],
    ["timestamp(3)", "timestamp(3) without time zone"],
    ["numeric(10,2)", "numeric(10,2)"],
    ["numeric(10,0)", "numeric(10,0)"],
    ["decimal", "numeric"],
    ["uuid", "uuid"],
    ["jsonb", "jsonb"],
    ["double precision", "double precision"],
    ["float8", "double precision"],
    ["real", "real"],
    ["char(3)", "character(3)"],
    ["text[]", "text[]"],
    ["integer[][]", "integer[][]"],
    ["date", "date"],
    ["interval", "interval"],
    ["mood", "mood"],
    ["public.mood", "mood"],
    ["billing.currency", "billing.currency"],
  ])("%s → %s", (declared, canonical) => {
    expect(columnsOf(`CREATE TABLE t (c ${declared});`)[0]?.type).toBe(canonical);
  });

  test.each([
    ["serial", "integer"],
    ["bigserial", "bigint"],
    ["smallserial", "smallint"],
  ])("%s is %s, not null, with a default", (declared, canonical) => {
    const sequence = { defaultVolatility: "volatile" as const, defaultText: "nextval() of its serial sequence" };
    expect(columnsOf(`CREATE TABLE t (id ${declared});`)).toEqual([column("id", canonical, { nullable: false, hasDefault: true, ...sequence })]);
  });
});

describe("CREATE TABLE columns and constraints", () => {
  test("nullability, defaults, inline primary key, unique and references", () => {
    const columns = columnsOf(`
      CREATE TABLE r10_device (
        id uuid PRIMARY KEY,
        token text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        note text NULL,
        user_id bigint REFERENCES auth_user (id) ON DELETE CASCADE,
        company_id int REFERENCES public.r10_company,
        version int GENERATED ALWAYS AS IDENTITY
      );`);
    expect(columns).toEqual([
      column("id", "uuid", { nullable: false, primaryKey: true }),
      column("token", "text", { nullable: false, unique: true }),
      column("created_at", "timestamp with time zone", { nullable: false, hasDefault: true, defaultVolatility: "stable", defaultText: "now()" }),
      column("note", "text"),
      column("user_id", "bigint", { references: { table: "auth_user", columns: ["id"] } }),
      column("company_id", "integer", { references: { table: "r10_company", columns: [] } }),
      column("version", "integer", { nullable: false, hasDefault: true, defaultVolatility: "volatile", defaultText: "an identity sequence" }),
    ]);
  });

  test("table constraints: primary key, unique, foreign key, check", () => {
    const [change] = changesOf(`
      CREATE TABLE r10_membership (
        user_id bigint,
        team_id bigint,
        code text,
        CONSTRAINT r10_membership_pk PRIMARY KEY (user_id, team_id),
        UNIQUE (code),
        CONSTRAINT team_fk FOREIGN KEY (team_id) REFERENCES billing.team (id),
        CHECK (user_id > 0)
      );`);
    expect(change).toMatchObject({
      kind: "create-table",
      table: "r10_membership",
      ifNotExists: false,
      columns: [
        column("user_id", "bigint", { nullable: false, primaryKey: true }),
        column("team_id", "bigint", { nullable: false, primaryKey: true }),
        column("code", "text", { unique: true }),
      ],
      constraints: [
        { kind: "primary-key", name: "r10_membership_pk", columns: ["user_id", "team_id"] },
        { kind: "unique", columns: ["code"] },
        { kind: "foreign-key", name: "team_fk", columns: ["team_id"], references: { table: "billing.team", columns: ["id"] }, notValid: false },
        { kind: "check", notValid: false },
      ],
    });
  });

  test("inline CHECK goes to the table constraints", () => {
    const [change] = changesOf("CREATE TABLE t (n int CONSTRAINT positive CHECK (n > 0));");
    expect(change).toMatchObject({ constraints: [{ kind: "check", name: "positive", notValid: false }] });
  });

  test.each([
    ["CREATE TABLE IF NOT EXISTS t (a int);", "t", true],
    ["CREATE TABLE Public.Orders (a int);", "orders", false],
    ['CREATE TABLE "MixedCase" (a int);', "MixedCase", false],
    ["CREATE TABLE billing.invoice (a int);", "billing.invoice", false],
  ])("%s names table %s", (sql, table, ifNotExists) => {
    expect(changesOf(sql)).toMatchObject([{ kind: "create-table", table, ifNotExists }]);
  });

  test("quoted column names keep their case, unquoted are lower-cased", () => {
    expect(columnsOf('CREATE TABLE t ("CamelCase" int, UPPER int);').map((c) => c.name)).toEqual(["CamelCase", "upper"]);
  });

  test("CREATE TABLE … (LIKE other) is reported as not understood", () => {
    const analysis = analyzeSql("CREATE TABLE copy (LIKE original INCLUDING ALL);", { file: "m.sql", line: 1, context: "migration" });
    expect(analysis.statements[0]?.changes).toMatchObject([{ kind: "create-table", table: "copy", columns: [] }]);
    expect(analysis.unparsed).toMatchObject([{ loc: { line: 1 }, reason: expect.stringContaining("LIKE original") }]);
  });

  test("CREATE TABLE AS with a column list", () => {
    expect(changesOf("CREATE TABLE IF NOT EXISTS snapshot (a, b) AS SELECT x, y FROM source;")).toMatchObject([
      { kind: "create-table", table: "snapshot", ifNotExists: true, columns: [{ name: "a", type: "unknown" }, { name: "b", type: "unknown" }] },
    ]);
  });
});

describe("DROP, RENAME, TRUNCATE", () => {
  test.each<[string, Change[]]>([
    ["DROP TABLE a;", [{ kind: "drop-table", table: "a", ifExists: false, cascade: false }]],
    [
      "DROP TABLE IF EXISTS a, public.b, s.c CASCADE;",
      [
        { kind: "drop-table", table: "a", ifExists: true, cascade: true },
        { kind: "drop-table", table: "b", ifExists: true, cascade: true },
        { kind: "drop-table", table: "s.c", ifExists: true, cascade: true },
      ],
    ],
    ["ALTER TABLE old_name RENAME TO new_name;", [{ kind: "rename-table", table: "old_name", newName: "new_name" }]],
    ["ALTER TABLE IF EXISTS s.old RENAME TO new;", [{ kind: "rename-table", table: "s.old", newName: "s.new" }]],
    ["ALTER TABLE t SET SCHEMA archive;", [{ kind: "rename-table", table: "t", newName: "archive.t" }]],
    ["ALTER TABLE t RENAME COLUMN a TO b;", [{ kind: "rename-column", table: "t", column: "a", newName: "b" }]],
    ["ALTER TABLE t RENAME a TO b;", [{ kind: "rename-column", table: "t", column: "a", newName: "b" }]],
    ["TRUNCATE a, b;", [{ kind: "truncate", table: "a" }, { kind: "truncate", table: "b" }]],
    ["TRUNCATE TABLE ONLY a RESTART IDENTITY;", [{ kind: "truncate", table: "a" }]],
    ["ALTER INDEX i RENAME TO j;", []],
    ["DROP VIEW v;", []],
  ])("%s", (sql, expected) => {
    expect(changesOf(sql)).toEqual(expected);
  });
});

describe("ALTER TABLE subcommands", () => {
  test.each<[string, Change[]]>([
    ["ALTER TABLE t ADD COLUMN c text NOT NULL DEFAULT '';", [{ kind: "add-column", table: "t", column: column("c", "text", { nullable: false, hasDefault: true, defaultVolatility: "immutable", defaultText: "a constant" }), ifNotExists: false }]],
    ["ALTER TABLE t ADD COLUMN IF NOT EXISTS c int;", [{ kind: "add-column", table: "t", column: column("c", "integer"), ifNotExists: true }]],
    ["ALTER TABLE t ADD c int REFERENCES u(id);", [{ kind: "add-column", table: "t", column: column("c", "integer", { references: { table: "u", columns: ["id"] } }), ifNotExists: false }]],
    ["ALTER TABLE t DROP COLUMN c;", [{ kind: "drop-column", table: "t", column: "c", ifExists: false }]],
    ["ALTER TABLE t DROP COLUMN IF EXISTS c CASCADE;", [{ kind: "drop-column", table: "t", column: "c", ifExists: true, cascade: true }]],
    ["ALTER TABLE t ALTER COLUMN c TYPE bigint;", [{ kind: "alter-column-type", table: "t", column: "c", newType: "bigint" }]],
    ["ALTER TABLE t ALTER c SET DATA TYPE varchar(20) USING c::varchar;", [{ kind: "alter-column-type", table: "t", column: "c", newType: "character varying(20)" }]],
    ["ALTER TABLE t ALTER COLUMN c SET NOT NULL;", [{ kind: "set-not-null", table: "t", column: "c" }]],
    ["ALTER TABLE t ALTER COLUMN c DROP NOT NULL;", [{ kind: "drop-not-null", table: "t", column: "c" }]],
    ["ALTER TABLE t ALTER COLUMN c SET DEFAULT 0;", [{ kind: "set-default", table: "t", column: "c" }]],
    ["ALTER TABLE t ALTER COLUMN c DROP DEFAULT;", [{ kind: "drop-default", table: "t", column: "c" }]],
    [
      "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (u_id) REFERENCES public.u (id) NOT VALID;",
      [{ kind: "add-constraint", table: "t", constraint: { kind: "foreign-key", name: "fk", columns: ["u_id"], references: { table: "u", columns: ["id"] }, notValid: true } }],
    ],
    ["ALTER TABLE t ADD CONSTRAINT uq UNIQUE (a, b);", [{ kind: "add-constraint", table: "t", constraint: { kind: "unique", name: "uq", columns: ["a", "b"] } }]],
    ["ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0) NOT VALID;", [{ kind: "add-constraint", table: "t", constraint: { kind: "check", name: "ck", notValid: true } }]],
    ["ALTER TABLE t ADD PRIMARY KEY (id);", [{ kind: "add-constraint", table: "t", constraint: { kind: "primary-key", columns: ["id"] } }]],
    ["ALTER TABLE t ADD CONSTRAINT pk PRIMARY KEY USING INDEX t_idx;", [{ kind: "add-constraint", table: "t", constraint: { kind: "other", name: "pk", description: "PRIMARY KEY USING INDEX t_idx" } }]],
    ["ALTER TABLE t DROP CONSTRAINT fk;", [{ kind: "drop-constraint", table: "t", name: "fk", ifExists: false }]],
    ["ALTER TABLE t DROP CONSTRAINT IF EXISTS fk;", [{ kind: "drop-constraint", table: "t", name: "fk", ifExists: true }]],
    ["ALTER TABLE t VALIDATE CONSTRAINT fk;", [{ kind: "table-detail", table: "t", description: "validates constraint `fk`" }]],
    ["ALTER TABLE t OWNER TO app;", [{ kind: "table-detail", table: "t", description: "changes the owner to `app`" }]],
    ["ALTER TABLE t DISABLE TRIGGER ALL;", [{ kind: "table-detail", table: "t", description: "disables every trigger" }]],
    ["ALTER TABLE t ENABLE ROW LEVEL SECURITY;", [{ kind: "table-detail", table: "t", description: "enables row level security", breaks: "uses" }]],
    [
      "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;",
      [{ kind: "table-detail", table: "t", description: "makes `id` an identity column GENERATED ALWAYS", column: "id", breaks: "column-writes" }],
    ],
    [
      "ALTER TABLE ONLY public.t ADD COLUMN a int, DROP COLUMN b, ALTER COLUMN c SET NOT NULL;",
      [
        { kind: "add-column", table: "t", column: column("a", "integer"), ifNotExists: false },
        { kind: "drop-column", table: "t", column: "b", ifExists: false },
        { kind: "set-not-null", table: "t", column: "c" },
      ],
    ],
  ])("%s", (sql, expected) => {
    expect(changesOf(sql)).toEqual(expected);
  });
});

describe("indexes", () => {
  test.each<[string, Change[]]>([
    ["CREATE INDEX idx ON t (a);", [{ kind: "create-index", table: "t", name: "idx", columns: ["a"], unique: false, concurrently: false, ifNotExists: false }]],
    [
      "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx ON public.t USING btree (a, lower(b)) WHERE c IS NULL;",
      [{ kind: "create-index", table: "t", name: "idx", columns: ["a", "b"], unique: true, concurrently: true, ifNotExists: true }],
    ],
    ["CREATE INDEX ON t (a);", [{ kind: "create-index", table: "t", columns: ["a"], unique: false, concurrently: false, ifNotExists: false }]],
    ["DROP INDEX idx;", [{ kind: "drop-index", name: "idx", ifExists: false, concurrently: false }]],
    ["DROP INDEX CONCURRENTLY IF EXISTS public.idx, s.other;", [
      { kind: "drop-index", name: "idx", ifExists: true, concurrently: true },
      { kind: "drop-index", name: "s.other", ifExists: true, concurrently: true },
    ]],
  ])("%s", (sql, expected) => {
    expect(changesOf(sql)).toEqual(expected);
  });
});

describe("details of a table other than its columns", () => {
  test.each([
    ["CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();", { description: "creates trigger `trg`" }],
    ["COMMENT ON TABLE other.t IS 'x';", { table: "other.t", description: "comments on the table" }],
    ["COMMENT ON COLUMN public.t.c IS 'x';", { description: "comments on column `c`", column: "c" }],
    ["GRANT SELECT ON t TO reader;", { description: "grants SELECT to `reader`" }],
    ["REVOKE SELECT ON t FROM odds_service;", { description: "revokes SELECT from `odds_service`", breaks: "uses" }],
    ["CREATE POLICY p ON t USING (true);", { description: "creates row security policy `p`", breaks: "uses" }],
    ["CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING;", { description: "creates rule `r` ON INSERT DO INSTEAD", breaks: "writes" }],
    ["ALTER TABLE t RENAME CONSTRAINT a TO b;", { description: "renames constraint `a` to `b`" }],
    ["DROP TRIGGER IF EXISTS trg ON t;", { description: "drops trigger `trg`" }],
  ])("%s", (sql, expected) => {
    expect(changesOf(sql)).toEqual([{ kind: "table-detail", table: "t", ...expected }]);
  });
});

describe("statements that change nothing another service depends on", () => {
  test.each(["SET statement_timeout = 0;", "SET search_path TO public;", "BEGIN;", "COMMIT;", "LOCK TABLE t IN SHARE MODE;"])("%s is recognised, no change, not unparsed", (sql) => {
    const analysis = analyzeSql(sql, { file: "m.sql", line: 1, context: "migration" });
    expect(analysis.unparsed).toEqual([]);
    expect(analysis.statements).toHaveLength(1);
    expect(analysis.statements[0]?.changes).toEqual([]);
  });
});

test("every change carries the statement's location", () => {
  const analysis = analyzeSql("\n\nALTER TABLE t\n  ADD COLUMN a int,\n  DROP COLUMN b;", { file: "db/1.sql", line: 1, context: "migration" });
  expect(analysis.statements[0]?.changes.map((change) => change.loc)).toEqual([
    { file: "db/1.sql", line: 3 },
    { file: "db/1.sql", line: 3 },
  ]);
});
