// Compares the schema our replay builds with what PostgreSQL holds after Django applied the same
// migrations. Pure: values in, values out.

export interface ColumnShape {
  type: string;
  nullable: boolean;
}

/** One table of the database dump written by apply_and_dump.py. */
export interface DumpedTable {
  /** The Django app label whose model the table is; `sql` for the raw SQL files applied after `migrate`; `unknown` when no model names it (a RunSQL table, under test). */
  app: string;
  /** Whether the table belongs to the corpus measured, rather than to an app it depends on. */
  underTest: boolean;
  columns: Record<string, ColumnShape>;
}

export interface DatabaseDump {
  corpus: string;
  django: string;
  postgresql: string;
  labels: string[];
  tables: Record<string, DumpedTable>;
}

/** What our replay says: table name to columns, the shape `shared-schema-guard schema` prints. */
export type ReplayedTables = Record<string, Record<string, ColumnShape>>;

export type ColumnDisagreement =
  | { kind: "missing-column"; table: string; column: string; truth: ColumnShape }
  | { kind: "extra-column"; table: string; column: string; ours: ColumnShape }
  | { kind: "type"; table: string; column: string; truth: string; ours: string }
  | { kind: "nullability"; table: string; column: string; truth: boolean; ours: boolean };

export interface Tally {
  tables: number;
  /** Columns of the truth and of our replay together, each (table, column) counted once. */
  columns: number;
  /** Columns present on both sides with the same type and nullability. */
  agreeing: number;
}

export interface CorpusAgreement {
  corpus: string;
  /** Tables of the corpus the database has and our replay lacks. */
  missingTables: string[];
  /** Tables our replay has and the database lacks. */
  extraTables: string[];
  disagreements: ColumnDisagreement[];
  /** Disagreements on the tables of the apps the corpus depends on. */
  supportDisagreements: ColumnDisagreement[];
  underTest: Tally;
  /** Tables of the apps the corpus depends on (auth, contenttypes), measured apart. */
  support: Tally;
}

/** Tables that Django's migration executor creates for itself and no migration names. */
const BOOKKEEPING_TABLES = new Set(["django_migrations"]);

function emptyTally(): Tally {
  return { tables: 0, columns: 0, agreeing: 0 };
}

function compareTable(
  table: string,
  truth: Record<string, ColumnShape>,
  ours: Record<string, ColumnShape>,
  tally: Tally,
): ColumnDisagreement[] {
  const disagreements: ColumnDisagreement[] = [];
  tally.tables += 1;
  for (const [column, expected] of Object.entries(truth)) {
    tally.columns += 1;
    const actual = ours[column];
    if (!actual) {
      disagreements.push({ kind: "missing-column", table, column, truth: expected });
      continue;
    }
    const before = disagreements.length;
    if (actual.type !== expected.type) disagreements.push({ kind: "type", table, column, truth: expected.type, ours: actual.type });
    if (actual.nullable !== expected.nullable) {
      disagreements.push({ kind: "nullability", table, column, truth: expected.nullable, ours: actual.nullable });
    }
    if (disagreements.length === before) tally.agreeing += 1;
  }
  for (const [column, actual] of Object.entries(ours)) {
    if (column in truth) continue;
    tally.columns += 1;
    disagreements.push({ kind: "extra-column", table, column, ours: actual });
  }
  return disagreements;
}

export function compareWithDatabase(truth: DatabaseDump, ours: ReplayedTables): CorpusAgreement {
  const result: CorpusAgreement = {
    corpus: truth.corpus,
    missingTables: [],
    extraTables: [],
    disagreements: [],
    supportDisagreements: [],
    underTest: emptyTally(),
    support: emptyTally(),
  };
  for (const [name, table] of Object.entries(truth.tables).sort(([a], [b]) => a.localeCompare(b))) {
    if (BOOKKEEPING_TABLES.has(name)) continue;
    const tally = table.underTest ? result.underTest : result.support;
    const replayed = ours[name];
    if (!replayed) {
      // A support app our replay was not given (a `schema` run lists only configured histories).
      if (!table.underTest) continue;
      result.missingTables.push(name);
      tally.tables += 1;
      tally.columns += Object.keys(table.columns).length;
      continue;
    }
    const disagreements = compareTable(name, table.columns, replayed, tally);
    (table.underTest ? result.disagreements : result.supportDisagreements).push(...disagreements);
  }
  for (const [name, columns] of Object.entries(ours).sort(([a], [b]) => a.localeCompare(b))) {
    if (name in truth.tables) continue;
    result.extraTables.push(name);
    result.underTest.tables += 1;
    result.underTest.columns += Object.keys(columns).length;
  }
  return result;
}

export function percent(tally: Tally): string {
  if (tally.columns === 0) return "n/a";
  return `${((100 * tally.agreeing) / tally.columns).toFixed(1)}%`;
}

function describeShape(shape: ColumnShape): string {
  return `${shape.type} ${shape.nullable ? "NULL" : "NOT NULL"}`;
}

export function describeDisagreement(disagreement: ColumnDisagreement): string {
  const where = `${disagreement.table}.${disagreement.column}`;
  switch (disagreement.kind) {
    case "missing-column":
      return `missing column ${where} (database: ${describeShape(disagreement.truth)})`;
    case "extra-column":
      return `extra column ${where} (ours: ${describeShape(disagreement.ours)})`;
    case "type":
      return `type of ${where}: database ${disagreement.truth}, ours ${disagreement.ours}`;
    case "nullability":
      return `nullability of ${where}: database ${disagreement.truth ? "NULL" : "NOT NULL"}, ours ${disagreement.ours ? "NULL" : "NOT NULL"}`;
  }
}

/**
 * The human report of one corpus: what the replay could not understand, every disagreement on
 * its own line, then the agreement.
 */
export function formatAgreement(agreement: CorpusAgreement, unparsed: readonly string[] = []): string {
  const lines = [`# ${agreement.corpus}`, ...unparsed.map((item) => `unparsed ${item}`)];
  for (const table of agreement.missingTables) lines.push(`missing table ${table}`);
  for (const table of agreement.extraTables) lines.push(`extra table ${table}`);
  for (const disagreement of agreement.disagreements) lines.push(describeDisagreement(disagreement));
  for (const disagreement of agreement.supportDisagreements) lines.push(`support: ${describeDisagreement(disagreement)}`);
  const { underTest, support } = agreement;
  lines.push(
    `agreement: ${underTest.agreeing}/${underTest.columns} columns (${percent(underTest)}) in ${underTest.tables} tables` +
      (support.tables > 0 ? `; support tables: ${support.agreeing}/${support.columns} (${percent(support)})` : ""),
  );
  return lines.join("\n");
}
