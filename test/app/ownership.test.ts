import nock from "nock";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acknowledgementsOfPullRequest, AppLogin } from "../../src/app/command-acks.js";
import type { GuardDeps } from "../../src/app/deps.js";
import { ackMarker } from "../../src/commands/ack-record.js";
import { RERUN_ACTION } from "../../src/github/checks.js";
import type { ReviewRequest } from "../../src/pipeline/types.js";
import type { Finding } from "../../src/core/findings.js";
import { API, fakePipeline, fixture, GitHubLog, nockConfig, nockToken, outcome, REPO_PATH, startApp, type FakePipeline } from "./harness.js";
import { finding } from "./helpers.js";

const HEAD = "2222222222222222222222222222222222222222";
const BASE = "1111111111111111111111111111111111111111";
const CHECKS = `${REPO_PATH}/check-runs`;
const COMMENTS = `${REPO_PATH}/issues/12/comments`;
const REACTIONS = `${REPO_PATH}/issues/comments/555/reactions`;
const PULL = `${REPO_PATH}/pulls/12`;
const APP_BOT = { login: "shared-schema-guard[bot]", type: "Bot" };

// notifications (the reviewed service) drops a column that hub reads and odds writes.
const TEAMS_YAML = `default_owner: hub
services:
  hub:
    repo: r10score/r10-hub
    team: r10score/backend
    migrations:
      - { path: "dao/migrations/*.py", format: django, app_label: dao }
    code: ["**/*.py"]
  notifications:
    repo: r10score/r10-notifications
    team: r10score/notifications
    migrations:
      - { path: "migrations/*.sql", format: sql }
    code: ["**/*.go"]
  odds:
    repo: r10score/r10-odds
    code: ["**/*.go"]
tables:
  r10_live_activity_token: { owner: notifications, writers: [notifications, odds] }
`;

const dropToken = finding({ needs: ["hub", "odds"], fingerprint: "fp-drop-token" });
const otherTable = finding({ table: "r10_device", needs: ["hub"], fingerprint: "fp-device" });

/** Findings acknowledged as the real finishing step does: every service in `needs` consented. */
function reviewWithAcks(findings: Finding[]) {
  return (request: ReviewRequest) =>
    outcome(
      findings.map((item) => ({
        ...item,
        acknowledged: item.needs.every((service) =>
          request.acks.some((ack) => ack.service === service && ack.table === item.table && ack.fingerprints.includes(item.fingerprint)),
        ),
      })),
      { touchedTables: [...new Set(findings.flatMap((item) => (item.table ? [item.table] : [])))] },
    );
}

/** The fake pipeline, with acknowledgements read back from the conversation as in production. */
function pipelineReadingAcks(findings: Finding[]): FakePipeline {
  const pipeline = fakePipeline(reviewWithAcks(findings));
  const appLogin = new AppLogin();
  const deps: GuardDeps = {
    ...pipeline.deps,
    sources: (installation, config) => ({
      ...pipeline.deps.sources(installation, config),
      acknowledgements: (pr) => acknowledgementsOfPullRequest(installation.octokit, pr, appLogin),
    }),
  };
  return { ...pipeline, deps };
}

function commentPayload(body: string, overrides: { login?: string; type?: string; onIssue?: boolean } = {}): Record<string, unknown> {
  const pr = fixture("pull_request.opened");
  const user = { login: overrides.login ?? "olga", id: 777, type: overrides.type ?? "User" };
  return {
    action: "created",
    issue: {
      number: 12,
      title: "Drop the token column",
      state: "open",
      user,
      ...(overrides.onIssue ? {} : { pull_request: { url: `${API}${PULL}` } }),
    },
    comment: { id: 555, body, user, author_association: "MEMBER" },
    repository: pr.repository,
    sender: user,
    installation: pr.installation,
  };
}

let deliveries = 0;
async function deliverEvent(probot: Probot, name: string, payload: Record<string, unknown>): Promise<void> {
  await probot.receive({ id: `ownership-${++deliveries}`, name, payload } as Parameters<Probot["receive"]>[0]);
}

describe("/ownership commands", () => {
  let github: GitHubLog;

  beforeEach(() => {
    nock.disableNetConnect();
    nockToken();
    github = new GitHubLog();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });

  async function send(pipeline: FakePipeline, body: string, overrides: Parameters<typeof commentPayload>[1] = {}) {
    const { probot, guard } = await startApp(pipeline.deps);
    await deliverEvent(probot, "issue_comment", commentPayload(body, overrides));
    await guard.idle();
  }

  function reactions(): unknown[] {
    return github.bodiesOf("POST", REACTIONS).map((body) => body.content);
  }

  function replies(): string[] {
    return github.bodiesOf("POST", COMMENTS).map((body) => String(body.body));
  }

  function answerPullRequest(): void {
    github.answer("GET", PULL, 200, { number: 12, head: { sha: HEAD }, base: { sha: BASE } });
  }

  function answerRole(login: string, role: string | null): void {
    if (role === null) github.answer("GET", `${REPO_PATH}/collaborators/${login}/permission`, 404, { message: "Not Found" });
    else github.answer("GET", `${REPO_PATH}/collaborators/${login}/permission`, 200, { permission: role === "maintain" ? "write" : role, role_name: role });
  }

  function answerMembership(team: string, login: string, state: "active" | "pending" | null): void {
    const path = `/orgs/r10score/teams/${team}/memberships/${login}`;
    if (state === null) github.answer("GET", path, 404, { message: "Not Found" });
    else github.answer("GET", path, 200, { state, role: "member" });
  }

  /**
   * A review run after a command: check created and completed, reviews and comments read
   * (a second time for the acknowledgements, when given the conversation they are in).
   */
  function answerReviewRun(checkId: number, conversation?: unknown[]): void {
    nockConfig(TEAMS_YAML);
    github
      .answer("POST", CHECKS, 201, { id: checkId })
      .answer("GET", `${PULL}/reviews`, 200, [])
      .answer("GET", COMMENTS, 200, conversation ?? [], { times: conversation ? 2 : 1 })
      .answer("PATCH", `${CHECKS}/${checkId}`, 200, { id: checkId });
  }

  describe("are ignored", () => {
    it.each([
      ["on a plain issue", "/ownership help", { onIssue: true }],
      ["from a bot", "/ownership help", { type: "Bot", login: "renovate[bot]" }],
      ["from the app itself", "/ownership help", { type: "Bot", login: "shared-schema-guard[bot]" }],
      ["without a command", "Looks good, but what about /ownership?", {}],
    ])("%s", async (_why, body, overrides) => {
      const pipeline = fakePipeline(() => outcome([]));
      await send(pipeline, body, overrides);
      expect(github.requests).toEqual([]);
      expect(pipeline.requests).toEqual([]);
    });
  });

  it("an edited comment runs nothing: a command runs once, when it is posted", async () => {
    const pipeline = fakePipeline(() => outcome([]));
    const { probot, guard } = await startApp(pipeline.deps);
    await deliverEvent(probot, "issue_comment", { ...commentPayload("/ownership recheck"), action: "edited" });
    await guard.idle();
    expect(github.requests).toEqual([]);
  });

  it("a redelivered command is answered once", async () => {
    github.answer("POST", COMMENTS, 201, { id: 901 }).answer("POST", REACTIONS, 201, {});
    const { probot, guard } = await startApp(fakePipeline(() => outcome([])).deps);
    for (let copy = 0; copy < 2; copy++) {
      await probot.receive({ id: "same-delivery", name: "issue_comment", payload: commentPayload("/ownership help") } as Parameters<Probot["receive"]>[0]);
    }
    await guard.idle();
    expect(replies()).toHaveLength(1);
  });

  it("help: replies with every command and reacts +1", async () => {
    github.answer("POST", COMMENTS, 201, { id: 901 }).answer("POST", REACTIONS, 201, {});
    await send(fakePipeline(() => outcome([])), "/ownership help");
    expect(replies()[0]).toContain("`/ownership ack <table> <reason>`");
    expect(reactions()).toEqual(["+1"]);
  });

  it.each([
    ["/ownership ack", "`ack` needs a table and a reason."],
    ["/ownership ack r10_live_activity_token", "`ack` needs a reason after the table"],
    ["/ownership ack r10-token fine", "`r10-token` is not a table name."],
    ["/ownership recheck please", "`recheck` takes nothing after it."],
    ["/ownership help me", "`help` takes nothing after it."],
    ["/ownership r10_device r10_match", "Name one table, and nothing after it."],
    ["/ownership !!", "is neither a command nor a table name."],
  ])("malformed %j: replies with the problem and the usage, reacts confused, changes nothing", async (body, problem) => {
    github.answer("POST", COMMENTS, 201, { id: 901 }).answer("POST", REACTIONS, 201, {});
    const pipeline = fakePipeline(() => outcome([]));
    await send(pipeline, body);
    expect(replies()[0]).toContain(problem);
    expect(replies()[0]).toContain("| `/ownership help` |");
    expect(reactions()).toEqual(["confused"]);
    expect(pipeline.requests).toEqual([]);
  });

  describe("recheck", () => {
    it.each(["write", "maintain", "admin"])("by someone with %s access re-runs the analysis", async (role) => {
      answerRole("olga", role);
      github.answer("POST", REACTIONS, 201, {});
      answerPullRequest();
      answerReviewRun(70);
      const pipeline = fakePipeline(() => outcome([]));
      await send(pipeline, "/ownership recheck");
      expect(reactions()).toEqual(["+1"]);
      expect(pipeline.requests.map((request) => request.changes.head.ref)).toEqual([HEAD]);
      expect(github.bodiesOf("PATCH", `${CHECKS}/70`)[0]).toMatchObject({ conclusion: "success", actions: [RERUN_ACTION] });
    });

    it.each([
      ["read", "read"],
      ["triage", "triage"],
      ["no collaborator", null],
    ])("by someone with %s access is refused and re-runs nothing", async (_who, role) => {
      answerRole("olga", role);
      github.answer("POST", COMMENTS, 201, { id: 901 }).answer("POST", REACTIONS, 201, {});
      const pipeline = fakePipeline(() => outcome([]));
      await send(pipeline, "/ownership recheck");
      expect(replies()[0]).toContain("needs write access");
      expect(reactions()).toEqual(["confused"]);
      expect(pipeline.requests).toEqual([]);
    });
  });

  describe("showing ownership", () => {
    it("/ownership: a table and a diagram of the touched tables", async () => {
      nockConfig(TEAMS_YAML);
      github.answer("POST", REACTIONS, 201, {});
      answerPullRequest();
      github.answer("POST", COMMENTS, 201, { id: 901 });
      const pipeline = fakePipeline(() =>
        outcome([dropToken], {
          touchedTables: ["r10_live_activity_token"],
          consumers: {
            uses: [{ service: "hub", repo: "r10score/r10-hub", path: "dao/tokens.py", line: 8, table: "r10_live_activity_token", column: "token", access: "read", url: "https://example.test/t#L8" }],
            failures: [],
          },
        }),
      );
      await send(pipeline, "/ownership");
      expect(reactions()).toEqual(["+1"]);
      const [reply] = replies();
      expect(reply).toContain("| `r10_live_activity_token` | notifications | notifications, odds | hub: [r10score/r10-hub:dao/tokens.py:8](https://example.test/t#L8) (reads `token`) |");
      expect(reply).toContain("```mermaid");
      expect(reply).toContain("-.->|reads|");
      expect(pipeline.requests[0]?.changes.head.ref).toBe(HEAD);
    });

    it("/ownership <table>: searches every other service for the table", async () => {
      nockConfig(TEAMS_YAML);
      github.answer("POST", REACTIONS, 201, {});
      answerPullRequest();
      github.answer("POST", COMMENTS, 201, { id: 901 });
      const pipeline = fakePipeline(() => outcome([]));
      const searched: unknown[] = [];
      const deps: GuardDeps = {
        ...pipeline.deps,
        sources: (installation, config) => ({
          ...pipeline.deps.sources(installation, config),
          consumers: {
            find: (targets, exclude) => {
              searched.push([targets, exclude]);
              return Promise.resolve({
                uses: [{ service: "odds", repo: "r10score/r10-odds", path: "db/device.go", line: 3, table: "r10_device", access: "write" }],
                failures: [],
              });
            },
          },
        }),
      };
      await send({ ...pipeline, deps }, "/ownership public.R10_DEVICE");
      expect(searched).toEqual([[[{ table: "r10_device" }], "notifications"]]);
      const [reply] = replies();
      expect(reply).toContain("**`r10_device`**");
      expect(reply).toContain("owner: hub (not named in the configuration: the default owner)");
      expect(reply).toContain("| odds | writes the table | `r10score/r10-odds:db/device.go:3` |");
    });

    it("in a repository without configuration says so and reacts confused", async () => {
      nockConfig(null);
      github.answer("POST", COMMENTS, 201, { id: 901 }).answer("POST", REACTIONS, 201, {});
      const pipeline = fakePipeline(() => outcome([]));
      await send(pipeline, "/ownership");
      expect(replies()[0]).toContain("no valid `.github/shared-schema.yml`");
      expect(reactions()).toEqual(["confused"]);
      expect(pipeline.requests).toEqual([]);
    });
  });

  describe("ack", () => {
    it("by a member of a needed service's team records that service's consent, confirms and re-runs", async () => {
      nockConfig(TEAMS_YAML);
      answerPullRequest();
      answerRole("olga", "write");
      answerMembership("backend", "olga", "active");
      github
        .answer("POST", COMMENTS, 201, { id: 901 }, { times: 2 })
        .answer("POST", REACTIONS, 201, {})
        .answer("POST", `${PULL}/reviews`, 200, { id: 600 });
      const confirmation = ackMarker({ table: "r10_live_activity_token", headSha: HEAD, by: "olga", reason: "hub reads it no more", services: { hub: ["fp-drop-token"] } });
      github.answer("GET", "/app", 200, { id: 123456, slug: "shared-schema-guard" });
      answerReviewRun(71, [{ id: 901, body: confirmation, user: APP_BOT }]);
      const pipeline = pipelineReadingAcks([dropToken, otherTable]);

      await send(pipeline, "/ownership ack r10_live_activity_token hub reads it no more");

      const [reply] = replies();
      expect(reply).toContain("Acknowledged by @olga on `r10_live_activity_token` at `2222222`: hub reads it no more");
      expect(reply).toContain("| hub | `fp-drop-token` |");
      expect(reply).toContain("Not covered by this ack: the consent of odds.");
      expect(reply).toContain(confirmation);
      expect(reactions()).toEqual(["+1"]);
      // The analysis for the ack runs without acks; the re-run reads the confirmation back.
      expect(pipeline.requests.map((request) => request.acks)).toEqual([
        [],
        [{ service: "hub", table: "r10_live_activity_token", fingerprints: ["fp-drop-token"], by: "olga", reason: "hub reads it no more" }],
      ]);
      // odds has not consented yet: still blocking.
      expect(github.bodiesOf("POST", `${PULL}/reviews`)[0]).toMatchObject({ event: "REQUEST_CHANGES" });
      expect(github.bodiesOf("PATCH", `${CHECKS}/71`)[0]).toMatchObject({ conclusion: "failure" });
    });

    it("by a repository admin consents for every service the findings need, and unblocks", async () => {
      nockConfig(TEAMS_YAML);
      answerPullRequest();
      answerRole("root", "admin");
      github.answer("POST", COMMENTS, 201, { id: 901 }, { times: 2 }).answer("POST", REACTIONS, 201, {});
      const confirmation = ackMarker({ table: "r10_live_activity_token", headSha: HEAD, by: "root", reason: "agreed in #42", services: { hub: ["fp-drop-token"], odds: ["fp-drop-token"] } });
      github.answer("GET", "/app", 200, { id: 123456, slug: "shared-schema-guard" });
      answerReviewRun(72, [{ id: 901, body: confirmation, user: APP_BOT }]);
      const pipeline = pipelineReadingAcks([dropToken]);

      await send(pipeline, "/ownership ack r10_live_activity_token agreed in #42", { login: "root" });

      expect(replies()[0]).toContain(confirmation);
      expect(reactions()).toEqual(["+1"]);
      expect(github.bodiesOf("PATCH", `${CHECKS}/72`)[0]).toMatchObject({ conclusion: "success" });
    });

    it("by someone in no needed team is refused with the teams it needs, and re-runs nothing", async () => {
      nockConfig(TEAMS_YAML);
      answerPullRequest();
      answerRole("sam", "write");
      answerMembership("backend", "sam", null);
      github.answer("POST", COMMENTS, 201, { id: 901 }).answer("POST", REACTIONS, 201, {});
      const pipeline = fakePipeline(() => outcome([dropToken]));

      await send(pipeline, "/ownership ack r10_live_activity_token looks fine", { login: "sam" });

      const [reply] = replies();
      expect(reply).toContain("that needs a member of @r10score/backend (hub), or a repository admin.");
      expect(reply).toContain("odds has no `team` in the configuration: only a repository admin can consent for it.");
      expect(reactions()).toEqual(["confused"]);
      expect(pipeline.requests).toHaveLength(1);
      expect(github.requests.some((request) => request.path === CHECKS)).toBe(false);
    });

    it("by someone whose team invitation is still pending is refused", async () => {
      nockConfig(TEAMS_YAML);
      answerPullRequest();
      answerRole("sam", "read");
      answerMembership("backend", "sam", "pending");
      github.answer("POST", COMMENTS, 201, { id: 901 }).answer("POST", REACTIONS, 201, {});
      await send(fakePipeline(() => outcome([dropToken])), "/ownership ack r10_live_activity_token fine", { login: "sam" });
      expect(replies()[0]).toContain("you cannot acknowledge");
      expect(reactions()).toEqual(["confused"]);
    });

    it("on a table with nothing that needs consent records nothing", async () => {
      nockConfig(TEAMS_YAML);
      answerPullRequest();
      github.answer("POST", COMMENTS, 201, { id: 901 }).answer("POST", REACTIONS, 201, {});
      await send(fakePipeline(() => outcome([otherTable, finding({ severity: "warning" })])), "/ownership ack r10_live_activity_token fine");
      expect(replies()[0]).toContain("nothing on `r10_live_activity_token` needs another service's consent at `2222222`");
      expect(reactions()).toEqual(["confused"]);
    });

    it("that fails on the way replies that nothing was recorded", async () => {
      nockConfig(TEAMS_YAML);
      github.answer("GET", PULL, 502, { message: "Bad Gateway" });
      github.answer("POST", COMMENTS, 201, { id: 901 }).answer("POST", REACTIONS, 201, {});
      await send(fakePipeline(() => outcome([dropToken])), "/ownership ack r10_live_activity_token fine");
      expect(replies()[0]).toContain("the command could not complete: GitHub answered 502 to GET /repos/r10score/r10-notifications/pulls/12");
      expect(reactions()).toEqual(["confused"]);
    });
  });

  describe("the check's Re-run analysis button", () => {
    function requestedAction(identifier: string): Record<string, unknown> {
      return { ...fixture("check_run.rerequested"), action: "requested_action", requested_action: { identifier } };
    }

    it("re-runs the analysis of the check's pull request", async () => {
      answerReviewRun(73);
      const pipeline = fakePipeline(() => outcome([]));
      const { probot, guard } = await startApp(pipeline.deps);
      await deliverEvent(probot, "check_run", requestedAction(RERUN_ACTION.identifier));
      await guard.idle();
      expect(pipeline.requests.map((request) => request.changes.head.ref)).toEqual([HEAD]);
    });

    it("ignores another action", async () => {
      const pipeline = fakePipeline(() => outcome([]));
      const { probot, guard } = await startApp(pipeline.deps);
      await deliverEvent(probot, "check_run", requestedAction("something-else"));
      await guard.idle();
      expect(github.requests).toEqual([]);
      expect(pipeline.requests).toEqual([]);
    });
  });
});
