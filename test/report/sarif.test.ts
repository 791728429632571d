import { describe, expect, it } from "vitest";
import { ruleIds } from "../../src/rules/index.js";
import { renderSarif, ruleDocsUrl } from "../../src/report/sarif.js";
import type { ReviewReport } from "../../src/report/types.js";
import { blockingReview, cleanReview, settledReview } from "./reviews.js";

type Json = Record<string, unknown>;
const LEVELS = ["none", "note", "warning", "error"];

/** The `required` properties and enums of SARIF 2.1.0's schema, for the objects the renderer writes. */
function sarifProblems(log: Json): string[] {
  const problems: string[] = [];
  const need = (value: unknown, where: string, check: (value: unknown) => boolean, what: string) => {
    if (!check(value)) problems.push(`${where}: ${what}`);
  };
  const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
  const isText = (value: unknown) => typeof value === "string" && value.length > 0;
  const hasText = (value: unknown) => isObject(value) && isText(value.text);
  need(log.version, "sarifLog.version", (value) => value === "2.1.0", 'must be "2.1.0"');
  need(log.runs, "sarifLog.runs", Array.isArray, "required array");
  for (const [r, run] of ((log.runs as Json[] | undefined) ?? []).entries()) {
    const driver = (run.tool as Json | undefined)?.driver as Json | undefined;
    need(driver, `runs[${r}].tool.driver`, isObject, "required");
    need(driver?.name, `runs[${r}].tool.driver.name`, isText, "required string");
    const rules = (driver?.rules as Json[] | undefined) ?? [];
    for (const [i, rule] of rules.entries()) {
      const where = `runs[${r}].tool.driver.rules[${i}]`;
      need(rule.id, `${where}.id`, isText, "required string");
      need(rule.shortDescription, `${where}.shortDescription`, hasText, "needs text");
      need((rule.defaultConfiguration as Json | undefined)?.level, `${where}.defaultConfiguration.level`, (value) => LEVELS.includes(value as string), "a level");
      need(rule.helpUri, `${where}.helpUri`, (value) => typeof value === "string" && URL.canParse(value), "an absolute URI");
    }
    for (const [i, result] of ((run.results as Json[] | undefined) ?? []).entries()) {
      const where = `runs[${r}].results[${i}]`;
      need(result.message, `${where}.message`, hasText, "required, with text");
      need(result.level, `${where}.level`, (value) => LEVELS.includes(value as string), "a level");
      const index = result.ruleIndex as number | undefined;
      need(index, `${where}.ruleIndex`, (value) => typeof value === "number" && rules[value]?.id === result.ruleId, "points at its rule");
      for (const [l, location] of ((result.locations as Json[] | undefined) ?? []).entries()) {
        const physical = location.physicalLocation as Json | undefined;
        need((physical?.artifactLocation as Json | undefined)?.uri, `${where}.locations[${l}].physicalLocation.artifactLocation.uri`, isText, "required");
        need((physical?.region as Json | undefined)?.startLine, `${where}.locations[${l}].physicalLocation.region.startLine`, (value) => Number.isInteger(value) && (value as number) >= 1, "an integer ≥ 1");
      }
      for (const [s, suppression] of ((result.suppressions as Json[] | undefined) ?? []).entries()) {
        need(suppression.kind, `${where}.suppressions[${s}].kind`, (value) => value === "inSource" || value === "external", "inSource or external");
      }
    }
  }
  return problems;
}

function sarif(review: ReviewReport) {
  const log = JSON.parse(renderSarif(review)) as Json;
  const [run] = log.runs as { tool: { driver: { rules: Json[] } }; results: Json[] }[];
  if (!run) throw new Error("no run");
  return { log, run };
}

describe("--format sarif", () => {
  it("is a SARIF 2.1.0 log with every required field", () => {
    for (const review of [blockingReview(), cleanReview(), settledReview()]) expect(sarifProblems(sarif(review).log)).toEqual([]);
  });

  it("describes every rule once, with its default level and its documentation page", () => {
    const { run } = sarif(cleanReview());
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(ruleIds);
    const prefix = run.tool.driver.rules.find((rule) => rule.id === "table-prefix");
    expect(prefix).toMatchObject({ defaultConfiguration: { level: "error" }, helpUri: ruleDocsUrl("docs/rules/table-prefix.md") });
    expect(prefix?.helpUri).toBe("https://github.com/r10score/shared-schema-guard/blob/main/docs/rules/table-prefix.md");
    expect(run.tool.driver.rules.find((rule) => rule.id === "undeclared-table")).toMatchObject({ defaultConfiguration: { level: "note" } });
  });

  it("gives each finding one result on its file and line, naming its consumers", () => {
    const review = blockingReview();
    const { run } = sarif(review);
    expect(run.results).toHaveLength(review.findings.length);
    const rename = run.results.find((result) => (result.properties as Json).subject === "r10_match.kickoff");
    expect(rename).toMatchObject({
      ruleId: "breaking-change",
      level: "error",
      locations: [{ physicalLocation: { artifactLocation: { uri: "dao/migrations/0574_match_kickoff.py" }, region: { startLine: 14 } } }],
      properties: { service: "hub", needs: ["notifications", "odds"], consumers: ["r10score/r10-odds:internal/odds/match.go:31", "r10score/r10-notifications:internal/reminders/query.go:12"] },
    });
    expect((rename?.message as Json).text).toContain("r10score/r10-odds:internal/odds/match.go:31");
    expect(rename?.partialFingerprints).toEqual({ "sharedSchemaGuard/v1": review.findings.find((f) => f.column === "kickoff")?.fingerprint });
  });

  it("marks suppressed and acknowledged findings as suppressed, with the reason", () => {
    const { run } = sarif(settledReview());
    const kinds = run.results.map((result) => ((result.suppressions as Json[] | undefined) ?? []).map((s) => s.kind).join());
    expect(kinds).toContain("inSource");
    expect(kinds).toContain("external");
  });
});
