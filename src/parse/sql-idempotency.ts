// Why running a raw migration statement a second time fails or duplicates rows. Nothing
// records whether a raw SQL migration ran, so every statement must survive a re-run.
import type { AlterTableCmd, InsertStmt, Node } from "libpg-query";

/** The problem, short and actionable; undefined when the statement is safe to re-run. */
export function idempotencyProblem(node: Node): string | undefined {
  const problems = statementProblems(node);
  return problems.length > 0 ? [...new Set(problems)].join("; ") : undefined;
}

function statementProblems(node: Node): string[] {
  if ("CreateStmt" in node) {
    return node.CreateStmt.if_not_exists ? [] : ["CREATE TABLE fails when the table exists: use CREATE TABLE IF NOT EXISTS"];
  }
  if ("IndexStmt" in node) {
    const index = node.IndexStmt;
    if (!index.idxname) return ["an unnamed index is created again on every run: name it and use CREATE INDEX IF NOT EXISTS"];
    return index.if_not_exists ? [] : ["CREATE INDEX fails when the index exists: use CREATE INDEX IF NOT EXISTS"];
  }
  if ("DropStmt" in node) {
    const kind = node.DropStmt.removeType?.replace("OBJECT_", "").replace("MATVIEW", "MATERIALIZED VIEW") ?? "";
    return node.DropStmt.missing_ok ? [] : [`DROP ${kind} fails when it is already gone: use DROP ${kind} IF EXISTS`];
  }
  if ("AlterTableStmt" in node) return (node.AlterTableStmt.cmds ?? []).flatMap((command) => ("AlterTableCmd" in command ? alterTableProblems(command.AlterTableCmd) : []));
  if ("InsertStmt" in node) return insertProblems(node.InsertStmt);
  if ("RenameStmt" in node) {
    const tableRenameGuarded = node.RenameStmt.renameType === "OBJECT_TABLE" && node.RenameStmt.missing_ok;
    return tableRenameGuarded ? [] : ["RENAME cannot run twice: the old name is gone after the first run; guard it in a DO block that checks information_schema"];
  }
  return createObjectProblems(node);
}

function createObjectProblems(node: Node): string[] {
  if ("CreateFunctionStmt" in node && !node.CreateFunctionStmt.replace) {
    const kind = node.CreateFunctionStmt.is_procedure ? "PROCEDURE" : "FUNCTION";
    return [`CREATE ${kind} fails when it exists: use CREATE OR REPLACE ${kind}`];
  }
  if ("ViewStmt" in node && !node.ViewStmt.replace) return ["CREATE VIEW fails when the view exists: use CREATE OR REPLACE VIEW"];
  if ("CreateTrigStmt" in node && !node.CreateTrigStmt.replace) return ["CREATE TRIGGER fails when the trigger exists: use CREATE OR REPLACE TRIGGER"];
  if ("CompositeTypeStmt" in node || "CreateEnumStmt" in node || "CreateDomainStmt" in node) {
    return ["CREATE TYPE has no IF NOT EXISTS: wrap it in a DO block that checks pg_type first"];
  }
  if ("CreateSeqStmt" in node && !node.CreateSeqStmt.if_not_exists) return ["CREATE SEQUENCE fails when it exists: use CREATE SEQUENCE IF NOT EXISTS"];
  if ("CreateSchemaStmt" in node && !node.CreateSchemaStmt.if_not_exists) return ["CREATE SCHEMA fails when it exists: use CREATE SCHEMA IF NOT EXISTS"];
  if ("CreateExtensionStmt" in node && !node.CreateExtensionStmt.if_not_exists) return ["CREATE EXTENSION fails when it exists: use CREATE EXTENSION IF NOT EXISTS"];
  if ("SelectStmt" in node && node.SelectStmt.intoClause) return ["SELECT INTO fails when the table exists: use CREATE TABLE IF NOT EXISTS … AS"];
  if ("CreateTableAsStmt" in node && !node.CreateTableAsStmt.if_not_exists && node.CreateTableAsStmt.objtype === "OBJECT_TABLE") {
    return ["CREATE TABLE AS fails when the table exists: use CREATE TABLE IF NOT EXISTS … AS"];
  }
  return [];
}

function alterTableProblems(command: AlterTableCmd): string[] {
  switch (command.subtype) {
    case "AT_AddColumn":
      return command.missing_ok ? [] : ["ADD COLUMN fails when the column exists: use ADD COLUMN IF NOT EXISTS"];
    case "AT_DropColumn":
      return command.missing_ok ? [] : ["DROP COLUMN fails when the column is gone: use DROP COLUMN IF EXISTS"];
    case "AT_DropConstraint":
      return command.missing_ok ? [] : ["DROP CONSTRAINT fails when it is gone: use DROP CONSTRAINT IF EXISTS"];
    case "AT_AddConstraint":
      return ["ADD CONSTRAINT fails when the constraint exists and PostgreSQL has no IF NOT EXISTS for it: precede it with DROP CONSTRAINT IF EXISTS or wrap it in a DO block that checks pg_constraint"];
    default:
      return [];
  }
}

/** INSERT duplicates rows on a re-run unless a conflict clause or a NOT EXISTS guard stops it. */
function insertProblems(insert: InsertStmt): string[] {
  if (insert.onConflictClause) return [];
  const select = insert.selectStmt && "SelectStmt" in insert.selectStmt ? insert.selectStmt.SelectStmt : undefined;
  if (select?.whereClause && containsNotExists(select.whereClause)) return [];
  return ["INSERT adds the rows again on every run: add ON CONFLICT DO NOTHING (or a WHERE NOT EXISTS guard)"];
}

function containsNotExists(value: unknown, negated = false): boolean {
  if (Array.isArray(value)) return value.some((item) => containsNotExists(item, negated));
  if (typeof value !== "object" || value === null) return false;
  const node = value as Record<string, unknown>;
  const boolExpr = node.BoolExpr as { boolop?: string; args?: unknown[] } | undefined;
  if (boolExpr) return containsNotExists(boolExpr.args, negated || boolExpr.boolop === "NOT_EXPR");
  const subLink = node.SubLink as { subLinkType?: string } | undefined;
  if (subLink) return negated && subLink.subLinkType === "EXISTS_SUBLINK";
  return false;
}
