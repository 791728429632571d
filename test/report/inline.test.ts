import { describe, expect, it } from "vitest";
import { renderInlineComment } from "../../src/report/inline.js";
import { blockingReview, settledReview } from "./reviews.js";

describe("renderInlineComment", () => {
  it("explains a blocking breaking change with its consumers and how to unblock it", () => {
    const finding = blockingReview().findings[0];
    if (!finding) throw new Error("no finding");
    expect(renderInlineComment(finding)).toMatchSnapshot();
  });

  it("renders a warning without unblocking advice", () => {
    const finding = blockingReview().findings.find((candidate) => candidate.severity === "warning");
    if (!finding) throw new Error("no warning");
    const comment = renderInlineComment(finding);
    expect(comment).not.toContain("Needs consent");
    expect(comment).toMatchSnapshot();
  });

  it("says a suppressed finding is suppressed and why", () => {
    const finding = settledReview().findings.find((candidate) => candidate.suppressed);
    if (!finding) throw new Error("no suppressed finding");
    expect(renderInlineComment(finding)).toMatchSnapshot();
  });

  it("says an acknowledged finding is acknowledged, by whom it needed", () => {
    const finding = settledReview().findings.find((candidate) => candidate.acknowledged);
    if (!finding) throw new Error("no acknowledged finding");
    const comment = renderInlineComment(finding);
    expect(comment).toContain("Acknowledged by notifications, odds.");
    expect(comment).toMatchSnapshot();
  });
});
