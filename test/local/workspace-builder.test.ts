import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { localPullRequestChanges } from "../../src/local/changes.js";
import { LocalWorkspace } from "../../src/local/workspace.js";
import { buildExampleWorkspace, listScenarios, packageRoot, readScenario } from "../../src/local/workspace-builder.js";
import { tempDir } from "./temp-repo.js";

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir("ssg-builder-");
});
afterEach(() => temp.remove());

function gitIn(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
}

describe("buildExampleWorkspace", () => {
  it("turns every example repository into a git checkout with one commit on main", async () => {
    const built = await buildExampleWorkspace(path.join(temp.dir, "ws"));
    expect(Object.keys(built.checkouts).sort()).toEqual([".github", "r10-hub", "r10-notifications", "r10-odds"]);
    for (const checkout of Object.values(built.checkouts)) {
      expect(gitIn(checkout, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
      expect(gitIn(checkout, "rev-list", "--count", "HEAD")).toBe("1");
      expect(gitIn(checkout, "status", "--porcelain")).toBe("");
    }
    const hub = await new LocalWorkspace(built.dir).snapshot("r10score/r10-hub");
    const files = await hub.listFiles();
    expect(files).toContain("dao/migrations/0001_initial.py");
    expect(files).toContain("manage.py");
    expect(files.some((file) => file.includes("__pycache__"))).toBe(false);
    const org = await new LocalWorkspace(built.dir).snapshot("r10score/.github");
    expect(await org.listFiles()).toContain(".github/shared-schema.yml");
    expect(built.scenario).toBeUndefined();
  });

  it("commits the same trees with the same SHAs on every build", async () => {
    const first = await buildExampleWorkspace(path.join(temp.dir, "one"), "clean-change");
    const second = await buildExampleWorkspace(path.join(temp.dir, "two"), "clean-change");
    expect(second.scenario?.head).toBe(first.scenario?.head);
    expect(gitIn(second.checkouts["r10-odds"] ?? "", "rev-parse", "HEAD")).toBe(gitIn(first.checkouts["r10-odds"] ?? "", "rev-parse", "HEAD"));
  });

  it("applies a scenario as a branch of the repository it changes, left checked out", async () => {
    const built = await buildExampleWorkspace(path.join(temp.dir, "ws"), "column-rename");
    const scenario = built.scenario;
    expect(scenario).toMatchObject({ name: "column-rename", service: "hub", repoName: "r10-hub", base: "main", branch: "scenario/column-rename", expect: "failure" });
    const hub = built.checkouts["r10-hub"] ?? "";
    expect(gitIn(hub, "rev-parse", "--abbrev-ref", "HEAD")).toBe("scenario/column-rename");
    expect(gitIn(hub, "log", "-1", "--format=%s")).toBe("Rename OddCompany.name to display_name");
    const changes = await localPullRequestChanges(hub, "r10score/r10-hub", "main", "HEAD");
    expect(changes.files.map((file) => [file.path, file.status]).sort()).toEqual([
      ["dao/migrations/0011_rename_name_oddcompany_display_name.py", "added"],
      ["dao/models.py", "modified"],
    ]);
    expect(gitIn(built.checkouts["r10-odds"] ?? "", "rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
  });

  it("refuses a folder that is not empty and an unknown scenario", async () => {
    const used = path.join(temp.dir, "used");
    mkdirSync(used);
    writeFileSync(path.join(used, "file"), "");
    await expect(buildExampleWorkspace(used)).rejects.toThrow(`cannot build the example workspace in ${used}: the folder is not empty`);
    await expect(buildExampleWorkspace(path.join(temp.dir, "ws"), "no-such")).rejects.toThrow(/^unknown scenario "no-such" \(scenarios: clean-change, /);
  });

  it("deletes the paths a scenario lists", async () => {
    const fixtures = path.join(temp.dir, "fixtures");
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(fixtures, file)), { recursive: true });
      writeFileSync(path.join(fixtures, file), text);
    };
    write("workspace/svc/a.sql", "SELECT 1;\n");
    write("workspace/svc/b.sql", "SELECT 2;\n");
    write("scenarios/drop-b/svc/c.sql", "SELECT 3;\n");
    write("scenarios/drop-b/scenario.json", JSON.stringify({ service: "svc", title: "Drop b", expect: "success", delete: ["b.sql"] }));
    const built = await buildExampleWorkspace(path.join(temp.dir, "ws"), "drop-b", { fixturesDir: fixtures });
    expect(built.scenario).toMatchObject({ rules: [], description: "", delete: ["b.sql"] });
    const changes = await localPullRequestChanges(built.checkouts.svc ?? "", "o/svc", "main", "HEAD");
    expect(changes.files.map((file) => [file.path, file.status]).sort()).toEqual([
      ["b.sql", "removed"],
      ["c.sql", "added"],
    ]);
  });
});

describe("the bundled scenarios", () => {
  it("are the ten the demo and end-to-end tests rely on, each well formed", async () => {
    const names = await listScenarios();
    expect(names).toEqual(["clean-change", "column-rename", "cross-service-fk", "drop-unused-column", "foreign-schema-change", "index-on-shared-table", "not-null-on-shared-table", "rewrite-own-table", "suppressed", "suppressed-foreign-change"]);
    for (const name of names) {
      const scenario = await readScenario(name);
      expect(["hub", "notifications", "odds"]).toContain(scenario.service);
      expect(`r10-${scenario.service}`).toBe(scenario.repoName);
      expect(scenario.title.length).toBeGreaterThan(0);
    }
  });

  it("are found from the package root whichever folder the code runs from", () => {
    const root = packageRoot();
    expect(packageRoot(path.join(root, "dist", "src", "local"))).toBe(root);
    expect(packageRoot(path.join(root, "src", "local"))).toBe(root);
  });
});
