// action.yml as the runner reads it: a composite action that installs (and so builds) this
// repository, then runs the entry the end-to-end test runs, with the token and API it was given.
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";

interface CompositeAction {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: { uses?: string; run?: string; shell?: string; env?: Record<string, string> }[] };
}

describe("action.yml", () => {
  it("installs the action's own checkout, whose prepare script builds it, then runs the built entry", async () => {
    const action = parseYaml(await readFile("action.yml", "utf8")) as CompositeAction;
    const pkg = JSON.parse(await readFile("package.json", "utf8")) as { scripts: Record<string, string> };
    expect(action.runs.using).toBe("composite");
    const runs = action.runs.steps.flatMap((step) => (step.run ? [step] : []));
    expect(runs.every((step) => step.shell === "bash")).toBe(true);
    expect(runs[0]?.run).toMatch(/^cd "\$GITHUB_ACTION_PATH" && npm ci\b/);
    expect(pkg.scripts.prepare).toBe("npm run build");
    // tsc's outDir `dist` with rootDir `.`: src/action/main.ts builds to dist/src/action/main.js.
    expect(runs[1]?.run).toBe('node "$GITHUB_ACTION_PATH/dist/src/action/main.js"');
    await expect(readFile("src/action/main.ts", "utf8")).resolves.toContain("runAction(process.env");
  });

  it("hands the entry the token and the API it was given, the workflow's by default", async () => {
    const action = parseYaml(await readFile("action.yml", "utf8")) as CompositeAction;
    expect(action.inputs.token?.default).toBe("${{ github.token }}");
    expect(action.inputs["api-url"]?.default).toBe("${{ github.api_url }}");
    expect(action.runs.steps.at(-1)?.env).toEqual({ GITHUB_TOKEN: "${{ inputs.token }}", GITHUB_API_URL: "${{ inputs.api-url }}" });
  });
});
