// Who an object other than a table belongs to, and whose consent a statement about it needs:
// an object belongs to the service whose migration created it; a statement whose reach is the
// whole database (or a whole schema) concerns every service with objects there.
import { objectKey, schemaOfName, type ObjectChange, type ObjectKind } from "../core/objects.js";
import { sequenceTable } from "../model/resolve.js";
import type { Location, SchemaState } from "../core/changes.js";
import type { RuleFinding } from "../core/findings.js";
import { listOf } from "../findings/wording.js";
import { possessive, statementsOf } from "./changes.js";
import { ownerInReview, ownerOf } from "./ownership.js";
import type { ReviewInput } from "./types.js";

type ObjectInput = Pick<ReviewInput, "config" | "service" | "changedMigrations" | "baseSchema" | "headSchema">;

const kindLabels: Record<ObjectKind, string> = {
  schema: "schema",
  extension: "extension",
  type: "type",
  sequence: "sequence",
  view: "view",
  "materialized-view": "materialized view",
  function: "function",
  index: "index",
  other: "object",
};

/** Services with tables or other objects in the database, or in one schema of it. */
export function servicesWithObjects(input: ObjectInput, schema?: string): string[] {
  const services = new Set<string>();
  const inScope = (name: string) => schema === undefined || schemaOfName(name) === schema;
  for (const table of input.baseSchema.tables.values()) if (inScope(table.name)) services.add(ownerOf(input.config, table.name, input.baseSchema));
  for (const [table, declared] of input.config.tables) if (inScope(table)) services.add(declared.owner);
  for (const object of input.baseSchema.objects.values()) {
    if (object.createdBy !== undefined && (object.kind === "schema" ? object.name === schema || schema === undefined : inScope(object.name))) services.add(object.createdBy);
  }
  services.delete(input.service);
  return [...services].sort();
}

/** Objects the pull request itself creates belong to the reviewed service. */
function createdInReview(input: ObjectInput): Set<string> {
  const created = new Set<string>();
  for (const { statement } of statementsOf(input)) {
    for (const change of statement.objects ?? []) {
      if (change.action === "create") created.add(objectKey(change.object.kind, change.object.name));
    }
  }
  return created;
}

/** The creator of an object; one that no history created belongs to the default owner, like a table. */
function ownerOfObject(input: ObjectInput, kind: ObjectKind, name: string, created: Set<string>): string {
  const key = objectKey(kind, name);
  const existing = input.baseSchema.objects.get(key);
  if (existing?.createdBy !== undefined) return existing.createdBy;
  if (created.has(key)) return input.service;
  if (kind === "sequence") {
    const table = sequenceTable(input.baseSchema, name);
    if (table !== undefined) return ownerInReview(input, table);
  }
  return input.config.defaultOwner;
}

/** Owners of the tables whose columns are of this type: dropping or changing it changes their columns. */
function typeUsers(schema: SchemaState, input: ObjectInput, type: string): string[] {
  const users = new Set<string>();
  for (const table of schema.tables.values()) {
    for (const column of table.columns.values()) {
      if (column.type.replace(/(\[\])+$/, "") === type) users.add(ownerOf(input.config, table.name, schema));
    }
  }
  return [...users];
}

function finding(input: ObjectInput, subject: string, loc: Location, message: string, needs: string[], key: string): RuleFinding {
  return { rule: "foreign-schema-change", service: input.service, table: subject, loc, message, consumers: [], needs, key };
}

function ack(subject: string): string {
  return `\`/ownership ack ${subject} <reason>\``;
}

function databaseWide(input: ObjectInput, change: Extract<ObjectChange, { action: "database-wide" }>): RuleFinding | undefined {
  const needs = servicesWithObjects(input);
  if (needs.length === 0) return undefined;
  return finding(
    input,
    change.subject,
    change.loc,
    `This migration of ${input.service} ${change.description}. That reaches the whole database, which ${listOf(needs)} share${needs.length === 1 ? "s" : ""} with it: ` +
      `none of their migrations or code expects it, and it can take away or change what they rely on. ` +
      `Make such changes in a migration every service agrees on, or get consent from ${listOf(needs)} with ${ack(change.subject)}.`,
    needs,
    `database-wide:${change.description}`,
  );
}

/** A drop with CASCADE of an object no history knows: what depends on it cannot be told, so everyone is asked. */
function unknownCascade(input: ObjectInput, change: Extract<ObjectChange, { action: "drop" }>): RuleFinding | undefined {
  const needs = servicesWithObjects(input, change.kind === "schema" ? change.name : undefined);
  if (needs.length === 0) return undefined;
  const label = kindLabels[change.kind];
  return finding(
    input,
    change.name,
    change.loc,
    `This migration of ${input.service} drops ${label} \`${change.name}\` with CASCADE, which no configured migration history creates: ` +
      `the app cannot tell which tables, columns and views of ${listOf(needs)} PostgreSQL drops with it. ` +
      `Drop it without CASCADE (PostgreSQL then refuses while anything depends on it), or get consent from ${listOf(needs)} with ${ack(change.name)}.`,
    needs,
    `cascade:${change.kind}`,
  );
}

function objectChangeFinding(input: ObjectInput, change: ObjectChange, created: Set<string>): RuleFinding | undefined {
  if (change.action === "database-wide") return databaseWide(input, change);
  if (change.action === "create") {
    // CREATE OR REPLACE of another service's object replaces it.
    if (!change.orReplace || !input.baseSchema.objects.has(objectKey(change.object.kind, change.object.name))) return undefined;
    return foreignObject(input, change.object.kind, change.object.name, "replaces", change.loc, created);
  }
  const known = input.baseSchema.objects.has(objectKey(change.kind, change.name)) || created.has(objectKey(change.kind, change.name));
  if (change.action === "drop" && change.cascade && !known && change.via === undefined) return unknownCascade(input, change);
  if (change.action === "drop" && change.kind === "schema") {
    const needs = servicesWithObjects(input, change.name);
    if (needs.length > 0) {
      return finding(
        input,
        change.name,
        change.loc,
        `This migration of ${input.service} drops schema \`${change.name}\`, where ${listOf(needs)} ${needs.length === 1 ? "has" : "have"} objects. ` +
          `Get consent from ${listOf(needs)} with ${ack(change.name)}, or leave the schema in place.`,
        needs,
        "drop-schema",
      );
    }
  }
  const verb = change.action === "drop" ? "drops" : change.action === "rename" ? `renames to \`${change.newName}\`` : change.description;
  return foreignObject(input, change.kind, change.name, verb, change.loc, created);
}

function foreignObject(input: ObjectInput, kind: ObjectKind, name: string, verb: string, loc: Location, created: Set<string>): RuleFinding | undefined {
  const owner = ownerOfObject(input, kind, name, created);
  const users = kind === "type" ? typeUsers(input.baseSchema, input, name) : [];
  const needs = [...new Set([owner, ...users])].filter((service) => service !== input.service).sort();
  if (needs.length === 0) return undefined;
  const label = kindLabels[kind];
  const whose = owner === input.service ? `used by ${listOf(needs)}` : `which belongs to ${owner}`;
  return finding(
    input,
    name,
    loc,
    `This migration of ${input.service} ${verb} ${label} \`${name}\`, ${whose}: only ${possessive(owner)} migrations may change it, ` +
      `and the services that rely on it do not expect the change. Move the change to ${possessive(owner)} repository, or get consent from ${listOf(needs)} with ${ack(name)}.`,
    needs,
    `${kind}:${verb}`,
  );
}

/** Findings for the changes to objects other than tables in the reviewed migrations. */
export function objectFindings(input: ObjectInput): RuleFinding[] {
  const created = createdInReview(input);
  const findings: RuleFinding[] = [];
  for (const { statement } of statementsOf(input)) {
    for (const change of statement.objects ?? []) {
      const found = objectChangeFinding(input, change, created);
      if (found) findings.push(found);
    }
  }
  return findings;
}
