// Evaluates the Python statements that build a migration's `operations`: the class-body
// assignment, `+=`, `.append`/`.extend`/`.insert`, `if` on a literal condition, the same on
// `Migration.operations` after the class and on `self.operations` in `__init__`. Any other
// statement touching the list is reported, so no operation is silently left out.
import type { Node } from "web-tree-sitter";
import { lineOf, significantChildren, toPyValue, truthOf, type PyScope, type PyValue } from "./django-values.js";

export type Problem = (line: number, reason: string, subject?: string) => void;

/** The list as built so far; `undefined` until it is assigned. `unknown` once a step could not be evaluated. */
export interface OperationsList {
  items: PyValue[] | undefined;
  unknown: boolean;
}

/** `operations` in the class body, `Migration.operations` after it, `self.operations` in `__init__`, or a module list constant. */
export type OperationsTarget = string;

const compact = (text: string): string => text.replace(/\s+/g, "");

/** Whether a statement names the list at all (an identifier in the class body, the attribute elsewhere). */
export function mentions(node: Node, target: OperationsTarget): boolean {
  if (!target.includes(".")) return node.descendantsOfType("identifier").some((identifier) => identifier.text === target);
  return node.descendantsOfType("attribute").some((attribute) => compact(attribute.text) === target);
}

function firstLine(node: Node): string {
  const line = node.text.split("\n")[0] ?? "";
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

/** Items of a list literal without those a syntax error broke; other expressions must evaluate to a sequence. */
function itemsOf(node: Node, scope: PyScope): PyValue[] | undefined {
  if (node.type === "list" || node.type === "tuple") {
    return significantChildren(node)
      .filter((item) => !item.hasError)
      .map((item) => toPyValue(item, scope));
  }
  const value = toPyValue(node, scope);
  return value.kind === "seq" ? value.items : undefined;
}

export class OperationsBuilder {
  constructor(
    private readonly scope: PyScope,
    private readonly problem: Problem,
    private readonly target: OperationsTarget,
    readonly list: OperationsList,
  ) {}

  /** Runs the statements in order; returns those it did not recognise and that do not name the list. */
  run(statements: Node[]): Node[] {
    const others: Node[] = [];
    for (const statement of statements) {
      if (this.list.unknown) break;
      if (!this.step(statement)) {
        if (mentions(statement, this.target)) this.unevaluated(statement, `\`${firstLine(statement)}\` changes \`${this.target}\` in a way the app cannot evaluate`);
        else others.push(statement);
      }
    }
    return others;
  }

  unevaluated(node: Node, reason: string): void {
    this.problem(lineOf(node), `${reason}, so the operations of this migration cannot be known`, this.target);
    this.list.unknown = true;
  }

  private step(statement: Node): boolean {
    if (statement.type === "if_statement") return this.conditional(statement);
    if (statement.type !== "expression_statement") return false;
    const expression = significantChildren(statement)[0];
    if (!expression) return false;
    if (expression.type === "assignment" || expression.type === "augmented_assignment") return this.assignment(expression);
    if (expression.type === "call") return this.method(expression);
    return false;
  }

  private assignment(node: Node): boolean {
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    if (!left || !right || compact(left.text) !== this.target) return false;
    const operator = node.childForFieldName("operator")?.text ?? "=";
    if (operator !== "=" && operator !== "+=") return false;
    if (right.hasError && right.type !== "list") return true;
    const items = itemsOf(right, this.scopeWithList(right));
    if (!items) {
      this.unevaluated(right, `\`${this.target}\` is not a literal list`);
      return true;
    }
    if (operator === "=") this.list.items = items;
    else if (this.list.items) this.list.items = [...this.list.items, ...items];
    else this.unevaluated(node, `\`${this.target} +=\` before \`${this.target}\` is assigned`);
    return true;
  }

  /** `operations = operations + [...]`: the list so far is a value of the expression. */
  private scopeWithList(node: Node): PyScope {
    if (!this.list.items) return this.scope;
    const constants = new Map(this.scope.constants);
    constants.set(this.target, { kind: "seq", items: this.list.items, line: lineOf(node) });
    return { imports: this.scope.imports, constants };
  }

  private method(node: Node): boolean {
    const fn = node.childForFieldName("function");
    const object = fn?.type === "attribute" ? fn.childForFieldName("object") : undefined;
    const method = fn?.childForFieldName("attribute")?.text;
    if (!object || compact(object.text) !== this.target || method === undefined) return false;
    const args = significantChildren(node.childForFieldName("arguments") ?? node).filter((arg) => arg.type !== "keyword_argument");
    const items = this.list.items;
    if (!items) {
      this.unevaluated(node, `\`${this.target}.${method}(...)\` before \`${this.target}\` is assigned`);
      return true;
    }
    const [first, second] = args;
    if (method === "append" && first && args.length === 1) items.push(toPyValue(first, this.scope));
    else if (method === "extend" && first && args.length === 1) {
      const added = itemsOf(first, this.scope);
      if (added) items.push(...added);
      else this.unevaluated(first, `\`${this.target}.extend(...)\` of something that is not a literal list`);
    } else if (method === "insert" && first && second && args.length === 2) {
      const index = toPyValue(first, this.scope);
      if (index.kind === "num" && Number.isInteger(index.value)) items.splice(index.value < 0 ? Math.max(0, items.length + index.value) : index.value, 0, toPyValue(second, this.scope));
      else this.unevaluated(first, `\`${this.target}.insert(...)\` at a position that is not a literal number`);
    } else this.unevaluated(node, `\`${this.target}.${method}(...)\` is not a change the app evaluates`);
    return true;
  }

  /** `if` / `elif` / `else` on conditions Python literals decide; any other condition around the list is reported. */
  private conditional(statement: Node): boolean {
    if (!mentions(statement, this.target)) return false;
    const branches: { condition: Node | undefined; body: Node | null }[] = [
      { condition: statement.childForFieldName("condition") ?? undefined, body: statement.childForFieldName("consequence") },
    ];
    for (const alternative of statement.childrenForFieldName("alternative")) {
      if (alternative.type === "elif_clause") branches.push({ condition: alternative.childForFieldName("condition") ?? undefined, body: alternative.childForFieldName("consequence") });
      else branches.push({ condition: undefined, body: alternative.childForFieldName("body") });
    }
    for (const { condition, body } of branches) {
      const truth = condition ? truthOf(toPyValue(condition, this.scope)) : true;
      if (truth === undefined) {
        this.unevaluated(condition ?? statement, `\`${this.target}\` is built under a condition decided only when the migration runs (\`if ${firstLine(condition ?? statement)}\`)`);
        return true;
      }
      if (truth) {
        if (body) this.run(significantChildren(body));
        return true;
      }
    }
    return true;
  }
}
