// Which tables and columns a query reads and writes. Scopes follow SQL's own: each SELECT
// level sees its FROM items, then the levels around it; a CTE name hides no table but is
// not one either.
import type {
  DeleteStmt,
  InsertStmt,
  MergeStmt,
  Node,
  RangeVar,
  ResTarget,
  SelectStmt,
  UpdateStmt,
  WithClause,
} from "libpg-query";
import type { Location, TableUse } from "../core/changes.js";
import { stringList, tableName } from "./sql-names.js";
import { queryOutputs } from "./sql-objects.js";

interface UseAccumulator {
  table: string;
  access: TableUse["access"];
  columns: Set<string>;
  possibleColumns: Set<string>;
  allColumns: boolean;
  insert?: { columns: Set<string> | "all" };
  openScope: boolean;
}

interface TableSource {
  kind: "table";
  /** The name queries qualify columns with: the alias, else the bare table name. */
  name: string;
  use: UseAccumulator;
}
interface DerivedSource {
  kind: "derived";
  name: string;
  /** Its output columns; undefined when they are not known (a function returning a record, `*`). */
  columns?: Set<string>;
}
type Source = TableSource | DerivedSource;

interface Scope {
  parent?: Scope;
  sources: Source[];
  ctes: Set<string>;
}

/** Collects the uses of one statement: one TableUse per (table, access). */
export class UseCollector {
  private readonly uses = new Map<string, UseAccumulator>();
  /** Output columns of each CTE seen, where known. */
  private readonly cteColumns = new Map<string, Set<string> | undefined>();

  constructor(
    /** Names that are variables, not columns (PL/pgSQL declarations and parameters). */
    private readonly variables: ReadonlySet<string> = new Set(),
  ) {}

  statement(node: Node): void {
    this.query(node, undefined);
  }

  /** Reads of an expression with no table in scope (PL/pgSQL conditions, defaults). */
  expression(node: Node): void {
    this.walk(node, { sources: [], ctes: new Set() });
  }

  tableUse(table: string, access: TableUse["access"]): UseAccumulator {
    const key = `${access}\u0000${table}`;
    let use = this.uses.get(key);
    if (!use) {
      use = { table, access, columns: new Set(), possibleColumns: new Set(), allColumns: false, openScope: false };
      this.uses.set(key, use);
    }
    return use;
  }

  result(loc: Location): TableUse[] {
    return [...this.uses.values()].map((use) => ({
      table: use.table,
      access: use.access,
      columns: [...use.columns],
      possibleColumns: [...use.possibleColumns].filter((column) => !use.columns.has(column)),
      allColumns: use.allColumns,
      ...(use.insert ? { insert: { columns: use.insert.columns === "all" ? ("all" as const) : [...use.insert.columns] } } : {}),
      ...(use.openScope ? { openScope: true } : {}),
      loc,
    }));
  }

  /** Rows inserted into `use`'s table, with the columns given (none: every column, by position). */
  inserts(use: UseAccumulator, columns: readonly string[]): void {
    if (columns.length === 0) use.insert = { columns: "all" };
    else if (use.insert?.columns !== "all") use.insert = { columns: new Set([...(use.insert?.columns ?? []), ...columns]) };
  }

  /** Any statement that reads or writes rows; other nodes are walked as expressions. */
  query(node: Node, parent: Scope | undefined): void {
    if ("SelectStmt" in node) this.select(node.SelectStmt, parent);
    else if ("InsertStmt" in node) this.insert(node.InsertStmt, parent);
    else if ("UpdateStmt" in node) this.update(node.UpdateStmt, parent);
    else if ("DeleteStmt" in node) this.delete(node.DeleteStmt, parent);
    else if ("MergeStmt" in node) this.merge(node.MergeStmt, parent);
    else this.walk(node, parent ?? { sources: [], ctes: new Set() });
  }

  private withClause(clause: WithClause | undefined, parent: Scope | undefined): Set<string> {
    const ctes = new Set(parent?.ctes ?? []);
    for (const item of clause?.ctes ?? []) {
      if (!("CommonTableExpr" in item)) continue;
      const cte = item.CommonTableExpr;
      // A recursive CTE refers to itself; a plain one sees only the CTEs before it.
      const declared = stringList(cte.aliascolnames);
      this.cteColumns.set(cte.ctename ?? "", declared.length > 0 ? new Set(declared) : outputNamesOf(cte.ctequery));
      if (clause?.recursive) ctes.add(cte.ctename ?? "");
      if (cte.ctequery) this.query(cte.ctequery, { parent, sources: [], ctes: new Set(ctes) });
      ctes.add(cte.ctename ?? "");
    }
    return ctes;
  }

  private select(select: SelectStmt, parent: Scope | undefined): void {
    const ctes = this.withClause(select.withClause, parent);
    if (select.op && select.op !== "SETOP_NONE") {
      if (select.larg) this.select(select.larg, { parent, sources: [], ctes });
      if (select.rarg) this.select(select.rarg, { parent, sources: [], ctes });
      return;
    }
    const scope: Scope = { parent, sources: [], ctes };
    const joinConditions: Node[] = [];
    for (const item of select.fromClause ?? []) this.fromItem(item, scope, joinConditions);
    this.walk(joinConditions, scope);
    this.walk([select.targetList, select.whereClause, select.havingClause, select.windowClause], scope);
    this.walk([select.distinctClause, select.valuesLists, select.limitCount, select.limitOffset], scope);
    const outputNames = new Set(targetNames(select.targetList).filter((name) => name !== ""));
    for (const item of [...(select.groupClause ?? []), ...(select.sortClause ?? [])]) {
      const expression = "SortBy" in item ? item.SortBy.node : item;
      // ORDER BY / GROUP BY may name an output column instead of a table column.
      const name = expression ? bareColumnName(expression) : undefined;
      if (name === undefined || !outputNames.has(name)) this.walk(expression, scope);
    }
  }

  private fromItem(item: Node, scope: Scope, joinConditions: Node[], access: TableUse["access"] = "read"): void {
    if ("RangeVar" in item) {
      scope.sources.push(this.rangeSource(item.RangeVar, scope, access));
    } else if ("JoinExpr" in item) {
      const join = item.JoinExpr;
      const before = scope.sources.length;
      if (join.larg) this.fromItem(join.larg, scope, joinConditions);
      const middle = scope.sources.length;
      if (join.rarg) this.fromItem(join.rarg, scope, joinConditions);
      if (join.quals) joinConditions.push(join.quals);
      const sides = [scope.sources.slice(before, middle), scope.sources.slice(middle)];
      for (const column of stringListOf(join.usingClause)) {
        for (const side of sides) this.usingColumn(side, column);
      }
    } else if ("RangeSubselect" in item) {
      const subselect = item.RangeSubselect;
      const outer = subselect.lateral ? scope : { parent: scope.parent, sources: [], ctes: scope.ctes };
      if (subselect.subquery) this.query(subselect.subquery, outer);
      const aliases = stringList(subselect.alias?.colnames);
      const columns = aliases.length > 0 ? new Set(aliases) : outputNamesOf(subselect.subquery);
      scope.sources.push({ kind: "derived", name: subselect.alias?.aliasname ?? "", ...(columns ? { columns } : {}) });
    } else if ("RangeFunction" in item) {
      const range = item.RangeFunction;
      this.walk(range.functions, scope);
      // Only an alias's column list (`AS t(value, index)`) says what a function returns.
      const aliases = stringList(range.alias?.colnames);
      const declared = [...aliases, ...(range.coldeflist ?? []).flatMap((column) => ("ColumnDef" in column ? [column.ColumnDef.colname ?? ""] : []))];
      scope.sources.push({ kind: "derived", name: range.alias?.aliasname ?? "", ...(declared.length > 0 ? { columns: new Set(declared) } : {}) });
    } else if ("RangeTableSample" in item) {
      const sample = item.RangeTableSample;
      if (sample.relation) this.fromItem(sample.relation, scope, joinConditions, access);
      this.walk([sample.args, sample.repeatable], scope);
    } else {
      this.walk(item, scope);
      scope.sources.push({ kind: "derived", name: "" });
    }
  }

  private usingColumn(side: Source[], column: string): void {
    const tables = side.filter((source): source is TableSource => source.kind === "table");
    for (const source of tables) {
      if (side.length === 1) source.use.columns.add(column);
      else source.use.possibleColumns.add(column);
    }
  }

  private rangeSource(relation: RangeVar, scope: Scope, access: TableUse["access"]): Source {
    const alias = relation.alias?.aliasname;
    const relname = relation.relname ?? "";
    if (!relation.schemaname && scope.ctes.has(relname)) {
      const columns = this.cteColumns.get(relname);
      return { kind: "derived", name: alias ?? relname, ...(columns ? { columns } : {}) };
    }
    return { kind: "table", name: alias ?? relname, use: this.tableUse(tableName(relation), access) };
  }

  private targetScope(relation: RangeVar | undefined, parent: Scope | undefined, ctes: Set<string>): { scope: Scope; target: UseAccumulator } {
    const target = this.tableUse(tableName(relation), "write");
    const name = relation?.alias?.aliasname ?? relation?.relname ?? "";
    return { scope: { parent, sources: [{ kind: "table", name, use: target }], ctes }, target };
  }

  private insert(insert: InsertStmt, parent: Scope | undefined): void {
    const ctes = this.withClause(insert.withClause, parent);
    const { scope, target } = this.targetScope(insert.relation, parent, ctes);
    const columns = targetNames(insert.cols);
    for (const column of columns) target.columns.add(column);
    if (columns.length === 0) target.allColumns = true;
    this.inserts(target, columns);
    if (insert.selectStmt) this.query(insert.selectStmt, { parent, sources: [], ctes });
    const conflict = insert.onConflictClause;
    if (conflict) {
      // EXCLUDED is the row proposed for insertion: columns of the target table.
      const conflictScope: Scope = { ...scope, sources: [...scope.sources, { kind: "table", name: "excluded", use: target }] };
      for (const element of conflict.infer?.indexElems ?? []) {
        if (!("IndexElem" in element)) continue;
        if (element.IndexElem.name) target.columns.add(element.IndexElem.name);
        this.walk(element.IndexElem.expr, conflictScope);
      }
      this.walk(conflict.infer?.whereClause, conflictScope);
      this.assignments(conflict.targetList, target, conflictScope);
      this.walk(conflict.whereClause, conflictScope);
    }
    this.walk(insert.returningClause?.exprs, scope);
  }

  private update(update: UpdateStmt, parent: Scope | undefined): void {
    const ctes = this.withClause(update.withClause, parent);
    const { scope, target } = this.targetScope(update.relation, parent, ctes);
    const joinConditions: Node[] = [];
    for (const item of update.fromClause ?? []) this.fromItem(item, scope, joinConditions);
    this.walk(joinConditions, scope);
    this.assignments(update.targetList, target, scope);
    this.walk([update.whereClause, update.returningClause?.exprs], scope);
  }

  private delete(deletion: DeleteStmt, parent: Scope | undefined): void {
    const ctes = this.withClause(deletion.withClause, parent);
    // Deleting whole rows names no column: it still runs after any column is dropped.
    const { scope } = this.targetScope(deletion.relation, parent, ctes);
    const joinConditions: Node[] = [];
    for (const item of deletion.usingClause ?? []) this.fromItem(item, scope, joinConditions);
    this.walk([joinConditions, deletion.whereClause, deletion.returningClause?.exprs], scope);
  }

  private merge(merge: MergeStmt, parent: Scope | undefined): void {
    const ctes = this.withClause(merge.withClause, parent);
    const { scope, target } = this.targetScope(merge.relation, parent, ctes);
    const joinConditions: Node[] = [];
    if (merge.sourceRelation) this.fromItem(merge.sourceRelation, scope, joinConditions);
    this.walk([joinConditions, merge.joinCondition, merge.returningClause?.exprs], scope);
    for (const item of merge.mergeWhenClauses ?? []) {
      if (!("MergeWhenClause" in item)) continue;
      const clause = item.MergeWhenClause;
      this.walk([clause.condition, clause.values], scope);
      this.assignments(clause.targetList, target, scope);
      if (clause.commandType === "CMD_INSERT") {
        const columns = targetNames(clause.targetList);
        if (columns.length === 0) target.allColumns = true;
        this.inserts(target, columns);
      }
    }
  }

  /** `SET column = value`: the column is written, the value read. */
  private assignments(targets: Node[] | undefined, target: UseAccumulator, scope: Scope): void {
    for (const item of targets ?? []) {
      if (!("ResTarget" in item)) continue;
      if (item.ResTarget.name) target.columns.add(item.ResTarget.name);
      this.walk(item.ResTarget.val, scope);
    }
  }

  /** Walks an expression tree: column references resolve in `scope`, subqueries open their own. */
  private walk(value: unknown, scope: Scope): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, scope);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const node = value as Record<string, unknown>;
    if ("ColumnRef" in node) {
      this.columnRef((node.ColumnRef as { fields?: Node[] }).fields ?? [], scope);
    } else if ("SubLink" in node) {
      const subLink = node.SubLink as { testexpr?: Node; subselect?: Node };
      this.walk(subLink.testexpr, scope);
      if (subLink.subselect) this.query(subLink.subselect, scope);
    } else if ("SelectStmt" in node || "InsertStmt" in node || "UpdateStmt" in node || "DeleteStmt" in node) {
      this.query(node as Node, scope);
    } else {
      for (const child of Object.values(node)) this.walk(child, scope);
    }
  }

  private columnRef(fields: Node[], scope: Scope): void {
    const names = fields.map((field) => ("String" in field ? (field.String.sval ?? "") : "*"));
    const column = names[names.length - 1] ?? "";
    if (names.length === 1) {
      this.unqualifiedColumn(column, scope);
      return;
    }
    const qualifier = names[names.length - 2] ?? "";
    const source = findSource(scope, qualifier);
    if (source?.kind !== "table") return;
    if (column === "*") source.use.allColumns = true;
    else source.use.columns.add(column);
  }

  private unqualifiedColumn(column: string, scope: Scope): void {
    if (this.variables.has(column)) return;
    let level: Scope | undefined = scope;
    while (level && level.sources.length === 0) level = level.parent;
    if (!level) return;
    const derived = level.sources.filter((source): source is DerivedSource => source.kind === "derived");
    // A column a subquery, CTE or aliased function returns is theirs, not a table's.
    if (column !== "*" && derived.some((source) => source.columns?.has(column))) return;
    const open = derived.some((source) => source.columns === undefined);
    const only = level.sources.length === 1 ? level.sources[0] : undefined;
    for (const source of level.sources) {
      if (source.kind !== "table") continue;
      if (column === "*") source.use.allColumns = true;
      else if (source === only) source.use.columns.add(column);
      else source.use.possibleColumns.add(column);
      if (open) source.use.openScope = true;
    }
  }
}

function findSource(scope: Scope | undefined, name: string): Source | undefined {
  for (let level = scope; level; level = level.parent) {
    const found = level.sources.find((source) => source.name === name);
    if (found) return found;
  }
  return undefined;
}

function bareColumnName(node: Node): string | undefined {
  if (!("ColumnRef" in node)) return undefined;
  const fields = node.ColumnRef.fields ?? [];
  const only = fields.length === 1 ? fields[0] : undefined;
  return only && "String" in only ? only.String.sval : undefined;
}

function targetNames(targets: Node[] | undefined): string[] {
  return (targets ?? []).flatMap((item) => ("ResTarget" in item ? [(item.ResTarget as ResTarget).name ?? ""] : []));
}

function outputNamesOf(query: Node | undefined): Set<string> | undefined {
  const outputs = query ? queryOutputs(query) : undefined;
  if (!outputs || outputs.some((output) => !("name" in output))) return undefined;
  return new Set(outputs.flatMap((output) => ("name" in output ? [output.name] : [])));
}

function stringListOf(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((node) => ("String" in node ? [node.String.sval ?? ""] : []));
}
