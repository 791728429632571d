import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acknowledgementsOfPullRequest, AppLogin } from "../../src/app/command-acks.js";
import { ackMarker } from "../../src/commands/ack-record.js";
import { API, REPO_PATH } from "./harness.js";
import { testOctokit } from "./helpers.js";

const COMMENTS = `${REPO_PATH}/issues/12/comments`;
const pr = { owner: "r10score", repo: "r10-notifications", pullNumber: 12 };
const record = { table: "r10_device", headSha: "abc", by: "olga", reason: "fine", services: { hub: ["fp1"] } };

describe("acknowledgements of a pull request", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });

  it("come from the app's confirmations on every page, never from a look-alike", async () => {
    nock(API)
      .get("/app")
      .reply(200, { id: 1, slug: "shared-schema-guard" })
      .get(COMMENTS)
      .query({ per_page: "100" })
      .reply(200, [{ id: 1, body: ackMarker({ ...record, by: "forger" }), user: { login: "maria-dev", type: "User" } }], {
        link: `<${API}${COMMENTS}?per_page=100&page=2>; rel="next"`,
      })
      .get(COMMENTS)
      .query({ per_page: "100", page: "2" })
      .reply(200, [
        { id: 2, body: ackMarker(record), user: { login: "shared-schema-guard[bot]", type: "Bot" } },
        { id: 3, body: ackMarker({ ...record, by: "mallory" }), user: { login: "copycat[bot]", type: "Bot" } },
      ]);
    const acks = await acknowledgementsOfPullRequest(testOctokit(), pr, new AppLogin());
    expect(acks).toEqual([{ service: "hub", table: "r10_device", fingerprints: ["fp1"], by: "olga", reason: "fine" }]);
  });

  it("need not ask who the app is when no bot's comment holds a confirmation", async () => {
    nock(API)
      .get(COMMENTS)
      .query(true)
      .reply(200, [
        { id: 1, body: "<!-- shared-schema-guard -->\nsummary", user: { login: "shared-schema-guard[bot]", type: "Bot" } },
        { id: 2, body: ackMarker(record), user: { login: "maria-dev", type: "User" } },
      ]);
    expect(await acknowledgementsOfPullRequest(testOctokit(), pr, new AppLogin())).toEqual([]);
  });

  it("ask GitHub who the app is once, and again only after a failure", async () => {
    nock(API).get("/app").reply(500, { message: "boom" }).get("/app").reply(200, { id: 1, slug: "guard" });
    const login = new AppLogin();
    const octokit = testOctokit();
    await expect(login.get(octokit)).rejects.toThrow();
    expect(await login.get(octokit)).toBe("guard[bot]");
    expect(await login.get(octokit)).toBe("guard[bot]");
  });
});
