import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { symlink } from "node:fs/promises";
import { findWorkspaceConfig, loadConfigChain, loadWorkspaceConfig, type WorkspaceConfig } from "../../src/config/load.js";
import { formatConfigProblem } from "../../src/config/problems.js";

const valid = "default_owner: hub\nservices:\n  hub: { repo: r10score/r10-hub }\n";
let workspace: string;

beforeEach(async () => {
  workspace = path.join(await mkdtemp(path.join(tmpdir(), "ssg-config-")), "workspace");
  await mkdir(workspace);
});
afterEach(async () => {
  await rm(path.dirname(workspace), { recursive: true, force: true });
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

describe("loadConfigChain", () => {
  it("parses the file and names it as asked in problems", async () => {
    const file = await put("shared-schema.yml", valid);
    expect((await loadConfigChain(workspace, file)).result.ok).toBe(true);
    const broken = await put("broken.yml", "default_owner: nobody\nservices:\n  hub: { repo: a/b }\n");
    const { result } = await loadConfigChain(workspace, broken, ".github/shared-schema.yml");
    expect(result.ok ? [] : result.problems).toEqual([
      { file: ".github/shared-schema.yml", path: "default_owner", line: 1, column: 16, message: 'unknown service "nobody" (services: hub)' },
    ]);
  });
  it("reports a missing file as a problem", async () => {
    const { result } = await loadConfigChain(workspace, path.join(workspace, "absent.yml"), "absent.yml");
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.problems[0]?.message).toMatch(/^cannot be read: ENOENT/);
  });
});

/** Formatted problems of a loaded configuration; none when it was accepted or absent. */
function problemsOf(loaded: WorkspaceConfig | undefined): string[] {
  return loaded && !loaded.result.ok ? loaded.result.problems.map(formatConfigProblem) : [];
}

const orgConfig = `default_owner: hub
services:
  hub: { repo: r10score/r10-hub, code: ["**/*.py"] }
  odds: { repo: r10score/r10-odds }
rules:
  non-idempotent-migration: warning
`;

describe("loadWorkspaceConfig", () => {
  it("reads the organisation's file, with line numbers, when the repository has none", async () => {
    await put(".github/.github/shared-schema.yml", orgConfig.replace("default_owner: hub", "default_owner: hubb"));
    const loaded = await loadWorkspaceConfig(workspace, "r10score/r10-odds");
    expect(loaded?.files).toEqual([".github/.github/shared-schema.yml"]);
    expect(problemsOf(loaded)).toEqual([
      '.github/.github/shared-schema.yml:1:16: default_owner: unknown service "hubb" (services: hub, odds)',
    ]);
  });

  it("follows _extends into a sibling checkout and merges as Probot does", async () => {
    await put(".github/.github/shared-schema.yml", orgConfig);
    await put(
      "r10-hub/.github/shared-schema.yml",
      `_extends: .github\nservices:\n  hub: { code: ["scripts/*.py"] }\nrules:\n  non-idempotent-migration: error\n`,
    );
    const loaded = await loadWorkspaceConfig(workspace, "r10score/r10-hub");
    expect(loaded?.files).toEqual(["r10-hub/.github/shared-schema.yml", ".github/.github/shared-schema.yml"]);
    if (!loaded?.result.ok) throw new Error("rejected");
    expect(loaded.result.config.services.get("hub")?.code).toEqual(["**/*.py", "scripts/*.py"]);
    expect(loaded.result.config.rules).toEqual({ "non-idempotent-migration": "error" });
  });

  it("follows owner/repo:path and names every file in problems", async () => {
    await put("policies/shared/schema.yml", orgConfig);
    await put("r10-odds/.github/shared-schema.yml", "_extends: r10score/policies:shared/schema.yml\nprefix: R10\n");
    const loaded = await loadWorkspaceConfig(workspace, "r10-odds");
    expect(problemsOf(loaded)).toEqual([
      "r10-odds/.github/shared-schema.yml extending policies/shared/schema.yml: prefix: must be lower-case letters, digits and underscores, e.g. r10_",
    ]);
  });

  it("reports a missing base, a bad _extends and a loop instead of throwing", async () => {
    await put("r10-hub/.github/shared-schema.yml", "_extends: nowhere\n");
    const missing = await loadWorkspaceConfig(workspace, "r10-hub");
    expect(problemsOf(missing)[0]).toMatch(
      /^r10-hub\/\.github\/shared-schema\.yml: _extends: extends nowhere\/\.github\/shared-schema\.yml, which cannot be read: ENOENT/,
    );
    await put("r10-hub/.github/shared-schema.yml", "prefix: r10_\n_extends: [a]\n");
    const bad = await loadWorkspaceConfig(workspace, "r10-hub");
    expect(problemsOf(bad)).toEqual([
      'r10-hub/.github/shared-schema.yml:2:11: _extends: must be "repo", "owner/repo" or "owner/repo:path/to/file.yml" (got ["a"])',
    ]);
    await put("r10-hub/.github/shared-schema.yml", "_extends: .github\n");
    await put(".github/.github/shared-schema.yml", "_extends: r10-hub\n");
    const loop = await loadWorkspaceConfig(workspace, "r10-hub");
    expect(problemsOf(loop)).toEqual([
      ".github/.github/shared-schema.yml: _extends: extends r10-hub/.github/shared-schema.yml again: a loop",
    ]);
  });

  it.each([
    [".github:../../outside.yml"],
    ["r10-odds:../r10-hub/.github/shared-schema.yml"],
    ["..:outside.yml"],
    ["r10-odds:./x/../../../outside.yml"],
  ])("keeps _extends %s inside the repository it names", async (value) => {
    await put("../outside.yml", valid);
    await put("outside.yml", valid);
    await put("r10-hub/.github/shared-schema.yml", valid);
    await put("r10-odds/.github/shared-schema.yml", `_extends: "${value}"\n`);
    const loaded = await loadWorkspaceConfig(workspace, "r10-odds");
    expect(loaded?.files).toEqual(["r10-odds/.github/shared-schema.yml"]);
    expect(problemsOf(loaded)).toEqual([
      `r10-odds/.github/shared-schema.yml:1:11: _extends: "${value}" leaves the repository it names: an _extends path stays inside its repository`,
    ]);
  });

  it("refuses a symbolic link out of the repository an _extends names", async () => {
    const outside = await put("../secret.yml", valid);
    await mkdir(path.join(workspace, ".github/.github"), { recursive: true });
    await symlink(outside, path.join(workspace, ".github/.github/shared-schema.yml"));
    await put("r10-odds/.github/shared-schema.yml", "_extends: .github\n");
    const loaded = await loadWorkspaceConfig(workspace, "r10-odds");
    expect(problemsOf(loaded)).toEqual([
      "r10-odds/.github/shared-schema.yml: _extends: extends .github/.github/shared-schema.yml, which is a link out of its repository: an _extends path stays inside its repository",
    ]);
  });

  it("follows the _extends of a --config file, confined the same way", async () => {
    await put(".github/.github/shared-schema.yml", orgConfig);
    const config = await put("elsewhere/config.yml", "_extends: .github\nprefix: r10_\n");
    const followed = await loadConfigChain(workspace, config, "config.yml");
    expect(followed.files).toEqual(["config.yml", ".github/.github/shared-schema.yml"]);
    expect(followed.result.ok && followed.result.config.prefix).toBe("r10_");
    await put("elsewhere/bad.yml", "_extends: .github:../../elsewhere/config.yml\n");
    const confined = await loadConfigChain(workspace, path.join(workspace, "elsewhere/bad.yml"), "bad.yml");
    expect(problemsOf(confined)[0]).toMatch(/^bad\.yml:1:11: _extends: .* leaves the repository it names/);
  });

  it("is undefined when no file exists", async () => {
    expect(await loadWorkspaceConfig(workspace, "r10score/r10-hub")).toBeUndefined();
  });
});
