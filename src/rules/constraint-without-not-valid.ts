// A foreign key or CHECK added to a table with rows is validated at once, holding its lock
// through a scan of every row. NOT VALID adds it instantly; VALIDATE CONSTRAINT, in a later
// transaction, checks the rows under a lock that blocks nobody's reads or writes.
import type { AddColumn, AddConstraint, ParsedMigration, TableConstraint } from "../core/changes.js";
import { defineLockRule, type LockFindingParts } from "./lock-audience.js";
import { PullRequestObjects, walkMigrations, type WalkedStatement } from "./locking.js";
import { beforeSemicolon, pythonBlock, quoteIdent, rewriteLines, sqlBlock, steps } from "./recipes.js";

type Checked = Extract<TableConstraint, { kind: "foreign-key" | "check" }>;

function constraintName(table: string, constraint: Checked): string {
  if (constraint.name) return constraint.name;
  return constraint.kind === "foreign-key" ? `${table}_${constraint.columns.join("_")}_fkey` : `${table}_check`;
}

function definitionSql(constraint: Checked): string {
  if (constraint.kind === "check") return "CHECK (…)";
  const target = constraint.references.columns.length > 0 ? ` (${constraint.references.columns.join(", ")})` : "";
  return `FOREIGN KEY (${constraint.columns.join(", ")}) REFERENCES ${constraint.references.table}${target}`;
}

function sqlRecipe(table: string, constraint: Checked, name: string): string {
  return steps(
    "Add the constraint without checking existing rows (instant; new writes are checked from now on):",
    sqlBlock(`ALTER TABLE ${quoteIdent(table)} ADD CONSTRAINT ${quoteIdent(name)} ${definitionSql(constraint)} NOT VALID;`),
    "Then, in a separate transaction (the next migration, or after `COMMIT`), check the existing rows under a SHARE UPDATE EXCLUSIVE lock, which blocks neither reads nor writes:",
    sqlBlock(`ALTER TABLE ${quoteIdent(table)} VALIDATE CONSTRAINT ${quoteIdent(name)};`),
  );
}

function djangoRecipe(table: string, constraint: Checked, name: string): string {
  if (constraint.kind === "check") {
    return steps(
      "Add the check without validating existing rows:",
      pythonBlock("from django.contrib.postgres.operations import AddConstraintNotValid", "", `operations = [AddConstraintNotValid("<model>", models.CheckConstraint(check=..., name="${name}"))]`),
      "Then, in the next migration:",
      pythonBlock("from django.contrib.postgres.operations import ValidateConstraint", "", `operations = [ValidateConstraint("<model>", "${name}")]`),
    );
  }
  return steps(
    "Add the field without its database constraint: `ForeignKey(..., db_constraint=False)`.",
    "In the same migration, add the constraint NOT VALID:",
    pythonBlock(`migrations.RunSQL(`, `    'ALTER TABLE "${table}" ADD CONSTRAINT "${name}" ${definitionSql(constraint)} DEFERRABLE INITIALLY DEFERRED NOT VALID',`, `    reverse_sql='ALTER TABLE "${table}" DROP CONSTRAINT "${name}"',`, ")"),
    "In the next migration, validate it and tell Django's state the constraint exists:",
    pythonBlock(
      "migrations.SeparateDatabaseAndState(",
      `    database_operations=[migrations.RunSQL('ALTER TABLE "${table}" VALIDATE CONSTRAINT "${name}"', migrations.RunSQL.noop)],`,
      "    state_operations=[migrations.AlterField(..., field=models.ForeignKey(..., db_constraint=True))],",
      ")",
    ),
  );
}

function recipeFor(migration: ParsedMigration, table: string, constraint: Checked): string {
  const name = constraintName(table, constraint);
  return migration.format === "django" ? djangoRecipe(table, constraint, name) : sqlRecipe(table, constraint, name);
}

/** `… NOT VALID;` and, where the file runs statements one by one, the VALIDATE right after. */
function notValidSuggestion(walked: WalkedStatement, change: AddConstraint, constraint: Checked): LockFindingParts["suggestion"] {
  if (walked.migration.format === "django" || walked.statement.changes.length !== 1) return undefined;
  return rewriteLines(walked.statement, (text) => {
    const added = beforeSemicolon(text, "NOT VALID");
    if (added === undefined || walked.inTransaction || !constraint.name) return added;
    return `${added}\nALTER TABLE ${quoteIdent(change.table)} VALIDATE CONSTRAINT ${quoteIdent(constraint.name)};`;
  });
}

const lockOf = {
  "foreign-key": { blocks: "writes", lock: "a SHARE ROW EXCLUSIVE lock on both tables" },
  check: { blocks: "reads and writes", lock: "an ACCESS EXCLUSIVE lock" },
} as const;

function addConstraintParts(walked: WalkedStatement, change: AddConstraint, constraint: Checked): LockFindingParts {
  const what = constraint.kind === "foreign-key" ? `foreign key to \`${constraint.references.table}\`` : "CHECK constraint";
  return {
    rule: "constraint-without-not-valid",
    table: change.table,
    loc: walked.statement.loc,
    problem: `This adds a ${what} to \`${change.table}\` without \`NOT VALID\`: PostgreSQL checks every existing row at once, holding ${lockOf[constraint.kind].lock} until the scan ends.`,
    blocks: lockOf[constraint.kind].blocks,
    duration: "the scan takes",
    recipe: recipeFor(walked.migration, change.table, constraint),
    suggestion: notValidSuggestion(walked, change, constraint),
    key: `add:${constraintName(change.table, constraint)}`,
  };
}

function addColumnParts(walked: WalkedStatement, change: AddColumn): LockFindingParts | undefined {
  const references = change.column.references;
  if (!references) return undefined;
  const constraint: Checked = { kind: "foreign-key", columns: [change.column.name], references, notValid: true };
  return {
    rule: "constraint-without-not-valid",
    table: change.table,
    column: change.column.name,
    loc: walked.statement.loc,
    problem: `This adds column \`${change.column.name}\` to \`${change.table}\` with a foreign key to \`${references.table}\`: an inline REFERENCES cannot be NOT VALID, so PostgreSQL checks the whole table while it holds the locks of both tables.`,
    blocks: "reads and writes",
    duration: "the check takes",
    recipe: steps(
      `Add the column without REFERENCES${walked.migration.format === "django" ? " (`db_constraint=False`)" : ""}, then the constraint on its own:`,
      recipeFor(walked.migration, change.table, constraint),
    ),
    key: `column:${change.column.name}`,
  };
}

export const constraintWithoutNotValid = defineLockRule(
  {
    id: "constraint-without-not-valid",
    description: "A foreign key or CHECK constraint is added to an existing table without NOT VALID and a separate VALIDATE CONSTRAINT.",
    docs: "docs/rules/constraint-without-not-valid.md",
  },
  (input) => {
    const objects = new PullRequestObjects(input);
    const notValid = new Map<string, number>();
    const found: LockFindingParts[] = [];
    for (const walked of walkMigrations(input)) {
      const { statement } = walked;
      objects.record(statement.changes);
      for (const change of statement.changes) {
        if (change.kind !== "add-constraint" && change.kind !== "add-column") continue;
        if (objects.isNew(change.table)) continue;
        if (change.kind === "add-constraint" && (change.constraint.kind === "foreign-key" || change.constraint.kind === "check")) {
          if (change.constraint.notValid) notValid.set(`${change.table}\u0000${change.constraint.name ?? ""}`, walked.transaction);
          else found.push(addConstraintParts(walked, change, change.constraint));
        }
        if (change.kind === "add-column") {
          const parts = addColumnParts(walked, change);
          if (parts) found.push(parts);
        }
      }
      for (const validate of walked.locking.validates) {
        if (notValid.get(`${validate.table}\u0000${validate.constraint}`) !== walked.transaction) continue;
        found.push({
          rule: "constraint-without-not-valid",
          table: validate.table,
          loc: statement.loc,
          problem: `This validates \`${validate.constraint}\` in the same transaction that added it \`NOT VALID\`: the lock ADD CONSTRAINT took is held until the transaction ends, through the whole scan, so NOT VALID gains nothing.`,
          blocks: "writes",
          duration: "the scan takes",
          recipe: steps(
            "Keep `ADD CONSTRAINT … NOT VALID` where it is, and move `VALIDATE CONSTRAINT` to the next migration, so that it runs in a transaction of its own:",
            sqlBlock(`ALTER TABLE ${quoteIdent(validate.table)} VALIDATE CONSTRAINT ${quoteIdent(validate.constraint)};`),
          ),
          key: `validate:${validate.constraint}`,
        });
      }
    }
    return found;
  },
);
