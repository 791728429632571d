import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findWorkspaceConfig, loadConfigFile } from "../../src/config/load.js";

const valid = "default_owner: hub\nservices:\n  hub: { repo: r10score/r10-hub }\n";
let workspace: string;

beforeEach(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), "ssg-config-"));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

async function put(file: string, text: string): Promise<string> {
  const full = path.join(workspace, file);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, text);
  return full;
}

describe("findWorkspaceConfig", () => {
  it("prefers the service's own file", async () => {
    const own = await put("r10-hub/.github/shared-schema.yml", valid);
    await put(".github/.github/shared-schema.yml", valid);
    expect(await findWorkspaceConfig(workspace, "r10score/r10-hub")).toBe(own);
  });
  it("falls back to the organisation's .github checkout", async () => {
    const org = await put(".github/.github/shared-schema.yml", valid);
    expect(await findWorkspaceConfig(workspace, "r10-odds")).toBe(org);
  });
  it("finds nothing in an empty workspace", async () => {
    expect(await findWorkspaceConfig(workspace, "r10score/r10-odds")).toBeUndefined();
  });
});

describe("loadConfigFile", () => {
  it("parses the file and names it as asked in problems", async () => {
    const file = await put("shared-schema.yml", valid);
    expect((await loadConfigFile(file)).ok).toBe(true);
    const broken = await put("broken.yml", "default_owner: nobody\nservices:\n  hub: { repo: a/b }\n");
    const result = await loadConfigFile(broken, ".github/shared-schema.yml");
    expect(result.ok ? [] : result.problems).toEqual([
      { file: ".github/shared-schema.yml", path: "default_owner", line: 1, column: 16, message: 'unknown service "nobody" (services: hub)' },
    ]);
  });
  it("reports a missing file as a problem", async () => {
    const result = await loadConfigFile(path.join(workspace, "absent.yml"), "absent.yml");
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.problems[0]?.message).toMatch(/^cannot read the file: ENOENT/);
  });
});
