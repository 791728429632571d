// Builds the bundled example repositories as the git workspace `npm run demo` uses, with a
// scenario's pull request checked out when one is named, and writes what
// `shared-schema-guard schema --workspace` prints there, so that compare.js can hold it
// against PostgreSQL. The workspace is left in DIR, so the same files can be migrated for real.
//
//   node dist/scripts/verify/example-schema.js --dir DIR --out OUT.json [--scenario NAME]

import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { runCli } from "../../src/cli/run.js";
import { buildExampleWorkspace } from "../../src/local/workspace-builder.js";

const { values } = parseArgs({ options: { dir: { type: "string" }, out: { type: "string" }, scenario: { type: "string" } } });
if (!values.dir || !values.out) {
  console.error("usage: example-schema --dir DIR --out OUT.json [--scenario NAME]");
  process.exit(2);
}
const workspace = await buildExampleWorkspace(values.dir, values.scenario);
let printed = "";
let problems = "";
const status = await runCli(["schema", "--workspace", workspace.dir], {
  stdout: (text) => (printed += text),
  stderr: (text) => (problems += text),
});
if (status !== 0) {
  console.error(`schema exited with ${status}: ${problems.trim()}`);
  process.exit(1);
}
await writeFile(values.out, printed);
