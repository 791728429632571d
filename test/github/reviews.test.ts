import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fingerprintsInMarker, listOwnReviews, reviewMarker } from "../../src/github/reviews.js";
import { testOctokit } from "../app/helpers.js";

const pr = { owner: "r10score", repo: "r10-notifications", number: 12 };
const reviewsPath = "/repos/r10score/r10-notifications/pulls/12/reviews";
const bot = { login: "shared-schema-guard[bot]", type: "Bot" };
const human = { login: "octocat", type: "User" };

describe("the app's reviews", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  it("round-trips the fingerprints through the hidden marker, sorted", () => {
    const marker = reviewMarker(["b:2", "a:1"]);
    expect(marker).toBe("<!-- shared-schema-guard:review fingerprints=a:1,b:2 -->");
    expect(fingerprintsInMarker(`Some text\n\n${marker}`)).toEqual(["a:1", "b:2"]);
    expect(fingerprintsInMarker(reviewMarker([]))).toEqual([]);
    expect(fingerprintsInMarker("a review without the marker")).toBeUndefined();
  });

  it("finds its own reviews on every page, by marker and bot author", async () => {
    nock("https://api.github.com")
      .get(reviewsPath)
      .query({ per_page: "100" })
      .reply(
        200,
        [
          { id: 1, state: "CHANGES_REQUESTED", commit_id: "c1", body: reviewMarker(["x"]), user: bot },
          { id: 2, state: "COMMENTED", body: `quoting ${reviewMarker(["x"])}`, user: human },
        ],
        { link: `<https://api.github.com${reviewsPath}?per_page=100&page=2>; rel="next"` },
      )
      .get(reviewsPath)
      .query({ per_page: "100", page: "2" })
      .reply(200, [
        { id: 3, state: "APPROVED", body: "LGTM", user: { login: "other-bot[bot]", type: "Bot" } },
        { id: 4, state: "DISMISSED", commit_id: "c2", body: reviewMarker(["y", "z"]), user: bot },
      ]);
    await expect(listOwnReviews(testOctokit(), pr)).resolves.toEqual([
      { id: 1, state: "CHANGES_REQUESTED", commitId: "c1", fingerprints: ["x"] },
      { id: 4, state: "DISMISSED", commitId: "c2", fingerprints: ["y", "z"] },
    ]);
  });
});
