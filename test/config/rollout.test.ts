import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/parse.js";
import { formatConfigProblem } from "../../src/config/problems.js";

const base = `default_owner: hub
services:
  hub: { repo: r10score/r10-hub }
`;

function parse(extra: string) {
  return parseConfigText(`${base}${extra}`, ".github/shared-schema.yml");
}

describe("mode and baseline in the configuration", () => {
  it("are absent unless set: blocking, and no baseline", () => {
    const result = parse("");
    expect(result.ok && [result.config.mode, result.config.baseline]).toEqual([undefined, undefined]);
  });

  it.each([
    ["mode: advisory", { mode: "advisory" }],
    ["mode: blocking", { mode: "blocking" }],
    ["baseline: schema-baseline", { baseline: "schema-baseline" }],
    ["baseline: 3f1c2e9", { baseline: "3f1c2e9" }],
    ["baseline: refs/tags/v2.0", { baseline: "refs/tags/v2.0" }],
  ])("accept %j", (extra, expected) => {
    const result = parse(extra);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config).toMatchObject(expected);
  });

  it.each([
    ["mode: quiet", "4:7: mode: must be one of blocking, advisory"],
    ["baseline: two words", '4:11: baseline: must be a git ref of the repository'],
    ["baseline: main..next", "4:11: baseline: must be a git ref"],
  ])("reject %j with its place", (extra, message) => {
    const result = parse(extra);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map(formatConfigProblem).join("\n")).toContain(message);
  });
});
