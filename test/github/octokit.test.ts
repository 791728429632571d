import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { guardOctokit } from "../../src/github/octokit.js";
import { fakeClock } from "./fake-clock.js";

const API = "https://api.github.com";
const INSTALLATION = 77;
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

/** An installation's client as Probot builds it for a webhook, with the app's Octokit class. */
async function installationClient(Octokit: ReturnType<typeof guardOctokit>) {
  nock.disableNetConnect();
  nock(API).post(`/app/installations/${INSTALLATION}/access_tokens`).reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" });
  const probot = new Probot({ appId: 1, privateKey, Octokit, logLevel: "fatal" });
  return probot.auth(INSTALLATION);
}

describe("the app's GitHub client", () => {
  it("paces comments to the installation's write limit, not to Probot's one every three seconds", async () => {
    const clock = fakeClock(0);
    const octokit = await installationClient(guardOctokit({ clock, writeLimits: { perMinute: 2, perHour: 500 } }));
    nock(API).post("/repos/o/r/issues/1/comments").times(3).reply(201, { id: 1 });
    const started = Date.now();
    await Promise.all([1, 2, 3].map((n) => octokit.rest.issues.createComment({ owner: "o", repo: "r", issue_number: 1, body: `${n}` })));
    expect(clock.sleeps).toEqual([60_000]);
    // Probot's own queue would have held the three for at least six seconds.
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("answers reads while writes wait for room", async () => {
    const clock = fakeClock(0);
    let releaseClock: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (releaseClock = resolve));
    const octokit = await installationClient(
      guardOctokit({ clock: { now: clock.now, sleep: (ms) => held.then(() => clock.sleep(ms)) }, writeLimits: { perMinute: 1, perHour: 500 } }),
    );
    nock(API)
      .post("/repos/o/r/check-runs")
      .times(2)
      .reply(201, { id: 5 })
      .get("/repos/o/r/pulls/1/files")
      .reply(200, [])
      .post("/graphql")
      .reply(200, { data: { r0: { id: "R" } } });
    await octokit.rest.checks.create({ owner: "o", repo: "r", name: "c", head_sha: "a".repeat(40) });
    const waitingWrite = octokit.rest.checks.create({ owner: "o", repo: "r", name: "c", head_sha: "b".repeat(40) });
    await octokit.rest.pulls.listFiles({ owner: "o", repo: "r", pull_number: 1 });
    await octokit.graphql(`query { r0: repository(owner: "o", name: "r") { id } }`);
    expect(nock.pendingMocks()).toEqual([`POST ${API}:443/repos/o/r/check-runs`]);
    releaseClock();
    await waitingWrite;
  });
});
