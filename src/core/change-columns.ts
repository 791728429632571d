import type { SchemaChange } from "./changes.js";

/** The single column a change is about, when it is about one. */
export function columnOfChange(change: SchemaChange): string | undefined {
  switch (change.kind) {
    case "add-column":
      return change.column.name;
    case "drop-column":
    case "rename-column":
    case "alter-column-type":
    case "set-not-null":
    case "drop-not-null":
    case "set-default":
    case "drop-default":
      return change.column;
    default:
      return undefined;
  }
}

/** Every column a change touches: its one column, or an index's columns. */
export function columnsOfChange(change: SchemaChange): string[] {
  if (change.kind === "create-index") return change.columns;
  const column = columnOfChange(change);
  return column === undefined ? [] : [column];
}
