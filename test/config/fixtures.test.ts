import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/parse.js";
import { formatConfigProblem } from "../../src/config/problems.js";
import { packageRoot } from "../../src/local/workspace-builder.js";

const fixtures = path.join(packageRoot(), "fixtures");
const configFile = path.join(fixtures, "workspace", ".github", ".github", "shared-schema.yml");

describe("the example organisation's configuration", () => {
  it("is valid and names one service per example repository", () => {
    const result = parseConfigText(readFileSync(configFile, "utf8"), ".github/shared-schema.yml");
    if (!result.ok) throw new Error(result.problems.map(formatConfigProblem).join("\n"));
    const repoFolders = readdirSync(path.join(fixtures, "workspace")).filter((name) => name !== ".github").sort();
    const configured = [...result.config.services.values()].map((service) => service.repo.split("/")[1]).sort();
    expect(configured).toEqual(repoFolders);
    expect(result.config.prefix).toBe("r10_");
    expect(result.config.tables.get("r10_odd_company")?.writers).toEqual(["hub", "odds"]);
  });
});
