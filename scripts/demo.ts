// `npm run demo`: builds the bundled example repositories as git checkouts in a temporary
// folder and prints, for each example pull request, what shared-schema-guard would post.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../src/cli/run.js";
import { buildExampleWorkspace, listScenarios } from "../src/local/workspace-builder.js";

const rule = "─".repeat(78);

async function showScenario(name: string): Promise<boolean> {
  const dir = await mkdtemp(path.join(tmpdir(), `shared-schema-guard-${name}-`));
  try {
    const workspace = await buildExampleWorkspace(dir, name);
    const scenario = workspace.scenario;
    if (!scenario) throw new Error(`scenario ${name} was not applied`);
    const argv = ["review", "--service", scenario.service, "--workspace", dir, "--base", "main", "--head", scenario.branch];
    console.log(`${rule}\n${scenario.title}  (${scenario.repoName}, scenario "${name}")`);
    console.log(`${scenario.description}\n$ shared-schema-guard ${argv.join(" ").replace(dir, "<workspace>")}\n`);
    let printed = "";
    const status = await runCli(argv, { stdout: (text) => (printed += text), stderr: (text) => (printed += text) });
    console.log(printed.trimEnd().replaceAll(dir, "<workspace>"));
    const conclusion = status === 0 ? "success" : status === 1 ? "failure" : "error";
    console.log(`\nexit status ${status} (${conclusion}; the example expects ${scenario.expect})\n`);
    return conclusion === scenario.expect;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const scenarios = process.argv.slice(2).length > 0 ? process.argv.slice(2) : await listScenarios();
let unexpected = 0;
for (const name of scenarios) {
  if (!(await showScenario(name))) unexpected += 1;
}
console.log(rule);
console.log(unexpected === 0 ? `All ${scenarios.length} examples concluded as expected.` : `${unexpected} example(s) did not conclude as expected.`);
process.exitCode = unexpected === 0 ? 0 : 1;
