// Totality: every statement node type of libpg-query is either understood (a change to named
// objects, a query, or a statement that changes nothing others depend on) or reported.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parseOwnershipCommand, tableKey } from "../../src/commands/parse.js";
import { analyzeSql, loadSqlParser } from "../../src/parse/sql.js";
import { statementHandling, type StatementKind } from "../../src/parse/sql-statement-kinds.js";

beforeAll(loadSqlParser);

/** The statement node types, read from the type definitions libpg-query ships. */
function libraryStatementKinds(): string[] {
  const require = createRequire(import.meta.url);
  const types = readFileSync(join(dirname(require.resolve("@pgsql/types/package.json")), "types.d.ts"), "utf8");
  const start = types.indexOf("export type Node =");
  const union = types.slice(start, types.indexOf("\nexport ", start + 1));
  return [...union.matchAll(/^\s+(\w+Stmt): \w+;$/gm)].map((match) => match[1] ?? "").sort();
}

const samples: Record<Exclude<StatementKind, "RawStmt" | "SetOperationStmt" | "PLAssignStmt" | "ReturnStmt" | "ReplicaIdentityStmt">, string> = {
  SelectStmt: "SELECT a FROM t",
  InsertStmt: "INSERT INTO t (a) VALUES (1)",
  UpdateStmt: "UPDATE t SET a = 1",
  DeleteStmt: "DELETE FROM t",
  MergeStmt: "MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN DELETE",
  CopyStmt: "COPY t (a) FROM STDIN",
  DeclareCursorStmt: "DECLARE c CURSOR FOR SELECT a FROM t",
  ExplainStmt: "EXPLAIN SELECT a FROM t",
  CallStmt: "CALL refresh_all()",
  PrepareStmt: "PREPARE p AS DELETE FROM t; EXECUTE p",
  ExecuteStmt: "EXECUTE p",
  DoStmt: "DO $$ BEGIN CREATE TABLE t2 (a int); END $$",
  TransactionStmt: "BEGIN",
  VariableSetStmt: "SET lock_timeout = '1s'",
  VariableShowStmt: "SHOW lock_timeout",
  DiscardStmt: "DISCARD ALL",
  ListenStmt: "LISTEN c",
  UnlistenStmt: "UNLISTEN c",
  NotifyStmt: "NOTIFY c",
  LoadStmt: "LOAD 'auto_explain'",
  CheckPointStmt: "CHECKPOINT",
  FetchStmt: "FETCH NEXT FROM c",
  ClosePortalStmt: "CLOSE c",
  DeallocateStmt: "DEALLOCATE p",
  ConstraintsSetStmt: "SET CONSTRAINTS ALL DEFERRED",
  LockStmt: "LOCK TABLE t",
  VacuumStmt: "VACUUM ANALYZE t",
  ReindexStmt: "REINDEX TABLE t",
  ClusterStmt: "CLUSTER t USING t_pkey",
  CreateStmt: "CREATE TABLE t (a int)",
  CreateTableAsStmt: "CREATE MATERIALIZED VIEW mv AS SELECT a FROM t",
  CreateForeignTableStmt: "CREATE FOREIGN TABLE ft (a int) SERVER s",
  AlterTableStmt: "ALTER TABLE t SET UNLOGGED",
  DropStmt: "DROP CAST (text AS int)",
  RenameStmt: "ALTER TEXT SEARCH DICTIONARY d RENAME TO e",
  IndexStmt: "CREATE INDEX i ON t (a)",
  TruncateStmt: "TRUNCATE t",
  AlterObjectSchemaStmt: "ALTER FUNCTION f() SET SCHEMA other",
  CreateSchemaStmt: "CREATE SCHEMA s",
  CreateExtensionStmt: "CREATE EXTENSION citext",
  AlterExtensionStmt: "ALTER EXTENSION citext UPDATE",
  AlterExtensionContentsStmt: "ALTER EXTENSION citext ADD FUNCTION f()",
  CreateDomainStmt: "CREATE DOMAIN d AS text",
  AlterDomainStmt: "ALTER DOMAIN d SET NOT NULL",
  CreateEnumStmt: "CREATE TYPE e AS ENUM ('a')",
  AlterEnumStmt: "ALTER TYPE e ADD VALUE 'b'",
  CompositeTypeStmt: "CREATE TYPE c AS (a int)",
  CreateRangeStmt: "CREATE TYPE r AS RANGE (subtype = int4)",
  DefineStmt: "CREATE AGGREGATE agg (int) (sfunc = int4pl, stype = int)",
  AlterTypeStmt: "ALTER TYPE c SET (storage = plain)",
  CreateSeqStmt: "CREATE SEQUENCE s",
  AlterSeqStmt: "ALTER SEQUENCE s RESTART",
  ViewStmt: "CREATE VIEW v AS SELECT a FROM t",
  RefreshMatViewStmt: "REFRESH MATERIALIZED VIEW mv",
  CreateFunctionStmt: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
  AlterFunctionStmt: "ALTER FUNCTION f() STABLE",
  CreateTrigStmt: "CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
  CreateEventTrigStmt: "CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION f()",
  AlterEventTrigStmt: "ALTER EVENT TRIGGER et DISABLE",
  RuleStmt: "CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING",
  CreatePolicyStmt: "CREATE POLICY p ON t USING (true)",
  AlterPolicyStmt: "ALTER POLICY p ON t USING (false)",
  GrantStmt: "GRANT SELECT ON t TO reader",
  GrantRoleStmt: "GRANT admin TO app",
  AlterDefaultPrivilegesStmt: "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO reader",
  AlterOwnerStmt: "ALTER TYPE e OWNER TO app",
  DropOwnedStmt: "DROP OWNED BY app_user CASCADE",
  ReassignOwnedStmt: "REASSIGN OWNED BY a TO b",
  CreateRoleStmt: "CREATE ROLE reader",
  AlterRoleStmt: "ALTER ROLE reader LOGIN",
  AlterRoleSetStmt: "ALTER ROLE reader SET search_path = public",
  DropRoleStmt: "DROP ROLE reader",
  CreatedbStmt: "CREATE DATABASE d",
  DropdbStmt: "DROP DATABASE d",
  AlterDatabaseStmt: "ALTER DATABASE d CONNECTION LIMIT 5",
  AlterDatabaseSetStmt: "ALTER DATABASE d SET timezone = 'UTC'",
  AlterDatabaseRefreshCollStmt: "ALTER DATABASE d REFRESH COLLATION VERSION",
  AlterSystemStmt: "ALTER SYSTEM SET work_mem = '64MB'",
  CreateTableSpaceStmt: "CREATE TABLESPACE ts LOCATION '/data'",
  DropTableSpaceStmt: "DROP TABLESPACE ts",
  AlterTableSpaceOptionsStmt: "ALTER TABLESPACE ts SET (seq_page_cost = 1)",
  AlterTableMoveAllStmt: "ALTER TABLE ALL IN TABLESPACE ts SET TABLESPACE ts2",
  CreatePublicationStmt: "CREATE PUBLICATION pub FOR ALL TABLES",
  AlterPublicationStmt: "ALTER PUBLICATION pub ADD TABLE t",
  CreateSubscriptionStmt: "CREATE SUBSCRIPTION sub CONNECTION 'x' PUBLICATION pub",
  AlterSubscriptionStmt: "ALTER SUBSCRIPTION sub DISABLE",
  DropSubscriptionStmt: "DROP SUBSCRIPTION sub",
  CreatePLangStmt: "CREATE LANGUAGE plsample HANDLER plsample_call_handler",
  CreateFdwStmt: "CREATE FOREIGN DATA WRAPPER w",
  AlterFdwStmt: "ALTER FOREIGN DATA WRAPPER w NO VALIDATOR",
  CreateForeignServerStmt: "CREATE SERVER s FOREIGN DATA WRAPPER w",
  AlterForeignServerStmt: "ALTER SERVER s VERSION '2'",
  CreateUserMappingStmt: "CREATE USER MAPPING FOR app SERVER s",
  AlterUserMappingStmt: "ALTER USER MAPPING FOR app SERVER s OPTIONS (user 'x')",
  DropUserMappingStmt: "DROP USER MAPPING FOR app SERVER s",
  ImportForeignSchemaStmt: "IMPORT FOREIGN SCHEMA remote FROM SERVER s INTO public",
  CommentStmt: "COMMENT ON TABLE t IS 'x'",
  SecLabelStmt: "SECURITY LABEL ON TABLE t IS 'x'",
  CreateStatsStmt: "CREATE STATISTICS st ON a, b FROM t",
  AlterStatsStmt: "ALTER STATISTICS st SET STATISTICS 100",
  CreateCastStmt: "CREATE CAST (text AS int) WITH INOUT",
  CreateConversionStmt: "CREATE CONVERSION c FOR 'UTF8' TO 'LATIN1' FROM f",
  CreateOpClassStmt: "CREATE OPERATOR CLASS oc FOR TYPE int USING btree AS OPERATOR 1 <",
  CreateOpFamilyStmt: "CREATE OPERATOR FAMILY of USING btree",
  AlterOpFamilyStmt: "ALTER OPERATOR FAMILY of USING btree ADD OPERATOR 1 < (int, int)",
  AlterOperatorStmt: "ALTER OPERATOR = (int, int) SET (restrict = eqsel)",
  CreateTransformStmt: "CREATE TRANSFORM FOR hstore LANGUAGE plpython3u (FROM SQL WITH FUNCTION f(internal))",
  CreateAmStmt: "CREATE ACCESS METHOD am TYPE INDEX HANDLER h",
  AlterCollationStmt: "ALTER COLLATION c REFRESH VERSION",
  AlterTSConfigurationStmt: "ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH simple",
  AlterTSDictionaryStmt: "ALTER TEXT SEARCH DICTIONARY d (StopWords = english)",
  AlterObjectDependsStmt: "ALTER FUNCTION f() DEPENDS ON EXTENSION e",
};

describe("every statement kind of PostgreSQL's parser", () => {
  test("the handling table lists exactly the library's statement node types", () => {
    const kinds = libraryStatementKinds();
    expect(kinds.length).toBeGreaterThan(100);
    expect(Object.keys(statementHandling).sort()).toEqual(kinds);
  });

  test("every kind that can stand alone has a sample", () => {
    const standalone = Object.entries(statementHandling).filter(([, handling]) => handling !== "nested").map(([kind]) => kind);
    expect(Object.keys(samples).sort()).toEqual(standalone.sort());
  });

  test.each(Object.entries(samples))("%s is understood or reported", (kind, sql) => {
    const analysis = analyzeSql(`${sql};`, { file: "m.sql", line: 1, context: "migration" });
    const statements = analysis.statements;
    if (kind !== "PrepareStmt" && kind !== "ExecuteStmt") {
      expect(statements.map((statement) => statement.statementKind)).toContain(kind);
    }
    const handling = statementHandling[kind as StatementKind];
    const understood = statements.some((statement) => statement.changes.length > 0 || (statement.objects ?? []).length > 0 || statement.uses.length > 0);
    const reported = analysis.unparsed.length > 0;
    if (handling === "session") expect({ understood, reported }).toEqual({ understood: false, reported: false });
    else expect(understood || reported).toBe(true);
  });

  test.each(Object.entries(samples))("what %s reaches database-wide can be named in an /ownership ack", (_kind, sql) => {
    const analysis = analyzeSql(`${sql};`, { file: "m.sql", line: 1, context: "migration" });
    for (const change of analysis.statements.flatMap((statement) => statement.objects ?? [])) {
      if (change.action !== "database-wide") continue;
      expect(parseOwnershipCommand(`/ownership ack ${change.subject} agreed`)).toMatchObject({ kind: "ack", table: tableKey(change.subject) });
    }
  });
});
