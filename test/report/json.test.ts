import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/report/json.js";
import { blockingReview, settledReview } from "./reviews.js";

describe("renderJson", () => {
  it("prints the CLI's JSON shape", () => {
    const parsed = JSON.parse(renderJson(blockingReview()));
    expect(parsed.conclusion).toBe("failure");
    expect(parsed.findings[0]).toEqual({
      rule: "breaking-change",
      severity: "error",
      service: "hub",
      table: "r10_match",
      column: "kickoff",
      file: "dao/migrations/0574_match_kickoff.py",
      line: 14,
      message: expect.stringContaining("renames column `kickoff`"),
      consumers: [
        { repo: "r10score/r10-odds", path: "internal/odds/match.go", line: 31 },
        { repo: "r10score/r10-notifications", path: "internal/reminders/query.go", line: 12 },
      ],
      needs: ["notifications", "odds"],
      suppressed: false,
      suppressionReason: null,
      acknowledged: false,
    });
  });

  it("gives null for an absent column and carries suppressed and acknowledged", () => {
    const parsed = JSON.parse(renderJson(settledReview()));
    expect(parsed.conclusion).toBe("success");
    expect(parsed.findings.map((f: { rule: string; column: string | null; suppressed: boolean; acknowledged: boolean }) => [f.rule, f.column, f.suppressed, f.acknowledged])).toEqual([
      ["breaking-change", "kickoff", false, true],
      ["table-prefix", null, true, false],
      ["breaking-change", "venue", false, false],
      ["undeclared-table", null, false, false],
    ]);
  });
});
