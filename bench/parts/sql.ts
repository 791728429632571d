// Part 2: throughput of the SQL layer (libpg-query parse → changes and uses).
import { analyzeCodeSql, analyzeSql, loadSqlParser, parseSqlMigration } from "../../src/parse/sql.js";
import { generateSqlCorpus, type SqlStatementSample } from "../corpus/sql-statements.js";
import { peakRssMb, round, rssMb, timeRuns, type Timing } from "../measure.js";

const STATEMENTS = 5_000;
const SEED = 5_000_011;
/** Statements per generated migration file, for the whole-file path. */
const FILE_SIZE = 50;

export interface SqlPath {
  statements: number;
  timing: Timing;
  /** Statements per second at the median wall time. */
  perSecond: number;
  /** Statements that produced no change or use, or an unparsed item (should be 0). */
  missed: number;
}

export interface SqlBench {
  corpus: { statements: number; ddl: number; queries: number; bytes: number; seed: number };
  /** Every statement on its own through `analyzeSql`. */
  eachStatement: SqlPath;
  /** The DDL as migration files of 50 statements through `parseSqlMigration`. */
  migrationFiles: SqlPath & { files: number };
  /** The queries as SQL strings found in code, through `analyzeCodeSql` (placeholders, prose check). */
  codeStrings: SqlPath;
  memory: { rssAfterLoadMb: number; peakRssMb: number };
}

function path(statements: number, timing: Timing, missed: number): SqlPath {
  return { statements, timing, perSecond: Math.round(statements / (timing.wallMs.median / 1000)), missed };
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

function analyzedNothing(sample: SqlStatementSample): boolean {
  const analysis = analyzeSql(sample.sql, { file: "corpus.sql", line: 1, context: sample.kind === "ddl" ? "migration" : "code" });
  return analysis.unparsed.length > 0 || analysis.statements.every((statement) => statement.changes.length === 0 && statement.uses.length === 0);
}

export async function benchSql(runs: number, warmups: number): Promise<SqlBench> {
  await loadSqlParser();
  const rssAfterLoadMb = rssMb();
  const corpus = generateSqlCorpus(STATEMENTS, SEED);
  const ddl = corpus.filter((sample) => sample.kind === "ddl");
  const queries = corpus.filter((sample) => sample.kind === "query");
  const files = chunks(ddl, FILE_SIZE).map((group, index) => ({ file: `migrations/${String(index + 1).padStart(4, "0")}.sql`, text: group.map((sample) => sample.sql).join("\n\n") }));

  const eachStatement = path(
    corpus.length,
    await timeRuns(() => corpus.map((sample) => analyzeSql(sample.sql, { file: "corpus.sql", line: 1, context: sample.kind === "ddl" ? "migration" : "code" })), runs, warmups),
    corpus.filter(analyzedNothing).length,
  );
  const parsedFiles = files.map((file) => parseSqlMigration(file.text, file.file, "sql"));
  const migrationFiles = {
    ...path(
      ddl.length,
      await timeRuns(() => files.map((file) => parseSqlMigration(file.text, file.file, "sql")), runs, warmups),
      ddl.length - parsedFiles.reduce((sum, file) => sum + file.statements.filter((statement) => statement.changes.length > 0).length, 0),
    ),
    files: files.length,
  };
  const codeStrings = path(
    queries.length,
    await timeRuns(() => queries.map((sample) => analyzeCodeSql(sample.sql, { file: "store.go", line: 1, context: "code" })), runs, warmups),
    queries.filter((sample) => analyzeCodeSql(sample.sql, { file: "store.go", line: 1, context: "code" }) === null).length,
  );
  return {
    corpus: { statements: corpus.length, ddl: ddl.length, queries: queries.length, bytes: corpus.reduce((sum, sample) => sum + Buffer.byteLength(sample.sql), 0), seed: SEED },
    eachStatement,
    migrationFiles,
    codeStrings,
    memory: { rssAfterLoadMb, peakRssMb: round(peakRssMb()) },
  };
}
