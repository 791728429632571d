// Writes what `shared-schema-guard schema` prints over the bundled example repositories, the
// same git workspace `npm run demo` builds, so that compare.js can hold it against PostgreSQL.
//
//   node dist/scripts/verify/example-schema.js OUT.json

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../../src/cli/run.js";
import { buildExampleWorkspace } from "../../src/local/workspace-builder.js";

const out = process.argv[2];
if (!out) {
  console.error("usage: example-schema OUT.json");
  process.exit(2);
}
const dir = await mkdtemp(path.join(tmpdir(), "shared-schema-guard-verify-"));
try {
  await buildExampleWorkspace(dir);
  let printed = "";
  let problems = "";
  const status = await runCli(["schema", "--workspace", dir], {
    stdout: (text) => (printed += text),
    stderr: (text) => (problems += text),
  });
  if (status !== 0) throw new Error(`schema exited with ${status}: ${problems.trim()}`);
  await writeFile(out, printed);
} finally {
  await rm(dir, { recursive: true, force: true });
}
