// Statements about objects other than tables' columns → object changes and table details.
// Every statement kind libpg-query knows is listed in `sql-statement-kinds.ts`; the schema
// kinds land here, so each one is a change to named objects or a reason it is not understood.
import type { AlterTableCmd, CreateFunctionStmt, GrantStmt, Node, RangeVar, RenameStmt, ViewStmt } from "libpg-query";
import type { DatabaseObject, ObjectChange, ObjectKind, ViewOutput } from "../core/objects.js";
import { extensionTypes } from "../core/objects.js";
import type { Location, SchemaChange, TableDetail } from "../core/changes.js";
import { objectName, qualifiedName, stringList, tableName } from "./sql-names.js";

export interface ObjectAnalysis {
  changes: SchemaChange[];
  objects: ObjectChange[];
  notUnderstood: string[];
}

type NodeOf<K extends string> = Extract<Node, Record<K, unknown>> extends Record<K, infer T> ? T : never;

/** `OBJECT_MATVIEW` → the model's kind; kinds the model does not track are `other`. */
function kindOf(objectType: string | undefined): ObjectKind {
  switch (objectType) {
    case "OBJECT_SCHEMA":
      return "schema";
    case "OBJECT_EXTENSION":
      return "extension";
    case "OBJECT_TYPE":
    case "OBJECT_DOMAIN":
      return "type";
    case "OBJECT_SEQUENCE":
      return "sequence";
    case "OBJECT_VIEW":
      return "view";
    case "OBJECT_MATVIEW":
      return "materialized-view";
    case "OBJECT_FUNCTION":
    case "OBJECT_PROCEDURE":
    case "OBJECT_AGGREGATE":
    case "OBJECT_ROUTINE":
      return "function";
    case "OBJECT_INDEX":
      return "index";
    default:
      return "other";
  }
}

/** `OBJECT_TEXT_SEARCH_CONFIGURATION` → "text search configuration". */
function labelOf(objectType: string | undefined): string {
  const spelled: Record<string, string> = { OBJECT_TABCONSTRAINT: "constraint", OBJECT_DOMCONSTRAINT: "domain constraint", OBJECT_MATVIEW: "materialized view" };
  return spelled[objectType ?? ""] ?? (objectType ?? "OBJECT_UNKNOWN").replace(/^OBJECT_/, "").replace(/_/g, " ").toLowerCase();
}

/** Kinds whose objects have no service: they reach every service of the database or cluster. */
const databaseWideTypes = new Set([
  "OBJECT_ROLE",
  "OBJECT_DATABASE",
  "OBJECT_TABLESPACE",
  "OBJECT_EVENT_TRIGGER",
  "OBJECT_PUBLICATION",
  "OBJECT_SUBSCRIPTION",
  "OBJECT_EXTENSION",
  "OBJECT_LANGUAGE",
  "OBJECT_PARAMETER_ACL",
]);

/** The dotted name of an object as a statement names it: String, List, TypeName, ObjectWithArgs or RangeVar. */
export function nameOfObject(node: Node | undefined): string {
  if (!node) return "";
  if ("String" in node) return node.String.sval ?? "";
  if ("List" in node) return objectName(node.List.items);
  if ("TypeName" in node) return objectName(node.TypeName.names);
  if ("ObjectWithArgs" in node) return objectName(node.ObjectWithArgs.objname);
  if ("RangeVar" in node) return tableName(node.RangeVar);
  return "";
}

function roleNames(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((node) => {
    if (!("RoleSpec" in node)) return [];
    const role = node.RoleSpec;
    return [role.rolename ?? (role.roletype ?? "ROLESPEC_PUBLIC").replace("ROLESPEC_", "").toLowerCase()];
  });
}

function detail(table: string, description: string, loc: Location, extra: Partial<TableDetail> = {}): TableDetail {
  return { kind: "table-detail", table, description, loc, ...extra };
}

class Collector {
  readonly analysis: ObjectAnalysis = { changes: [], objects: [], notUnderstood: [] };
  constructor(readonly loc: Location) {}

  create(object: DatabaseObject, orReplace = false, outputs?: ViewOutput[]): void {
    this.analysis.objects.push({ action: "create", object, orReplace, loc: this.loc, ...(outputs ? { outputs } : {}) });
  }
  alter(kind: ObjectKind, name: string, description: string, breaksUsers = false): void {
    this.analysis.objects.push({ action: "alter", kind, name, description, loc: this.loc, ...(breaksUsers ? { breaksUsers } : {}) });
  }
  rename(kind: ObjectKind, name: string, newName: string): void {
    this.analysis.objects.push({ action: "rename", kind, name, newName, loc: this.loc });
  }
  drop(kind: ObjectKind, name: string, cascade: boolean, ifExists: boolean): void {
    this.analysis.objects.push({ action: "drop", kind, name, cascade, ifExists, loc: this.loc });
  }
  databaseWide(subject: string, description: string): void {
    this.analysis.objects.push({ action: "database-wide", subject, description, loc: this.loc });
  }
  table(change: SchemaChange): void {
    this.analysis.changes.push(change);
  }
}

/** Handles every schema statement that `sql-ddl.ts` does not; false when `node` is not one of them. */
export function objectStatement(node: Node, loc: Location): ObjectAnalysis | undefined {
  const out = new Collector(loc);
  const kind = Object.keys(node)[0] ?? "";
  const handler = handlers[kind];
  if (!handler) return undefined;
  handler(node, out);
  return out.analysis;
}

type Handler = (node: Node, out: Collector) => void;

function field<K extends string>(node: Node, key: K): NodeOf<K> {
  return (node as Record<K, NodeOf<K>>)[key];
}

/** Objects named by their arguments (casts, transforms): the statement's kind is all the model keeps. */
function other(label: string): Handler {
  return (_node, out) => out.create({ kind: "other", name: label, label });
}

function wide(subjectOf: (node: Node) => string, description: string): Handler {
  return (node, out) => out.databaseWide(subjectOf(node), description);
}

const handlers: Record<string, Handler> = {
  CreateSchemaStmt(node, out) {
    const statement = field(node, "CreateSchemaStmt");
    const name = statement.schemaname ?? roleNames(statement.authrole ? [{ RoleSpec: statement.authrole }] : [])[0] ?? "";
    out.create({ kind: "schema", name });
    if ((statement.schemaElts ?? []).length > 0) out.analysis.notUnderstood.push(`CREATE SCHEMA ${name} with elements: the objects it creates are not analysed`);
  },
  CreateExtensionStmt(node, out) {
    const name = field(node, "CreateExtensionStmt").extname ?? "";
    out.create({ kind: "extension", name, types: [...(extensionTypes[name] ?? [])] });
    out.databaseWide(name, `installs extension \`${name}\` into the shared database`);
  },
  AlterExtensionStmt: wide((node) => field(node, "AlterExtensionStmt").extname ?? "", "updates an extension every service of the database shares"),
  AlterExtensionContentsStmt: wide((node) => field(node, "AlterExtensionContentsStmt").extname ?? "", "changes the members of an extension"),
  CreateDomainStmt(node, out) {
    out.create({ kind: "type", name: objectName(field(node, "CreateDomainStmt").domainname), label: "domain" });
  },
  AlterDomainStmt(node, out) {
    const statement = field(node, "AlterDomainStmt");
    // NOT NULL and CHECK constraints on a domain apply to every column of that type.
    out.alter("type", objectName(statement.typeName), `alters domain (${domainAction(statement.subtype)})`, statement.subtype !== "N");
  },
  CreateEnumStmt(node, out) {
    out.create({ kind: "type", name: objectName(field(node, "CreateEnumStmt").typeName), label: "enum" });
  },
  AlterEnumStmt(node, out) {
    const statement = field(node, "AlterEnumStmt");
    const renames = statement.oldVal !== undefined;
    const description = renames ? `renames value '${statement.oldVal}' to '${statement.newVal}'` : `adds value '${statement.newVal}'`;
    out.alter("type", objectName(statement.typeName), description, renames);
  },
  CompositeTypeStmt(node, out) {
    out.create({ kind: "type", name: tableName(field(node, "CompositeTypeStmt").typevar), label: "composite type" });
  },
  CreateRangeStmt(node, out) {
    out.create({ kind: "type", name: objectName(field(node, "CreateRangeStmt").typeName), label: "range type" });
  },
  DefineStmt(node, out) {
    const statement = field(node, "DefineStmt");
    const kind = kindOf(statement.kind);
    const name = objectName(statement.defnames);
    out.create({ kind, name, ...(kind === "other" ? { label: labelOf(statement.kind) } : {}) }, statement.replace ?? false);
  },
  AlterTypeStmt(node, out) {
    out.alter("type", objectName(field(node, "AlterTypeStmt").typeName), "changes the type's options");
  },
  CreateSeqStmt(node, out) {
    const statement = field(node, "CreateSeqStmt");
    const ownedBy = ownedByOption(statement.options);
    out.create({ kind: "sequence", name: tableName(statement.sequence), ...(ownedBy ? { ownedBy } : {}) });
  },
  AlterSeqStmt(node, out) {
    const statement = field(node, "AlterSeqStmt");
    const options = (statement.options ?? []).flatMap((option) => ("DefElem" in option ? [option.DefElem.defname ?? ""] : []));
    // A restart or a new increment hands out values its users may already hold or not expect.
    const resets = options.some((option) => ["restart", "increment", "minvalue", "maxvalue", "cycle", "as", "start"].includes(option));
    const what = options.map((option) => option.replace(/_/g, " ").toUpperCase()).join(", ");
    out.alter("sequence", tableName(statement.sequence), `changes the sequence (${what})`, resets);
  },
  ViewStmt(node, out) {
    const statement = field(node, "ViewStmt");
    out.create({ kind: "view", name: tableName(statement.view) }, statement.replace ?? false, viewOutputs(statement));
  },
  CreateFunctionStmt(node, out) {
    const statement = field(node, "CreateFunctionStmt");
    const columns = resultColumns(statement);
    out.create({ kind: "function", name: objectName(statement.funcname), ...(columns ? { columns } : {}) }, statement.replace ?? false);
  },
  AlterFunctionStmt(node, out) {
    const statement = field(node, "AlterFunctionStmt");
    out.alter("function", objectName(statement.func?.objname), "changes the function's attributes");
  },
  CreateTrigStmt(node, out) {
    const statement = field(node, "CreateTrigStmt");
    const what = statement.isconstraint ? "constraint trigger" : "trigger";
    out.table(detail(tableName(statement.relation), `creates ${what} \`${statement.trigname ?? ""}\``, out.loc));
  },
  CreateEventTrigStmt: wide((node) => field(node, "CreateEventTrigStmt").trigname ?? "", "creates an event trigger, which fires on every service's DDL"),
  AlterEventTrigStmt: wide((node) => field(node, "AlterEventTrigStmt").trigname ?? "", "changes an event trigger, which fires on every service's DDL"),
  RuleStmt(node, out) {
    const statement = field(node, "RuleStmt");
    const event = (statement.event ?? "CMD_UNKNOWN").replace("CMD_", "");
    const instead = statement.instead ?? false;
    const description = `creates rule \`${statement.rulename ?? ""}\` ON ${event}${instead ? " DO INSTEAD" : ""}`;
    // An INSTEAD rule replaces what other services' statements do.
    const breaks = instead ? (event === "SELECT" ? "uses" : "writes") : undefined;
    out.table(detail(tableName(statement.relation), description, out.loc, breaks ? { breaks } : {}));
  },
  CreatePolicyStmt(node, out) {
    const statement = field(node, "CreatePolicyStmt");
    out.table(detail(tableName(statement.table), `creates row security policy \`${statement.policy_name ?? ""}\``, out.loc, { breaks: "uses" }));
  },
  AlterPolicyStmt(node, out) {
    const statement = field(node, "AlterPolicyStmt");
    out.table(detail(tableName(statement.table), `changes row security policy \`${statement.policy_name ?? ""}\``, out.loc, { breaks: "uses" }));
  },
  GrantStmt(node, out) {
    grant(field(node, "GrantStmt"), out);
  },
  GrantRoleStmt(node, out) {
    const statement = field(node, "GrantRoleStmt");
    const roles = (statement.granted_roles ?? []).flatMap((role) => ("AccessPriv" in role ? [role.AccessPriv.priv_name ?? ""] : []));
    out.databaseWide(roles[0] ?? "", `${statement.is_grant ? "grants" : "revokes"} membership in role ${roles.map((role) => `\`${role}\``).join(", ")}`);
  },
  AlterDefaultPrivilegesStmt: wide(() => "default_privileges", "changes the default privileges of objects created later"),
  AlterOwnerStmt(node, out) {
    const statement = field(node, "AlterOwnerStmt");
    const owner = roleNames(statement.newowner ? [{ RoleSpec: statement.newowner }] : [])[0] ?? "";
    const name = nameOfObject(statement.object) || tableName(statement.relation);
    if (databaseWideTypes.has(statement.objectType ?? "")) out.databaseWide(name, `changes the owner of ${labelOf(statement.objectType)} \`${name}\``);
    else out.alter(kindOf(statement.objectType), name, `changes the owner to \`${owner}\``);
  },
  DropOwnedStmt(node, out) {
    const statement = field(node, "DropOwnedStmt");
    const roles = roleNames(statement.roles);
    out.databaseWide(roles[0] ?? "", `drops every object owned by ${roles.map((role) => `\`${role}\``).join(", ")}, whichever service created it`);
  },
  ReassignOwnedStmt(node, out) {
    const roles = roleNames(field(node, "ReassignOwnedStmt").roles);
    out.databaseWide(roles[0] ?? "", `gives away every object owned by ${roles.map((role) => `\`${role}\``).join(", ")}`);
  },
  CreateRoleStmt: wide((node) => field(node, "CreateRoleStmt").role ?? "", "creates a role of the whole cluster"),
  AlterRoleStmt: wide((node) => roleNames(nodeList(field(node, "AlterRoleStmt").role))[0] ?? "", "changes a role of the whole cluster"),
  AlterRoleSetStmt: wide((node) => roleNames(nodeList(field(node, "AlterRoleSetStmt").role))[0] ?? "", "changes a role's settings"),
  DropRoleStmt: wide((node) => roleNames(field(node, "DropRoleStmt").roles)[0] ?? "", "drops a role of the whole cluster"),
  CreatedbStmt: wide((node) => field(node, "CreatedbStmt").dbname ?? "", "creates a database"),
  DropdbStmt: wide((node) => field(node, "DropdbStmt").dbname ?? "", "drops a database"),
  AlterDatabaseStmt: wide((node) => field(node, "AlterDatabaseStmt").dbname ?? "", "changes the database"),
  AlterDatabaseSetStmt: wide((node) => field(node, "AlterDatabaseSetStmt").dbname ?? "", "changes the database's settings for every service"),
  AlterDatabaseRefreshCollStmt: wide((node) => field(node, "AlterDatabaseRefreshCollStmt").dbname ?? "", "refreshes the database's collation version"),
  AlterSystemStmt: wide(() => "system", "changes the server's configuration"),
  CreateTableSpaceStmt: wide((node) => field(node, "CreateTableSpaceStmt").tablespacename ?? "", "creates a tablespace"),
  DropTableSpaceStmt: wide((node) => field(node, "DropTableSpaceStmt").tablespacename ?? "", "drops a tablespace"),
  AlterTableSpaceOptionsStmt: wide((node) => field(node, "AlterTableSpaceOptionsStmt").tablespacename ?? "", "changes a tablespace"),
  AlterTableMoveAllStmt: wide((node) => field(node, "AlterTableMoveAllStmt").orig_tablespacename ?? "", "moves every table of a tablespace"),
  CreatePublicationStmt: wide((node) => field(node, "CreatePublicationStmt").pubname ?? "", "creates a publication"),
  AlterPublicationStmt: wide((node) => field(node, "AlterPublicationStmt").pubname ?? "", "changes a publication"),
  CreateSubscriptionStmt: wide((node) => field(node, "CreateSubscriptionStmt").subname ?? "", "creates a subscription"),
  AlterSubscriptionStmt: wide((node) => field(node, "AlterSubscriptionStmt").subname ?? "", "changes a subscription"),
  DropSubscriptionStmt: wide((node) => field(node, "DropSubscriptionStmt").subname ?? "", "drops a subscription"),
  CreatePLangStmt: wide((node) => field(node, "CreatePLangStmt").plname ?? "", "installs a procedural language"),
  CreateFdwStmt(node, out) {
    out.create({ kind: "other", name: field(node, "CreateFdwStmt").fdwname ?? "", label: "foreign-data wrapper" });
  },
  AlterFdwStmt(node, out) {
    out.alter("other", field(node, "AlterFdwStmt").fdwname ?? "", "changes the foreign-data wrapper");
  },
  CreateForeignServerStmt(node, out) {
    out.create({ kind: "other", name: field(node, "CreateForeignServerStmt").servername ?? "", label: "foreign server" });
  },
  AlterForeignServerStmt(node, out) {
    out.alter("other", field(node, "AlterForeignServerStmt").servername ?? "", "changes the foreign server");
  },
  CreateUserMappingStmt: wide((node) => field(node, "CreateUserMappingStmt").servername ?? "", "creates a user mapping"),
  AlterUserMappingStmt: wide((node) => field(node, "AlterUserMappingStmt").servername ?? "", "changes a user mapping"),
  DropUserMappingStmt: wide((node) => field(node, "DropUserMappingStmt").servername ?? "", "drops a user mapping"),
  ImportForeignSchemaStmt(node, out) {
    const statement = field(node, "ImportForeignSchemaStmt");
    out.analysis.notUnderstood.push(`IMPORT FOREIGN SCHEMA ${statement.remote_schema ?? ""}: the tables it creates are not known`);
  },
  CommentStmt(node, out) {
    const statement = field(node, "CommentStmt");
    annotation("comments on", statement.objtype, statement.object, out);
  },
  SecLabelStmt(node, out) {
    const statement = field(node, "SecLabelStmt");
    annotation("sets a security label on", statement.objtype, statement.object, out);
  },
  CreateStatsStmt(node, out) {
    const statement = field(node, "CreateStatsStmt");
    for (const relation of statement.relations ?? []) {
      if ("RangeVar" in relation) out.table(detail(tableName(relation.RangeVar), `creates statistics \`${objectName(statement.defnames)}\``, out.loc));
    }
  },
  AlterStatsStmt(node, out) {
    out.alter("other", objectName(field(node, "AlterStatsStmt").defnames), "changes extended statistics");
  },
  CreateCastStmt: other("cast"),
  CreateConversionStmt(node, out) {
    out.create({ kind: "other", name: objectName(field(node, "CreateConversionStmt").conversion_name), label: "conversion" });
  },
  CreateOpClassStmt(node, out) {
    out.create({ kind: "other", name: objectName(field(node, "CreateOpClassStmt").opclassname), label: "operator class" });
  },
  CreateOpFamilyStmt(node, out) {
    out.create({ kind: "other", name: objectName(field(node, "CreateOpFamilyStmt").opfamilyname), label: "operator family" });
  },
  AlterOpFamilyStmt(node, out) {
    out.alter("other", objectName(field(node, "AlterOpFamilyStmt").opfamilyname), "changes the operator family");
  },
  AlterOperatorStmt(node, out) {
    out.alter("other", objectName(field(node, "AlterOperatorStmt").opername?.objname), "changes the operator");
  },
  CreateTransformStmt: other("transform"),
  CreateAmStmt(node, out) {
    out.create({ kind: "other", name: field(node, "CreateAmStmt").amname ?? "", label: "access method" });
  },
  AlterCollationStmt(node, out) {
    out.alter("other", objectName(field(node, "AlterCollationStmt").collname), "refreshes the collation version");
  },
  AlterTSConfigurationStmt(node, out) {
    out.alter("other", objectName(field(node, "AlterTSConfigurationStmt").cfgname), "changes the text search configuration");
  },
  AlterTSDictionaryStmt(node, out) {
    out.alter("other", objectName(field(node, "AlterTSDictionaryStmt").dictname), "changes the text search dictionary");
  },
  AlterObjectDependsStmt(node, out) {
    const statement = field(node, "AlterObjectDependsStmt");
    const name = nameOfObject(statement.object) || tableName(statement.relation);
    out.alter(kindOf(statement.objectType), name, `makes it depend on extension \`${statement.extname?.sval ?? ""}\``);
  },
  RefreshMatViewStmt(node, out) {
    out.alter("materialized-view", tableName(field(node, "RefreshMatViewStmt").relation), "refreshes its rows");
  },
};

function nodeList(role: unknown): Node[] {
  return role ? [{ RoleSpec: role } as Node] : [];
}

function domainAction(subtype: string | undefined): string {
  const actions: Record<string, string> = {
    T: "default",
    N: "drops NOT NULL",
    O: "sets NOT NULL",
    C: "adds a constraint",
    X: "drops a constraint",
    V: "validates a constraint",
  };
  return actions[subtype ?? ""] ?? "changes it";
}

function ownedByOption(options: Node[] | undefined): { table: string; column: string } | undefined {
  for (const option of options ?? []) {
    if (!("DefElem" in option) || option.DefElem.defname !== "owned_by") continue;
    const arg = option.DefElem.arg;
    const names = arg && "List" in arg ? stringList(arg.List.items) : [];
    const column = names[names.length - 1];
    if (names.length < 2 || column === undefined) return undefined;
    return { table: objectName(names.slice(0, -1).map((sval) => ({ String: { sval } }))), column };
  }
  return undefined;
}

/** A view's columns: its own column list, else each output of the SELECT (`*` to be expanded later). */
function viewOutputs(statement: ViewStmt): ViewOutput[] | undefined {
  const aliases = stringList(statement.aliases);
  const outputs = statement.query ? queryOutputs(statement.query) : undefined;
  if (!outputs) return aliases.length > 0 ? aliases.map((name) => ({ name })) : undefined;
  // A column list renames the first outputs; the rest keep their names.
  return outputs.map((output, index) => {
    const alias = aliases[index];
    return alias !== undefined ? { name: alias } : output;
  });
}

/** Output columns of a query, as PostgreSQL names them; undefined when they cannot be told. */
export function queryOutputs(query: Node): ViewOutput[] | undefined {
  if (!("SelectStmt" in query)) return undefined;
  let select = query.SelectStmt;
  // A set operation takes its column names from its first branch.
  while (select.op && select.op !== "SETOP_NONE" && select.larg) select = select.larg;
  if (select.valuesLists) {
    const first = select.valuesLists[0];
    const count = first && "List" in first ? (first.List.items ?? []).length : 0;
    return Array.from({ length: count }, (_, index) => ({ name: `column${index + 1}` }));
  }
  const outputs: ViewOutput[] = [];
  for (const target of select.targetList ?? []) {
    if (!("ResTarget" in target)) return undefined;
    const output = targetOutput(target.ResTarget.name, target.ResTarget.val, select.fromClause ?? []);
    if (!output) return undefined;
    outputs.push(...output);
  }
  return outputs;
}

function targetOutput(name: string | undefined, value: Node | undefined, from: Node[]): ViewOutput[] | undefined {
  if (name) return [{ name }];
  if (!value) return undefined;
  if ("ColumnRef" in value) {
    const fields = value.ColumnRef.fields ?? [];
    const last = fields[fields.length - 1];
    if (last && "A_Star" in last) {
      const qualifier = stringList(fields.slice(0, -1));
      if (qualifier.length > 0) return [{ allOf: aliasTarget(qualifier, from) }];
      const tables = from.map((item) => ("RangeVar" in item ? tableName(item.RangeVar) : undefined));
      return tables.every((table): table is string => table !== undefined) ? tables.map((table) => ({ allOf: table })) : undefined;
    }
    return last && "String" in last ? [{ name: last.String.sval ?? "" }] : undefined;
  }
  if ("FuncCall" in value) {
    const names = stringList(value.FuncCall.funcname);
    return [{ name: names[names.length - 1] ?? "?column?" }];
  }
  if ("TypeCast" in value) return targetOutput(undefined, value.TypeCast.arg, from) ?? [{ name: typeCastName(value) }];
  return [{ name: "?column?" }];
}

function typeCastName(value: Node): string {
  if (!("TypeCast" in value)) return "?column?";
  const names = stringList(value.TypeCast.typeName?.names);
  return names[names.length - 1] ?? "?column?";
}

/** `t.*` where `t` is an alias: the table it stands for. */
function aliasTarget(qualifier: string[], from: Node[]): string {
  const name = qualifier[qualifier.length - 1] ?? "";
  for (const item of flattenFrom(from)) {
    if (item.alias?.aliasname === name || (!item.alias && item.relname === name)) return tableName(item);
  }
  return objectName(qualifier.map((sval) => ({ String: { sval } })));
}

function flattenFrom(from: Node[]): RangeVar[] {
  return from.flatMap((item): RangeVar[] => {
    if ("RangeVar" in item) return [item.RangeVar];
    if ("JoinExpr" in item) return flattenFrom([item.JoinExpr.larg, item.JoinExpr.rarg].filter((side): side is Node => side !== undefined));
    return [];
  });
}

/** RETURNS TABLE (…) and OUT parameters declare a function's result columns. */
function resultColumns(statement: CreateFunctionStmt): string[] | undefined {
  const columns: string[] = [];
  for (const parameter of statement.parameters ?? []) {
    if (!("FunctionParameter" in parameter)) continue;
    const { mode, name } = parameter.FunctionParameter;
    if (mode === "FUNC_PARAM_TABLE" || mode === "FUNC_PARAM_OUT" || mode === "FUNC_PARAM_INOUT") columns.push(name ?? "");
  }
  return columns.length > 0 ? columns : undefined;
}

function grant(statement: GrantStmt, out: Collector): void {
  const verb = statement.is_grant ? "grants" : "revokes";
  const privileges = (statement.privileges ?? []).flatMap((item) => ("AccessPriv" in item ? [(item.AccessPriv.priv_name ?? "").toUpperCase()] : []));
  const what = privileges.length > 0 ? privileges.join(", ") : "ALL PRIVILEGES";
  const grantees = roleNames(statement.grantees).map((role) => `\`${role}\``).join(", ");
  const description = `${verb} ${what} ${statement.is_grant ? "to" : "from"} ${grantees}`;
  if (statement.targtype === "ACL_TARGET_ALL_IN_SCHEMA") {
    for (const schema of statement.objects ?? []) out.databaseWide(nameOfObject(schema), `${description} on every ${labelOf(statement.objtype)} of the schema`);
    return;
  }
  for (const object of statement.objects ?? []) {
    if ("RangeVar" in object && (statement.objtype === "OBJECT_TABLE" || statement.objtype === "OBJECT_FOREIGN_TABLE")) {
      // Taking a privilege away breaks whoever used it; granting one breaks nobody.
      out.table(detail(tableName(object.RangeVar), description, out.loc, statement.is_grant ? {} : { breaks: "uses" }));
    } else if (databaseWideTypes.has(statement.objtype ?? "") || statement.objtype === "OBJECT_SCHEMA") {
      out.databaseWide(nameOfObject(object), `${description} on ${labelOf(statement.objtype)} \`${nameOfObject(object)}\``);
    } else {
      out.alter(kindOf(statement.objtype), nameOfObject(object), description, !statement.is_grant);
    }
  }
}

/** COMMENT ON / SECURITY LABEL: a detail of the table it is on, or a change to the object. */
function annotation(verb: string, objectType: string | undefined, object: Node | undefined, out: Collector): void {
  const names = object && "List" in object ? stringList(object.List.items) : [];
  if (objectType === "OBJECT_COLUMN") {
    const column = names[names.length - 1] ?? "";
    const table = objectName(names.slice(0, -1).map((sval) => ({ String: { sval } })));
    out.table(detail(table, `${verb} column \`${column}\``, out.loc, { column }));
  } else if (objectType === "OBJECT_TABLE" || objectType === "OBJECT_FOREIGN_TABLE") {
    out.table(detail(nameOfObject(object), `${verb} the table`, out.loc));
  } else if (objectType === "OBJECT_TRIGGER" || objectType === "OBJECT_POLICY" || objectType === "OBJECT_RULE" || objectType === "OBJECT_TABCONSTRAINT") {
    const table = objectName(names.slice(0, -1).map((sval) => ({ String: { sval } })));
    out.table(detail(table, `${verb} ${labelOf(objectType)} \`${names[names.length - 1] ?? ""}\``, out.loc));
  } else if (databaseWideTypes.has(objectType ?? "")) {
    out.databaseWide(nameOfObject(object), `${verb} ${labelOf(objectType)} \`${nameOfObject(object)}\``);
  } else {
    out.alter(kindOf(objectType), nameOfObject(object), `${verb} it`);
  }
}

/** Renames the relational parts of `sql-ddl.ts` leaves: every other RENAME names an object or a table detail. */
export function renameObject(statement: RenameStmt, loc: Location): ObjectAnalysis {
  const out = new Collector(loc);
  const type = statement.renameType;
  const newName = statement.newname ?? "";
  const table = tableName(statement.relation);
  switch (type) {
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
    case "OBJECT_INDEX":
    case "OBJECT_SEQUENCE":
      out.rename(kindOf(type), table, qualifiedName(statement.relation?.schemaname, newName));
      break;
    case "OBJECT_TABCONSTRAINT":
    case "OBJECT_TRIGGER":
    case "OBJECT_RULE":
    case "OBJECT_POLICY":
      out.table(detail(table, `renames ${labelOf(type)} \`${statement.subname ?? ""}\` to \`${newName}\``, out.loc));
      break;
    case "OBJECT_SCHEMA":
      out.rename("schema", statement.subname ?? "", newName);
      break;
    default: {
      const name = nameOfObject(statement.object);
      if (databaseWideTypes.has(type ?? "")) out.databaseWide(name || (statement.subname ?? ""), `renames ${labelOf(type)} \`${name || (statement.subname ?? "")}\` to \`${newName}\``);
      else if (type === "OBJECT_ATTRIBUTE" || type === "OBJECT_DOMCONSTRAINT") out.alter("type", name || table, `renames \`${statement.subname ?? ""}\` to \`${newName}\``, true);
      else out.rename(kindOf(type), name, qualifiedName(schemaPart(name), newName));
    }
  }
  return out.analysis;
}

function schemaPart(name: string): string | undefined {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? undefined : name.slice(0, dot);
}

/** ALTER VIEW/SEQUENCE/INDEX/MATERIALIZED VIEW … (any subcommand): PostgreSQL applies it to whatever relation has the name. */
export function alterRelation(objectType: string | undefined, relation: RangeVar | undefined, commands: AlterTableCmd[], loc: Location): ObjectAnalysis {
  const out = new Collector(loc);
  const what = commands.map((command) => subcommandPhrase(command)).join(", ");
  out.alter(kindOf(objectType), tableName(relation), what, false);
  return out.analysis;
}

/** ALTER TABLE subcommands the column model does not track, as a phrase: `AT_DisableTrigAll` → "disables every trigger". */
export function subcommandPhrase(command: AlterTableCmd): string {
  const name = command.name ? ` \`${command.name}\`` : "";
  const phrases: Record<string, string> = {
    AT_EnableTrig: `enables trigger${name}`,
    AT_EnableAlwaysTrig: `enables trigger${name} always`,
    AT_EnableReplicaTrig: `enables trigger${name} on replicas`,
    AT_DisableTrig: `disables trigger${name}`,
    AT_EnableTrigAll: "enables every trigger",
    AT_DisableTrigAll: "disables every trigger",
    AT_EnableTrigUser: "enables every user trigger",
    AT_DisableTrigUser: "disables every user trigger",
    AT_EnableRule: `enables rule${name}`,
    AT_DisableRule: `disables rule${name}`,
    AT_EnableRowSecurity: "enables row level security",
    AT_DisableRowSecurity: "disables row level security",
    AT_ForceRowSecurity: "forces row level security",
    AT_NoForceRowSecurity: "stops forcing row level security",
    AT_ChangeOwner: `changes the owner to \`${command.newowner?.rolename ?? ""}\``,
    AT_AddIdentity: `makes${name} an identity column`,
    AT_SetIdentity: `changes identity column${name}`,
    AT_DropIdentity: `drops the identity of${name}`,
    AT_SetStatistics: `sets the statistics target of${name}`,
    AT_SetStorage: `sets the storage of${name}`,
    AT_SetCompression: `sets the compression of${name}`,
    AT_SetOptions: `sets options of${name}`,
    AT_ResetOptions: `resets options of${name}`,
    AT_SetRelOptions: "sets storage parameters",
    AT_ResetRelOptions: "resets storage parameters",
    AT_ReplaceRelOptions: "replaces storage parameters",
    AT_ClusterOn: `clusters on index${name}`,
    AT_DropCluster: "stops clustering",
    AT_SetLogged: "makes the table logged",
    AT_SetUnLogged: "makes the table unlogged",
    AT_SetAccessMethod: "changes the access method",
    AT_SetTableSpace: `moves it to tablespace${name}`,
    AT_ValidateConstraint: `validates constraint${name}`,
    AT_AlterConstraint: `alters constraint${name}`,
    AT_ReplicaIdentity: "changes the replica identity",
    AT_AttachPartition: "attaches a partition",
    AT_DetachPartition: "detaches a partition",
    AT_DetachPartitionFinalize: "finishes detaching a partition",
    AT_AddInherit: "adds a parent table",
    AT_DropInherit: "drops a parent table",
    AT_AddOf: "binds it to a composite type",
    AT_DropOf: "unbinds it from its composite type",
    AT_SetExpression: `changes the generation expression of${name}`,
    AT_DropExpression: `drops the generation expression of${name}`,
    AT_CookedColumnDefault: `sets the default of${name}`,
    AT_AlterColumnGenericOptions: `changes foreign options of${name}`,
    AT_GenericOptions: "changes foreign options",
    AT_AddIndex: "adds an index",
    AT_AddIndexConstraint: "adds a constraint using an index",
  };
  return phrases[command.subtype ?? ""] ?? `alters the table (${(command.subtype ?? "").replace(/^AT_/, "")})`;
}

/** The table detail of an ALTER TABLE subcommand, with what it can break. */
export function tableDetailOf(command: AlterTableCmd, table: string, loc: Location): TableDetail {
  const description = subcommandPhrase(command);
  const column = command.name;
  if (command.subtype === "AT_AddIdentity" || command.subtype === "AT_SetIdentity") {
    const always = identityAlways(command.def);
    // GENERATED ALWAYS refuses every INSERT that gives the column a value.
    return detail(table, always ? `${description} GENERATED ALWAYS` : description, loc, always && column ? { column, breaks: "column-writes" } : column ? { column } : {});
  }
  if (command.subtype === "AT_EnableRowSecurity" || command.subtype === "AT_ForceRowSecurity") return detail(table, description, loc, { breaks: "uses" });
  return detail(table, description, loc, column && /of|identity/.test(description) ? { column } : {});
}

function identityAlways(definition: Node | undefined): boolean {
  if (!definition) return false;
  if ("Constraint" in definition) return definition.Constraint.generated_when === "a";
  if ("List" in definition) {
    return (definition.List.items ?? []).some(
      (item) => "DefElem" in item && item.DefElem.defname === "generated" && item.DefElem.arg !== undefined && "Integer" in item.DefElem.arg && item.DefElem.arg.Integer.ival === 97,
    );
  }
  return false;
}

/** DROP of anything but tables and indexes. */
export function dropObject(removeType: string | undefined, objects: Node[], cascade: boolean, ifExists: boolean, loc: Location): ObjectAnalysis {
  const out = new Collector(loc);
  for (const object of objects) {
    const name = nameOfObject(object);
    if (removeType === "OBJECT_TRIGGER" || removeType === "OBJECT_RULE" || removeType === "OBJECT_POLICY") {
      const names = "List" in object ? stringList(object.List.items) : [];
      const table = objectName(names.slice(0, -1).map((sval) => ({ String: { sval } })));
      out.table(detail(table, `drops ${labelOf(removeType)} \`${names[names.length - 1] ?? ""}\``, loc));
    } else if (databaseWideTypes.has(removeType ?? "")) {
      if (removeType === "OBJECT_EXTENSION") out.drop("extension", name, cascade, ifExists);
      out.databaseWide(name, `drops ${labelOf(removeType)} \`${name}\`${cascade ? " and everything that depends on it" : ""}`);
    } else {
      out.drop(kindOf(removeType), name, cascade, ifExists);
    }
  }
  return out.analysis;
}
