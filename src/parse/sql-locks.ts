// One SQL statement → the locks it takes and what it does to its session and transaction,
// from PostgreSQL's documentation of each command ("Explicit Locking", ALTER TABLE's notes).
import type { AlterTableCmd, AlterTableStmt, DropStmt, Node } from "libpg-query";
import type { LockMode, StatementLocking } from "../core/changes.js";
import { LOCK_MODES } from "../core/changes.js";
import { objectName, stringList, tableName } from "./sql-names.js";

const shareUpdateExclusiveCommands = new Set([
  "AT_SetStatistics",
  "AT_SetOptions",
  "AT_ResetOptions",
  "AT_SetRelOptions",
  "AT_ResetRelOptions",
  "AT_ClusterOn",
  "AT_DropCluster",
  "AT_ValidateConstraint",
  "AT_AttachPartition",
]);

const triggerCommands = new Set([
  "AT_EnableTrig",
  "AT_EnableAlwaysTrig",
  "AT_EnableReplicaTrig",
  "AT_EnableTrigAll",
  "AT_EnableTrigUser",
  "AT_DisableTrig",
  "AT_DisableTrigAll",
  "AT_DisableTrigUser",
]);

/** Settings whose value the lock rules read. */
const trackedSettings = new Set(["lock_timeout", "statement_timeout", "timezone"]);

class LockingBuilder {
  readonly result: StatementLocking = { locks: [], settings: [], validates: [], maintenance: [], tableWideWrites: [] };

  lock(relation: string, mode: LockMode): void {
    const existing = this.result.locks.find((lock) => lock.relation === relation);
    if (!existing) this.result.locks.push({ relation, mode });
    else if (LOCK_MODES.indexOf(mode) > LOCK_MODES.indexOf(existing.mode)) existing.mode = mode;
  }

  setting(name: string, value: string, local: boolean): void {
    if (!trackedSettings.has(name)) return;
    const enabled = value !== "" && !/^0+(\s*[a-z]*)?$/i.test(value.trim());
    this.result.settings.push({ name, value, enabled, local });
  }
}

/** Locks and session effects of one statement; plain queries take no lock the rules care about. */
export function statementLocking(node: Node): StatementLocking {
  const builder = new LockingBuilder();
  if ("AlterTableStmt" in node) alterTable(node.AlterTableStmt, builder);
  else if ("IndexStmt" in node) {
    const index = node.IndexStmt;
    builder.lock(tableName(index.relation), index.concurrent ? "SHARE UPDATE EXCLUSIVE" : "SHARE");
    if (index.concurrent) builder.result.outsideTransactionOnly = "CREATE INDEX CONCURRENTLY";
  } else if ("DropStmt" in node) dropLocks(node.DropStmt, builder);
  else if ("RenameStmt" in node) {
    const rename = node.RenameStmt;
    const mode = rename.renameType === "OBJECT_INDEX" ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE";
    if (rename.relation) builder.lock(tableName(rename.relation), mode);
  } else if ("TruncateStmt" in node) {
    for (const relation of node.TruncateStmt.relations ?? []) if ("RangeVar" in relation) builder.lock(tableName(relation.RangeVar), "ACCESS EXCLUSIVE");
  } else if ("AlterObjectSchemaStmt" in node && node.AlterObjectSchemaStmt.relation) {
    builder.lock(tableName(node.AlterObjectSchemaStmt.relation), "ACCESS EXCLUSIVE");
  } else if ("CreateStmt" in node) createTableLocks(node.CreateStmt.tableElts, builder);
  else if ("CreateTrigStmt" in node) builder.lock(tableName(node.CreateTrigStmt.relation), "SHARE ROW EXCLUSIVE");
  else if ("LockStmt" in node) {
    const mode = LOCK_MODES[(node.LockStmt.mode ?? 8) - 1] ?? "ACCESS EXCLUSIVE";
    for (const relation of node.LockStmt.relations ?? []) if ("RangeVar" in relation) builder.lock(tableName(relation.RangeVar), mode);
  } else if ("RefreshMatViewStmt" in node) {
    const refresh = node.RefreshMatViewStmt;
    builder.lock(tableName(refresh.relation), refresh.concurrent ? "EXCLUSIVE" : "ACCESS EXCLUSIVE");
  } else maintenanceAndSession(node, builder);
  return builder.result;
}

function maintenanceAndSession(node: Node, builder: LockingBuilder): void {
  const result = builder.result;
  if ("VacuumStmt" in node) vacuum(node.VacuumStmt, builder);
  else if ("ClusterStmt" in node) {
    const table = node.ClusterStmt.relation ? tableName(node.ClusterStmt.relation) : "every clustered table";
    builder.lock(table, "ACCESS EXCLUSIVE");
    result.maintenance.push({ table, command: "CLUSTER" });
  } else if ("ReindexStmt" in node) reindex(node.ReindexStmt, builder);
  else if ("UpdateStmt" in node || "DeleteStmt" in node) tableWrite(node, builder);
  else if ("InsertStmt" in node && node.InsertStmt.relation) builder.lock(tableName(node.InsertStmt.relation), "ROW EXCLUSIVE");
  else if ("TransactionStmt" in node) {
    const kind = node.TransactionStmt.kind;
    if (kind === "TRANS_STMT_BEGIN" || kind === "TRANS_STMT_START") result.transaction = "begin";
    else if (kind === "TRANS_STMT_COMMIT" || kind === "TRANS_STMT_ROLLBACK" || kind === "TRANS_STMT_PREPARE") result.transaction = "end";
  } else if ("VariableSetStmt" in node) variableSet(node.VariableSetStmt, builder);
  else if ("SelectStmt" in node) setConfigCalls(node.SelectStmt.targetList, builder);
}

function alterTable(statement: AlterTableStmt, builder: LockingBuilder): void {
  const relation = tableName(statement.relation);
  let mode: LockMode = "ACCESS SHARE";
  for (const item of statement.cmds ?? []) {
    if (!("AlterTableCmd" in item)) continue;
    const command = item.AlterTableCmd;
    const commandMode = alterTableCommandMode(command, builder);
    if (LOCK_MODES.indexOf(commandMode) > LOCK_MODES.indexOf(mode)) mode = commandMode;
    if (command.subtype === "AT_ValidateConstraint") builder.result.validates.push({ table: relation, constraint: command.name ?? "" });
    if (command.subtype === "AT_SetTableSpace") builder.result.maintenance.push({ table: relation, command: "SET TABLESPACE" });
    if (command.subtype === "AT_DetachPartition" && isConcurrentDetach(command)) builder.result.outsideTransactionOnly = "DETACH PARTITION CONCURRENTLY";
  }
  builder.lock(relation, mode);
}

function isConcurrentDetach(command: AlterTableCmd): boolean {
  const definition = command.def;
  return definition !== undefined && "PartitionCmd" in definition && definition.PartitionCmd.concurrent === true;
}

function alterTableCommandMode(command: AlterTableCmd, builder: LockingBuilder): LockMode {
  const subtype = command.subtype ?? "";
  if (shareUpdateExclusiveCommands.has(subtype)) return "SHARE UPDATE EXCLUSIVE";
  if (subtype === "AT_DetachPartition" && isConcurrentDetach(command)) return "SHARE UPDATE EXCLUSIVE";
  if (triggerCommands.has(subtype)) return "SHARE ROW EXCLUSIVE";
  const definition = command.def;
  if (subtype === "AT_AddConstraint" && definition && "Constraint" in definition && definition.Constraint.contype === "CONSTR_FOREIGN") {
    builder.lock(tableName(definition.Constraint.pktable), "SHARE ROW EXCLUSIVE");
    return "SHARE ROW EXCLUSIVE";
  }
  if (subtype === "AT_AddColumn" && definition && "ColumnDef" in definition) referencedTables(definition.ColumnDef.constraints, builder);
  return "ACCESS EXCLUSIVE";
}

/** A foreign key locks the table it references against writes while it is checked. */
function referencedTables(constraints: Node[] | undefined, builder: LockingBuilder): void {
  for (const item of constraints ?? []) {
    if ("Constraint" in item && item.Constraint.contype === "CONSTR_FOREIGN") builder.lock(tableName(item.Constraint.pktable), "SHARE ROW EXCLUSIVE");
  }
}

function createTableLocks(elements: Node[] | undefined, builder: LockingBuilder): void {
  for (const element of elements ?? []) {
    if ("ColumnDef" in element) referencedTables(element.ColumnDef.constraints, builder);
    else if ("Constraint" in element) referencedTables([element], builder);
  }
}

function dropLocks(statement: DropStmt, builder: LockingBuilder): void {
  const names = (statement.objects ?? []).map((object) => ("List" in object ? (object.List.items ?? []) : []));
  switch (statement.removeType) {
    case "OBJECT_TABLE":
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
      for (const name of names) builder.lock(objectName(name), "ACCESS EXCLUSIVE");
      return;
    case "OBJECT_INDEX":
      for (const name of names) builder.lock(objectName(name), statement.concurrent ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE");
      if (statement.concurrent) builder.result.outsideTransactionOnly = "DROP INDEX CONCURRENTLY";
      return;
    case "OBJECT_TRIGGER":
    case "OBJECT_RULE":
    case "OBJECT_POLICY":
      // `DROP TRIGGER name ON table`: the last name is the trigger, the ones before it the table.
      for (const name of names) builder.lock(objectName(name.slice(0, -1)), "ACCESS EXCLUSIVE");
      return;
    default:
      return;
  }
}

/** `FULL`, `FULL true`, `FULL 1`, `FULL on`: PostgreSQL's boolean option spellings. */
function optionEnabled(options: Node[] | undefined, name: string): boolean {
  for (const option of options ?? []) {
    if (!("DefElem" in option) || option.DefElem.defname !== name) continue;
    const arg = option.DefElem.arg;
    if (!arg) return true;
    const text = "String" in arg ? (arg.String.sval ?? "") : "Integer" in arg ? String(arg.Integer.ival ?? 0) : "true";
    return !["false", "off", "0", "no"].includes(text.toLowerCase());
  }
  return false;
}

function vacuum(statement: Extract<Node, { VacuumStmt: unknown }>["VacuumStmt"], builder: LockingBuilder): void {
  const full = optionEnabled(statement.options, "full");
  const tables = (statement.rels ?? []).flatMap((rel) => ("VacuumRelation" in rel && rel.VacuumRelation.relation ? [tableName(rel.VacuumRelation.relation)] : []));
  const targets = tables.length > 0 ? tables : ["every table"];
  for (const table of targets) {
    builder.lock(table, full ? "ACCESS EXCLUSIVE" : "SHARE UPDATE EXCLUSIVE");
    if (full) builder.result.maintenance.push({ table, command: "VACUUM FULL" });
  }
  if (statement.is_vacuumcmd) builder.result.outsideTransactionOnly = full ? "VACUUM FULL" : "VACUUM";
}

function reindex(statement: Extract<Node, { ReindexStmt: unknown }>["ReindexStmt"], builder: LockingBuilder): void {
  const concurrently = optionEnabled(statement.params, "concurrently");
  const target = statement.relation ? tableName(statement.relation) : `every table of ${statement.name ?? "the database"}`;
  const whole = statement.kind === "REINDEX_OBJECT_SCHEMA" || statement.kind === "REINDEX_OBJECT_DATABASE" || statement.kind === "REINDEX_OBJECT_SYSTEM";
  builder.lock(target, concurrently ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE");
  if (!concurrently) builder.result.maintenance.push({ table: target, command: "REINDEX" });
  if (concurrently) builder.result.outsideTransactionOnly = "REINDEX CONCURRENTLY";
  else if (whole) builder.result.outsideTransactionOnly = `REINDEX ${(statement.kind ?? "").replace("REINDEX_OBJECT_", "")}`;
}

function tableWrite(node: Node, builder: LockingBuilder): void {
  const statement = "UpdateStmt" in node ? node.UpdateStmt : "DeleteStmt" in node ? node.DeleteStmt : undefined;
  if (!statement?.relation) return;
  const table = tableName(statement.relation);
  builder.lock(table, "ROW EXCLUSIVE");
  if (statement.whereClause === undefined) builder.result.tableWideWrites.push({ table, command: "UpdateStmt" in node ? "UPDATE" : "DELETE" });
}

function constantText(node: Node | undefined): string {
  if (!node) return "";
  if ("A_Const" in node) {
    const value = node.A_Const;
    if (value.sval) return value.sval.sval ?? "";
    if (value.ival) return String(value.ival.ival ?? 0);
    if (value.fval) return value.fval.fval ?? "";
    return "";
  }
  if ("TypeCast" in node) return constantText(node.TypeCast.arg);
  return "?";
}

function variableSet(statement: Extract<Node, { VariableSetStmt: unknown }>["VariableSetStmt"], builder: LockingBuilder): void {
  const local = statement.is_local ?? false;
  if (statement.kind === "VAR_RESET_ALL") {
    for (const name of trackedSettings) builder.setting(name, "", local);
    return;
  }
  const name = (statement.name ?? "").toLowerCase();
  const value = statement.kind === "VAR_SET_VALUE" ? (statement.args ?? []).map(constantText).join(",") : "";
  builder.setting(name, value, local);
}

/** `SELECT set_config('lock_timeout', '5s', false)`. */
function setConfigCalls(targets: Node[] | undefined, builder: LockingBuilder): void {
  for (const target of targets ?? []) {
    const value = "ResTarget" in target ? target.ResTarget.val : undefined;
    if (!value || !("FuncCall" in value)) continue;
    const call = value.FuncCall;
    if (stringList(call.funcname).pop() !== "set_config") continue;
    const [name, setting, isLocal] = call.args ?? [];
    builder.setting(constantText(name).toLowerCase(), constantText(setting), isLocal !== undefined && "A_Const" in isLocal && isLocal.A_Const.boolval?.boolval === true);
  }
}
