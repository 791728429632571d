import { describe, expect, it } from "vitest";
import { renderStickyComment, renderSummaryMarkdown, truncateMarkdown } from "../../src/report/markdown.js";
import { STICKY_MARKER } from "../../src/report/types.js";
import { blockingReview, cleanReview, settledReview } from "./reviews.js";

describe("renderSummaryMarkdown", () => {
  it("says first that it blocks, and why", () => {
    const review = blockingReview();
    expect(review.conclusion).toBe("failure");
    const markdown = renderSummaryMarkdown(review);
    expect(markdown.split("\n")[0]).toBe("**Blocked**: 1 change breaks other services — `r10_match.kickoff` is read by notifications and odds.");
    expect(markdown).toContain("[r10score/r10-odds:internal/odds/match.go:31](https://github.com/r10score/r10-odds/blob/main/internal/odds/match.go#L31)");
    expect(markdown).toContain("`r10score/r10-notifications:internal/reminders/query.go:12`");
    expect(markdown).toMatchSnapshot();
  });

  it("passes a clean review in one line", () => {
    const review = cleanReview();
    expect(review.conclusion).toBe("success");
    expect(renderSummaryMarkdown(review)).toMatchSnapshot();
  });

  it("shows suppressed and acknowledged findings with their reasons, never hiding them", () => {
    const review = settledReview();
    expect(review.conclusion).toBe("success");
    const markdown = renderSummaryMarkdown(review);
    expect(markdown).toContain("🔕 Suppressed: scratch table for the one-off import, dropped in 0576");
    expect(markdown).toContain("✅ Acknowledged by notifications, odds.");
    expect(markdown).toMatchSnapshot();
  });

  it("names a neutral review as not checked, with the reason", () => {
    const markdown = renderSummaryMarkdown({ ...cleanReview(), conclusion: "neutral", findings: [], notes: ["no .github/shared-schema.yml in this repository or the organisation's .github repository."] });
    expect(markdown.split("\n")[0]).toBe("**Not checked**: no .github/shared-schema.yml in this repository or the organisation's .github repository.");
  });
});

describe("renderStickyComment", () => {
  it("starts with the hidden marker", () => {
    const comment = renderStickyComment(blockingReview());
    expect(comment.split("\n")[0]).toBe(STICKY_MARKER);
    expect(comment.split("\n")[1]).toMatch(/^\*\*Blocked\*\*/);
  });
});

describe("truncateMarkdown", () => {
  it("leaves short text alone and cuts long text at a line, saying so", () => {
    expect(truncateMarkdown("short", 100)).toBe("short");
    const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    const cut = truncateMarkdown(long, 400);
    expect(cut.length).toBeLessThanOrEqual(400);
    expect(cut).toContain("**Truncated**");
    expect(cut).toMatch(/line \d+\n\n---\n\*\*Truncated\*\*/);
  });
});
