import { describe, expect, it } from "vitest";
import { renderCheckRunOutput } from "../../src/report/check-run.js";
import { GITHUB_TEXT_LIMIT } from "../../src/report/markdown.js";
import type { Finding } from "../../src/core/findings.js";
import { blockingReview, cleanReview, settledReview } from "./reviews.js";

describe("renderCheckRunOutput", () => {
  it("titles a blocking review and annotates every finding on its line", () => {
    const output = renderCheckRunOutput(blockingReview());
    expect(output.title).toBe("Blocked: 1 blocking finding");
    expect(output.summary.split("\n")[0]).toMatch(/^\*\*Blocked\*\*/);
    expect(output.annotations).toEqual([
      expect.objectContaining({ path: "dao/migrations/0574_match_kickoff.py", start_line: 14, end_line: 14, annotation_level: "failure", title: "breaking-change: r10_match.kickoff" }),
      expect.objectContaining({ start_line: 20, annotation_level: "warning" }),
    ]);
    expect(output.annotations[0]?.message).toContain("- r10score/r10-odds:internal/odds/match.go:31 (odds, read)");
  });

  it("titles a clean review", () => {
    expect(renderCheckRunOutput(cleanReview())).toMatchObject({ title: "No findings", annotations: [] });
  });

  it("annotates suppressed findings as notices and acknowledged ones as warnings, saying which", () => {
    const output = renderCheckRunOutput(settledReview());
    expect(output.title).toBe("Passed: 4 findings, none blocking");
    const byTitle = new Map(output.annotations.map((annotation) => [annotation.title, annotation.annotation_level]));
    expect(byTitle.get("breaking-change: r10_match.kickoff (acknowledged)")).toBe("warning");
    expect(byTitle.get("table-prefix: import_scratch (suppressed)")).toBe("notice");
  });

  it("keeps the summary within GitHub's limit with 2,000 findings, saying it was cut, and still annotates them all", () => {
    const review = blockingReview();
    const [template] = review.findings;
    if (!template) throw new Error("no finding");
    const findings: Finding[] = Array.from({ length: 2000 }, (_, i) => ({ ...template, loc: { ...template.loc, line: i + 1 }, fingerprint: `f${i}` }));
    const output = renderCheckRunOutput({ ...review, findings });
    expect(output.summary.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
    expect(output.summary).toContain("**Truncated**");
    expect(output.summary.split("\n")[0]).toMatch(/^\*\*Blocked\*\*: 2000 changes break other services/);
    expect(output.annotations).toHaveLength(2000);
  });

  it("places a file-level finding on line 1 and lists at most 20 consumers per annotation", () => {
    const review = blockingReview();
    const [template] = review.findings;
    if (!template) throw new Error("no finding");
    const consumers = Array.from({ length: 25 }, (_, i) => ({ ...template.consumers[0]!, line: i + 1 }));
    const [annotation] = renderCheckRunOutput({ ...review, findings: [{ ...template, loc: { ...template.loc, line: 0 }, consumers }] }).annotations;
    expect(annotation).toMatchObject({ start_line: 1, end_line: 1 });
    expect(annotation?.message).toContain("- … and 5 more in the summary");
    expect(annotation?.message.match(/^- r10score/gm)).toHaveLength(20);
  });
});
