import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliver, expectEveryMockUsed, fakePipeline, fixture, freshGitHub, nockConfig, outcome, REPO_PATH, startApp, type GitHubLog } from "./harness.js";
import { changedFile, finding } from "./helpers.js";

const CHECKS = `${REPO_PATH}/check-runs`;
const REVIEWS = `${REPO_PATH}/pulls/12/reviews`;
const COMMENTS = `${REPO_PATH}/issues/12/comments`;
const TIMELINE = `${REPO_PATH}/issues/12/timeline`;
const REVIEWERS = `${REPO_PATH}/pulls/12/requested_reviewers`;

const config = (extra = "") => `default_owner: hub
${extra}services:
  hub:
    repo: r10score/r10-hub
    team: r10score/backend
    code: ["**/*.py"]
  notifications:
    repo: r10score/r10-notifications
    team: r10score/notifications
    migrations:
      - { path: "migrations/*.sql", format: sql }
    code: ["**/*.go"]
  odds:
    repo: r10score/r10-odds
    team: r10score/odds
    code: ["**/*.go"]
  legacy:
    repo: r10score/r10-legacy
    team: elsewhere/legacy
    code: ["**/*.go"]
  reports:
    repo: r10score/r10-reports
    code: ["**/*.go"]
`;

const files = [changedFile("migrations/0002_drop_token.sql", [1, 2, 3, 4, 5])];
// Consent needed from hub and odds (teams of this organisation), legacy (a team elsewhere) and reports (no team).
const blocking = finding({ needs: ["hub", "odds", "legacy", "reports"], fingerprint: "fp-drop" });
const warningOnly = finding({ severity: "warning", needs: ["hub"], fingerprint: "fp-warn" });

async function review(findings = [blocking], overrides = {}): Promise<void> {
  const { probot, guard } = await startApp(fakePipeline(() => outcome(findings, overrides), files).deps);
  await deliver(probot, "pull_request", fixture("pull_request.opened"));
  await guard.idle();
}

describe("rolling out", () => {
  let github: GitHubLog;
  beforeEach(() => {
    github = freshGitHub();
  });
  afterEach(expectEveryMockUsed);

  function answerRun(checkId: number): void {
    github
      .answer("POST", CHECKS, 201, { id: checkId })
      .answer("GET", REVIEWS, 200, [])
      .answer("GET", COMMENTS, 200, [])
      .answer("POST", COMMENTS, 201, { id: 900 })
      .answer("PATCH", `${CHECKS}/${checkId}`, 200, { id: checkId });
  }

  it("asks the teams whose consent a blocking finding needs to review, except those asked before", async () => {
    nockConfig(config());
    answerRun(80);
    github
      .answer("POST", REVIEWS, 200, { id: 500 })
      .answer("GET", TIMELINE, 200, [
        { event: "review_requested", requested_team: { slug: "odds" } },
        { event: "commented" },
        { event: "review_requested", requested_reviewer: { login: "olga" } },
      ])
      .answer("POST", REVIEWERS, 201, {});
    await review();
    // odds was asked before (the timeline remembers, even after its review or a removal); legacy's team is of another organisation.
    expect(github.bodiesOf("POST", REVIEWERS)).toEqual([{ team_reviewers: ["backend"] }]);
  });

  it("asks nobody again once every team was asked", async () => {
    nockConfig(config());
    answerRun(81);
    github
      .answer("POST", REVIEWS, 200, { id: 500 })
      .answer("GET", TIMELINE, 200, [
        { event: "review_requested", requested_team: { slug: "backend" } },
        { event: "review_requested", requested_team: { slug: "odds" } },
      ]);
    await review();
    expect(github.writes()).not.toContain(`POST ${REVIEWERS}`);
  });

  it("asks nobody when nothing blocks", async () => {
    nockConfig(config());
    answerRun(82);
    await review([warningOnly]);
    expect(github.requests.some((request) => request.path === TIMELINE)).toBe(false);
  });

  it("a failed request for review leaves the check as the analysis concluded", async () => {
    nockConfig(config());
    answerRun(83);
    github
      .answer("POST", REVIEWS, 200, { id: 500 })
      .answer("GET", TIMELINE, 200, [])
      .answer("POST", REVIEWERS, 422, { message: "Reviews may only be requested from collaborators." });
    await review();
    expect(github.bodiesOf("PATCH", `${CHECKS}/83`)[0]).toMatchObject({ conclusion: "failure" });
  });

  it("in advisory mode: the check is neutral and says advisory, no changes are requested and no team is asked", async () => {
    nockConfig(config("mode: advisory\n"));
    answerRun(84);
    await review([blocking], { conclusion: "neutral", advisory: true });
    expect([...github.writes()].sort()).toEqual([`PATCH ${CHECKS}/84`, `POST ${CHECKS}`, `POST ${COMMENTS}`]);
    const [completed] = github.bodiesOf("PATCH", `${CHECKS}/84`);
    expect(completed).toMatchObject({ conclusion: "neutral", output: { title: "Advisory: 1 finding would block" } });
    expect(String(github.bodiesOf("POST", COMMENTS)[0]?.body)).toContain("**Advisory**: would block, but `mode: advisory` fails nothing");
  });
});
