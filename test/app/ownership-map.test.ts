import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GuardDeps } from "../../src/app/deps.js";
import type { ConsumerTarget } from "../../src/core/consumers.js";
import type { RepositorySnapshot } from "../../src/core/sources.js";
import { expectEveryMockUsed, fakePipeline, fixture, freshGitHub, nockConfig, outcome, REPO_PATH, startApp, type GitHubLog } from "./harness.js";

const COMMENTS = `${REPO_PATH}/issues/12/comments`;
const REACTIONS = `${REPO_PATH}/issues/comments/556/reactions`;

const CONFIG = `default_owner: hub
services:
  hub:
    repo: r10score/r10-hub
    code: ["**/*.py"]
  notifications:
    repo: r10score/r10-notifications
    migrations:
      - { path: "migrations/*.sql", format: sql }
    code: ["**/*.go"]
tables:
  r10_device: { owner: hub, writers: [notifications] }
`;

/** The notifications repository's default branch: one migration; hub's has none. */
function snapshot(repo: string): RepositorySnapshot {
  const files = repo === "r10score/r10-notifications"
    ? [{ path: "migrations/0001_tokens.sql", text: "CREATE TABLE r10_live_activity_token (id uuid PRIMARY KEY, device_id uuid NOT NULL);\n" }]
    : [];
  return {
    repo,
    ref: "main",
    listFiles: () => Promise.resolve(files.map((file) => file.path)),
    readFiles: (paths) => Promise.resolve(files.filter((file) => paths.includes(file.path))),
  };
}

function commentPayload(body: string): Record<string, unknown> {
  const pr = fixture("pull_request.opened");
  const user = { login: "olga", id: 777, type: "User" };
  return {
    action: "created",
    issue: { number: 12, title: "Tokens", state: "open", user, pull_request: { url: `https://api.github.com${REPO_PATH}/pulls/12` } },
    comment: { id: 556, body, user, author_association: "MEMBER" },
    repository: pr.repository,
    sender: user,
    installation: pr.installation,
  };
}

async function send(deps: GuardDeps, body: string): Promise<void> {
  const { probot, guard } = await startApp(deps);
  await probot.receive({ id: `map-${body.length}-${Date.now()}`, name: "issue_comment", payload: commentPayload(body) } as Parameters<Probot["receive"]>[0]);
  await guard.idle();
}

describe("/ownership map", () => {
  let github: GitHubLog;
  beforeEach(() => {
    github = freshGitHub();
  });
  afterEach(expectEveryMockUsed);

  it("replies with the split-readiness report of every service, consumers found by the app's search", async () => {
    nockConfig(CONFIG);
    github.answer("POST", REACTIONS, 201, {}).answer("POST", COMMENTS, 201, { id: 901 });
    const pipeline = fakePipeline(() => outcome([]));
    const searched: [ConsumerTarget[], string][] = [];
    const deps: GuardDeps = {
      ...pipeline.deps,
      sources: (installation, config) => ({
        ...pipeline.deps.sources(installation, config),
        workspace: { snapshot: (repo) => Promise.resolve(snapshot(repo)) },
        consumers: {
          find: (targets, exclude) => {
            searched.push([targets, exclude]);
            const uses = exclude === "notifications"
              ? [{ service: "hub", repo: "r10score/r10-hub", path: "dao/tokens.py", line: 8, table: "r10_live_activity_token", access: "read" as const, url: "https://example.test/t#L8" }]
              : [];
            return Promise.resolve({ uses, failures: [] });
          },
        },
      }),
    };
    await send(deps, "/ownership map");
    expect(github.bodiesOf("POST", REACTIONS).map((body) => body.content)).toEqual(["+1"]);
    expect(searched).toEqual([
      [[{ table: "r10_live_activity_token" }], "notifications"],
      [[{ table: "r10_device" }], "hub"],
    ]);
    const [reply] = github.bodiesOf("POST", COMMENTS).map((body) => String(body.body));
    expect(reply).toContain("**Split readiness**: 0 of 2 services could move to their own database today.");
    expect(reply).toContain("```mermaid");
    expect(reply).toContain("  - replicate reads: hub reads r10_live_activity_token (r10score/r10-hub:dao/tokens.py:8); give it a replica, an API or events");
    expect(reply).toContain("  - single writer: notifications is a declared writer of r10_device; move those writes behind hub's API or events");
    expect(reply).toContain("_Every service as its default branch has it; readers and writers found by GitHub code search._");
    // The pull request itself is not analysed: the map is of the whole organisation.
    expect(pipeline.requests).toEqual([]);
  });

  it("in a repository without configuration says so and maps nothing", async () => {
    nockConfig(null);
    github.answer("POST", COMMENTS, 201, { id: 901 }).answer("POST", REACTIONS, 201, {});
    await send(fakePipeline(() => outcome([])).deps, "/ownership map");
    expect(github.bodiesOf("POST", COMMENTS)[0]?.body).toContain("no valid `.github/shared-schema.yml`");
    expect(github.bodiesOf("POST", REACTIONS).map((body) => body.content)).toEqual(["confused"]);
  });

  it("is listed by /ownership help", async () => {
    github.answer("POST", COMMENTS, 201, { id: 901 }).answer("POST", REACTIONS, 201, {});
    await send(fakePipeline(() => outcome([])).deps, "/ownership help");
    expect(github.bodiesOf("POST", COMMENTS)[0]?.body).toContain("| `/ownership map` | anyone |");
  });
});
