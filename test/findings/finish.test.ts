import { describe, expect, it } from "vitest";
import type { Acknowledgement, RuleFinding, Suppression } from "../../src/core/findings.js";
import { conclusionOf, finishFindings } from "../../src/findings/finish.js";
import { rules } from "../../src/rules/index.js";
import { config } from "../rules/builders.js";

function raw(overrides: Partial<RuleFinding> = {}): RuleFinding {
  return {
    rule: "breaking-change",
    severity: "error",
    service: "hub",
    table: "r10_match",
    column: "kickoff",
    loc: { file: "dao/migrations/0574_x.py", line: 10 },
    message: "drops kickoff",
    consumers: [],
    needs: ["odds"],
    key: "drop-column",
    ...overrides,
  };
}

const suppression = (rule: string, line: number, file = "dao/migrations/0574_x.py"): Suppression => ({
  loc: { file, line: line - 1 },
  appliesToLine: line,
  rule,
  reason: "column unused since 2024",
});

const ctx = (extra: Partial<Parameters<typeof finishFindings>[1]> = {}) => ({ config: config(), rules, suppressions: [], acks: [], ...extra });

describe("finishFindings", () => {
  it("uses the rule's severity, else its default", () => {
    const [finding] = finishFindings([raw({ rule: "undeclared-table", severity: undefined, needs: [] })], ctx());
    expect(finding?.severity).toBe("notice");
  });

  it("applies configured overrides; off removes the rule's findings", () => {
    const guard = config({ rules: { "breaking-change": "warning", "table-prefix": "off" } });
    const findings = finishFindings([raw(), raw({ rule: "table-prefix", needs: [] })], ctx({ config: guard }));
    expect(findings.map((finding) => [finding.rule, finding.severity])).toEqual([["breaking-change", "warning"]]);
  });

  it("suppresses only the same rule, file and line, keeping the reason", () => {
    const findings = finishFindings(
      [raw({ needs: [] }), raw({ rule: "foreign-schema-change", key: "x", needs: [] }), raw({ loc: { file: "dao/migrations/0574_x.py", line: 11 }, needs: [] })],
      ctx({ suppressions: [suppression("breaking-change", 10), suppression("breaking-change", 11, "other.sql")] }),
    );
    const suppressed = findings.filter((finding) => finding.suppressed);
    expect(suppressed).toEqual([expect.objectContaining({ rule: "breaking-change", loc: { file: "dao/migrations/0574_x.py", line: 10 }, suppressionReason: "column unused since 2024" })]);
  });

  it("never lets a suppression stand in for another service's consent: noted, still blocking until that service acks", () => {
    const needsConsent = [
      raw(),
      raw({ rule: "foreign-schema-change", key: "fsc", needs: ["notifications"] }),
      raw({ rule: "cross-service-foreign-key", key: "fk", needs: ["notifications"] }),
      raw({ rule: "foreign-write", key: "fw", needs: ["notifications"] }),
    ];
    const suppressions = ["breaking-change", "foreign-schema-change", "cross-service-foreign-key", "foreign-write"].map((rule) => suppression(rule, 10));
    const findings = finishFindings(needsConsent, ctx({ suppressions }));
    expect(findings.map((finding) => [finding.rule, finding.suppressed, finding.suppressionReason])).toEqual([
      ["breaking-change", false, "column unused since 2024"],
      ["cross-service-foreign-key", false, "column unused since 2024"],
      ["foreign-schema-change", false, "column unused since 2024"],
      ["foreign-write", false, "column unused since 2024"],
    ]);
    expect(conclusionOf(findings)).toBe("failure");
    const acks: Acknowledgement[] = findings.map((finding) => ({
      service: finding.needs[0] ?? "",
      table: "r10_match",
      fingerprints: [finding.fingerprint],
      by: "someone",
      reason: "agreed",
    }));
    const acknowledged = finishFindings(needsConsent, ctx({ suppressions, acks }));
    expect(acknowledged.every((finding) => finding.acknowledged)).toBe(true);
    expect(conclusionOf(acknowledged)).toBe("success");
  });

  it("makes a suppression without a reason a finding of its own, and lets it suppress nothing", () => {
    const findings = finishFindings([raw({ needs: [] })], ctx({ suppressions: [{ ...suppression("breaking-change", 10), reason: "" }] }));
    expect(findings.map((finding) => [finding.rule, finding.severity, finding.suppressed])).toEqual([
      ["breaking-change", "error", false],
      ["unparsed-sql", "warning", false],
    ]);
    expect(findings[1]?.message).toContain("Suppression without a reason");
  });

  it("covers every line of a statement that spans lines in code", () => {
    const spanning: Suppression = { ...suppression("foreign-write", 5, "internal/db/x.go"), appliesThroughLine: 8 };
    const findings = finishFindings(
      [6, 8, 9].map((line) => raw({ rule: "foreign-write", needs: [], key: `w${line}`, loc: { file: "internal/db/x.go", line } })),
      ctx({ suppressions: [spanning] }),
    );
    expect(findings.map((finding) => [finding.loc.line, finding.suppressed])).toEqual([
      [6, true],
      [8, true],
      [9, false],
    ]);
  });

  it("turns a suppression naming an unknown rule into a warning, so a typo never ignores anything", () => {
    const findings = finishFindings([raw()], ctx({ suppressions: [suppression("breaking-changes", 10)] }));
    expect(findings.map((finding) => [finding.rule, finding.severity, finding.suppressed])).toEqual([
      ["breaking-change", "error", false],
      ["unparsed-sql", "warning", false],
    ]);
    expect(findings[1]?.message).toContain("Unknown rule id in suppression: `breaking-changes`");
  });

  it("fingerprints ignore the line and the wording, and tell findings apart otherwise", () => {
    const [a] = finishFindings([raw()], ctx());
    const [moved] = finishFindings([raw({ loc: { file: "dao/migrations/0574_x.py", line: 40 }, message: "reworded" })], ctx());
    const [other] = finishFindings([raw({ column: "home" })], ctx());
    expect(a?.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(moved?.fingerprint).toBe(a?.fingerprint);
    expect(other?.fingerprint).not.toBe(a?.fingerprint);
  });

  it("gives identical findings in one file distinct fingerprints", () => {
    const findings = finishFindings([raw(), raw({ loc: { file: "dao/migrations/0574_x.py", line: 30 } })], ctx());
    expect(new Set(findings.map((finding) => finding.fingerprint)).size).toBe(2);
  });

  it("acknowledges a blocking finding once every needed service consented to its fingerprint", () => {
    const [first] = finishFindings([raw({ needs: ["odds", "notifications"] })], ctx());
    const fingerprint = first?.fingerprint ?? "";
    const ack = (service: string, fingerprints = [fingerprint], table = "r10_match"): Acknowledgement => ({ service, table, fingerprints, by: "alice", reason: "ok" });
    const acknowledged = (acks: Acknowledgement[]) => finishFindings([raw({ needs: ["odds", "notifications"] })], ctx({ acks }))[0]?.acknowledged;
    expect(acknowledged([ack("odds")])).toBe(false);
    expect(acknowledged([ack("odds"), ack("notifications", ["0123456789ab"])])).toBe(false);
    expect(acknowledged([ack("odds"), ack("notifications", [fingerprint], "r10_team")])).toBe(false);
    expect(acknowledged([ack("odds"), ack("notifications")])).toBe(true);
  });

  it("never acknowledges a finding that needs nobody's consent", () => {
    const [finding] = finishFindings([raw({ rule: "table-prefix", needs: [] })], ctx({ acks: [{ service: "hub", table: "r10_match", fingerprints: [], by: "a", reason: "b" }] }));
    expect(finding?.acknowledged).toBe(false);
  });

  it("sorts by severity, then file, then line", () => {
    const findings = finishFindings(
      [
        raw({ severity: "warning", loc: { file: "a.sql", line: 1 } }),
        raw({ loc: { file: "b.sql", line: 9 } }),
        raw({ loc: { file: "b.sql", line: 2 } }),
        raw({ loc: { file: "a.sql", line: 5 } }),
      ],
      ctx(),
    );
    expect(findings.map((finding) => `${finding.severity} ${finding.loc.file}:${finding.loc.line}`)).toEqual([
      "error a.sql:5",
      "error b.sql:2",
      "error b.sql:9",
      "warning a.sql:1",
    ]);
  });
});

describe("conclusionOf", () => {
  it("fails only on an error that is neither suppressed nor acknowledged", () => {
    const [error] = finishFindings([raw()], ctx());
    if (!error) throw new Error("no finding");
    expect(conclusionOf([error])).toBe("failure");
    expect(conclusionOf([{ ...error, suppressed: true }])).toBe("success");
    expect(conclusionOf([{ ...error, acknowledged: true }])).toBe("success");
    expect(conclusionOf([{ ...error, severity: "warning" }])).toBe("success");
    expect(conclusionOf([])).toBe("success");
  });
});
