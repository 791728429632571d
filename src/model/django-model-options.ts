// Reading a model's Meta options (`options={...}` of CreateModel) and the Index and
// Constraint objects of AddIndex / AddConstraint into the project state.
import { simpleName, stringOf, truthOf, type PyValue } from "../parse/django-values.js";
import type { DjangoConstraint, DjangoIndex } from "./django-state.js";

export function dictOf(value: PyValue | undefined): Map<string, PyValue> {
  const entries = new Map<string, PyValue>();
  if (value?.kind !== "dict") return entries;
  for (const [key, entry] of value.entries) {
    const name = stringOf(key);
    if (name !== undefined) entries.set(name, entry);
  }
  return entries;
}

export function stringsOf(value: PyValue | undefined): string[] {
  if (value?.kind !== "seq") return [];
  return value.items.map(stringOf).filter((item): item is string => item !== undefined);
}

/** `unique_together` / `index_together`: a set of tuples, or one tuple Django normalises to a set. */
export function togetherOf(value: PyValue | undefined): string[][] {
  if (value?.kind !== "seq" || value.items.length === 0) return [];
  if (value.items.every((item) => item.kind === "str")) return [stringsOf(value)];
  return value.items.map(stringsOf).filter((fields) => fields.length > 0);
}

function indexFields(args: Map<string, PyValue>): string[] {
  return stringsOf(args.get("fields")).map((field) => field.replace(/^-/, ""));
}

/** `models.Index(fields=[...], name=...)` and django.contrib.postgres's GinIndex, BTreeIndex, ... */
export function readIndex(value: PyValue | undefined): DjangoIndex | undefined {
  if (value?.kind !== "call") return undefined;
  const name = stringOf(value.kwargs.get("name"));
  if (name === undefined) return undefined;
  return { name, fields: value.args.length > 0 ? [] : indexFields(value.kwargs), unique: false };
}

export function readConstraint(value: PyValue | undefined): (DjangoConstraint & { className: string }) | undefined {
  if (value?.kind !== "call") return undefined;
  const args = value.kwargs;
  const name = stringOf(args.get("name"));
  if (name === undefined) return undefined;
  const className = simpleName(value.qualified);
  if (className === "UniqueConstraint") {
    const asIndex = value.args.length > 0 || ["condition", "include", "opclasses"].some((option) => hasMeaning(args.get(option)));
    return { name, kind: "unique", fields: indexFields(args), asIndex, className };
  }
  if (className === "CheckConstraint") {
    const notNullField = notNullFieldOf(args.get("check") ?? args.get("condition"));
    return { name, kind: "check", fields: [], asIndex: false, className, ...(notNullField === undefined ? {} : { notNullField }) };
  }
  return { name, kind: "other", fields: [], asIndex: false, className };
}

/** `Q(field__isnull=False)`, the check that lets PostgreSQL 12+ skip SET NOT NULL's scan. */
function notNullFieldOf(value: PyValue | undefined): string | undefined {
  if (value?.kind !== "call" || simpleName(value.qualified) !== "Q" || value.args.length > 0 || value.kwargs.size !== 1) return undefined;
  const [lookup, test] = [...value.kwargs][0] ?? [];
  const field = lookup?.endsWith("__isnull") ? lookup.slice(0, -"__isnull".length) : undefined;
  return field && !field.includes("__") && test?.kind === "bool" && !test.value ? field : undefined;
}

function hasMeaning(value: PyValue | undefined): boolean {
  if (value === undefined || value.kind === "none") return false;
  return truthOf(value) ?? true;
}

export function readIndexes(value: PyValue | undefined): DjangoIndex[] {
  if (value?.kind !== "seq") return [];
  return value.items.map(readIndex).filter((index): index is DjangoIndex => index !== undefined);
}

export function readConstraints(value: PyValue | undefined): DjangoConstraint[] {
  if (value?.kind !== "seq") return [];
  return value.items.map(readConstraint).filter((constraint): constraint is DjangoConstraint & { className: string } => constraint !== undefined);
}
