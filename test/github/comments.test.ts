import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STICKY_MARKER, upsertStickyComment } from "../../src/github/comments.js";
import { testOctokit } from "../app/helpers.js";

const pr = { owner: "r10score", repo: "r10-hub", number: 5 };
const commentsPath = "/repos/r10score/r10-hub/issues/5/comments";
const bot = { login: "shared-schema-guard[bot]", type: "Bot" };

function pageOne() {
  return nock("https://api.github.com")
    .get(commentsPath)
    .query({ per_page: "100" })
    .reply(
      200,
      [
        { id: 1, body: "first!", user: { login: "octocat", type: "User" } },
        { id: 2, body: `a human quoting ${STICKY_MARKER}`, user: { login: "octocat", type: "User" } },
      ],
      { link: `<https://api.github.com${commentsPath}?per_page=100&page=2>; rel="next"` },
    );
}

describe("the sticky summary comment", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  it("is found on the second page and edited in place", async () => {
    let edited = "";
    pageOne()
      .get(commentsPath)
      .query({ per_page: "100", page: "2" })
      .reply(200, [{ id: 99, body: `${STICKY_MARKER}\nold summary`, user: bot }])
      .patch("/repos/r10score/r10-hub/issues/comments/99", (body: { body: string }) => {
        edited = body.body;
        return true;
      })
      .reply(200, { id: 99 });
    await upsertStickyComment(testOctokit(), pr, "new summary", { createIfMissing: true });
    expect(edited).toBe(`${STICKY_MARKER}\nnew summary`);
  });

  it("is posted once when missing and there is something to say", async () => {
    let posted = "";
    pageOne()
      .get(commentsPath)
      .query({ per_page: "100", page: "2" })
      .reply(200, [])
      .post(commentsPath, (body: { body: string }) => {
        posted = body.body;
        return true;
      })
      .reply(201, { id: 100 });
    await upsertStickyComment(testOctokit(), pr, `${STICKY_MARKER}\n2 findings`, { createIfMissing: true });
    expect(posted).toBe(`${STICKY_MARKER}\n2 findings`);
  });

  it("is not posted for a pull request with nothing to say", async () => {
    pageOne().get(commentsPath).query({ per_page: "100", page: "2" }).reply(200, []);
    await upsertStickyComment(testOctokit(), pr, "all clear", { createIfMissing: false });
  });

  it("is left alone when its text did not change", async () => {
    pageOne()
      .get(commentsPath)
      .query({ per_page: "100", page: "2" })
      .reply(200, [{ id: 99, body: `${STICKY_MARKER}\nsame`, user: bot }]);
    await upsertStickyComment(testOctokit(), pr, "same", { createIfMissing: true });
  });
});
