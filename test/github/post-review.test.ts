import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blockingFindings, DISMISS_MESSAGE, planReview, postReview, reviewBody } from "../../src/github/post-review.js";
import { reviewMarker, type OwnReview } from "../../src/github/reviews.js";
import { changedFile, finding, testOctokit } from "../app/helpers.js";

const onDiff = finding({ loc: { file: "migrations/0002.sql", line: 3 }, fingerprint: "fp-on-diff" });
const offDiff = finding({ loc: { file: "migrations/0002.sql", line: 40 }, fingerprint: "fp-off-diff" });
const files = [changedFile("migrations/0002.sql", [1, 2, 3, 4])];

function ownReview(overrides: Partial<OwnReview>): OwnReview {
  return { id: 1, state: "CHANGES_REQUESTED", fingerprints: [], ...overrides };
}

describe("planning the review", () => {
  it("blocks only on errors that are neither suppressed nor acknowledged", () => {
    const kept = finding({ fingerprint: "kept" });
    const findings = [
      kept,
      finding({ severity: "warning", fingerprint: "warning" }),
      finding({ suppressed: true, fingerprint: "suppressed" }),
      finding({ acknowledged: true, fingerprint: "acked" }),
    ];
    expect(blockingFindings(findings)).toEqual([kept]);
  });

  it("comments inline on diff lines and folds the rest into the body", () => {
    const plan = planReview([onDiff, offDiff], files, []);
    expect(plan).toEqual({ kind: "request-changes", fingerprints: ["fp-off-diff", "fp-on-diff"], inline: [onDiff], folded: [offDiff] });
  });

  it("folds findings in files whose diff GitHub did not show", () => {
    const plan = planReview([onDiff], [{ path: "migrations/0002.sql", status: "added" }], []);
    expect(plan).toMatchObject({ kind: "request-changes", inline: [], folded: [onDiff] });
  });

  it("posts no new review while the blocking findings are the same", () => {
    const previous = ownReview({ fingerprints: ["fp-off-diff", "fp-on-diff"] });
    expect(planReview([offDiff, onDiff], files, [previous])).toEqual({ kind: "nothing" });
  });

  it("reviews again when the findings changed or the earlier review was dismissed", () => {
    expect(planReview([onDiff], files, [ownReview({ fingerprints: ["other"] })]).kind).toBe("request-changes");
    expect(planReview([onDiff], files, [ownReview({ state: "DISMISSED", fingerprints: ["fp-on-diff"] })]).kind).toBe("request-changes");
  });

  it("dismisses every earlier blocking review once nothing blocks", () => {
    const reviews = [ownReview({ id: 1 }), ownReview({ id: 2, state: "DISMISSED" }), ownReview({ id: 3 })];
    expect(planReview([finding({ severity: "warning" })], files, reviews)).toEqual({ kind: "dismiss", reviewIds: [1, 3] });
    expect(planReview([], files, [])).toEqual({ kind: "nothing" });
  });

  it("writes the folded findings and the marker into the body", () => {
    const plan = planReview([onDiff, offDiff], files, []);
    if (plan.kind !== "request-changes") throw new Error("expected a review");
    const body = reviewBody(plan, (item) => `rendered ${item.fingerprint}`);
    expect(body).toContain("2 blocking findings");
    expect(body).toContain("`migrations/0002.sql:40`");
    expect(body).toContain("rendered fp-off-diff");
    expect(body).not.toContain("rendered fp-on-diff");
    expect(body).toContain(reviewMarker(["fp-on-diff", "fp-off-diff"]));
  });
});

describe("posting the review", () => {
  const pr = { owner: "r10score", repo: "r10-notifications", number: 12 };
  const reviewsPath = "/repos/r10score/r10-notifications/pulls/12/reviews";
  const bot = { login: "shared-schema-guard[bot]", type: "Bot" };
  const render = (item: { fingerprint: string }) => `about ${item.fingerprint}`;

  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  it("requests changes on the head SHA with inline comments on the new side", async () => {
    let sent: Record<string, unknown> = {};
    nock("https://api.github.com")
      .get(reviewsPath)
      .query(true)
      .reply(200, [])
      .post(reviewsPath, (body: Record<string, unknown>) => {
        sent = body;
        return true;
      })
      .reply(200, { id: 50 });
    await postReview(testOctokit(), pr, { headSha: "h1", findings: [onDiff, offDiff], files, render });
    expect(sent).toMatchObject({
      commit_id: "h1",
      event: "REQUEST_CHANGES",
      comments: [{ path: "migrations/0002.sql", line: 3, side: "RIGHT", body: "about fp-on-diff" }],
    });
    expect(sent.body).toContain("about fp-off-diff");
  });

  it("dismisses its own blocking review once clean", async () => {
    let dismissal: Record<string, unknown> = {};
    nock("https://api.github.com")
      .get(reviewsPath)
      .query(true)
      .reply(200, [{ id: 40, state: "CHANGES_REQUESTED", body: reviewMarker(["fp-on-diff"]), user: bot }])
      .put(`${reviewsPath}/40/dismissals`, (body: Record<string, unknown>) => {
        dismissal = body;
        return true;
      })
      .reply(200, { id: 40 });
    await postReview(testOctokit(), pr, { headSha: "h2", findings: [], files, render });
    expect(dismissal).toMatchObject({ message: DISMISS_MESSAGE, event: "DISMISS" });
  });
});
