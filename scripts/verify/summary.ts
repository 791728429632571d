// Prints one Markdown table row per corpus from the JSON results compare.js wrote.
//
//   node dist/scripts/verify/summary.js results/*.json

import { readFile } from "node:fs/promises";
import { percent, type CorpusAgreement, type Tally } from "./agreement.js";

interface CorpusResult extends CorpusAgreement {
  unparsed: string[];
  migrations: Record<string, number>;
  labels: string[];
}

function sum(tallies: Tally[]): Tally {
  return tallies.reduce((total, tally) => ({
    tables: total.tables + tally.tables,
    columns: total.columns + tally.columns,
    agreeing: total.agreeing + tally.agreeing,
  }));
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  const results = await Promise.all(files.map(async (file) => JSON.parse(await readFile(file, "utf8")) as CorpusResult));
  console.log(row(["corpus", "migrations", "tables", "columns", "agreeing", "agreement", "missing tables", "extra tables", "column disagreements", "unparsed"]));
  console.log(row(Array(10).fill("---")));
  for (const result of results) {
    const migrations = result.labels.reduce((count, label) => count + (result.migrations[label] ?? 0), 0);
    const { underTest } = result;
    console.log(
      row([
        result.corpus,
        migrations || "—",
        underTest.tables,
        underTest.columns,
        underTest.agreeing,
        percent(underTest),
        result.missingTables.length,
        result.extraTables.length,
        result.disagreements.length,
        result.unparsed.length,
      ]),
    );
  }
  if (results.length > 0) {
    const total = sum(results.map((result) => result.underTest));
    console.log(row(["**all**", "", total.tables, total.columns, total.agreeing, percent(total), "", "", "", ""]));
  }
}

await main();
