import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  annotationBatches,
  CHECK_NAME,
  completeCheckRun,
  postCompletedCheckRun,
  startCheckRun,
  type CheckAnnotation,
} from "../../src/github/checks.js";
import { testOctokit } from "../app/helpers.js";

const target = { owner: "r10score", repo: "r10-notifications", headSha: "a".repeat(40) };
const now = new Date("2026-11-29T12:00:00Z");

function annotations(count: number): CheckAnnotation[] {
  return Array.from({ length: count }, (_, index) => ({
    path: "migrations/0002.sql",
    start_line: index + 1,
    end_line: index + 1,
    annotation_level: "failure" as const,
    message: `finding ${index + 1}`,
  }));
}

describe("check runs", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  it("starts the stable-named check in progress on the head SHA", async () => {
    let created: Record<string, unknown> = {};
    nock("https://api.github.com")
      .post("/repos/r10score/r10-notifications/check-runs", (body: Record<string, unknown>) => {
        created = body;
        return true;
      })
      .reply(201, { id: 7 });
    await expect(startCheckRun(testOctokit(), target, now)).resolves.toBe(7);
    expect(created).toMatchObject({ name: CHECK_NAME, head_sha: target.headSha, status: "in_progress", started_at: now.toISOString() });
  });

  it("sends 120 annotations in three requests, the conclusion with the first, the output title on each", async () => {
    const bodies: Record<string, unknown>[] = [];
    nock("https://api.github.com")
      .patch("/repos/r10score/r10-notifications/check-runs/7", (body: Record<string, unknown>) => {
        bodies.push(body);
        return true;
      })
      .times(3)
      .reply(200, { id: 7 });
    const output = { title: "3 blocking findings", summary: "| rule | … |", annotations: annotations(120) };
    await completeCheckRun(testOctokit(), target, 7, { conclusion: "failure", output, completedAt: now });

    expect(bodies.map((body) => (body.output as { annotations: unknown[] }).annotations.length)).toEqual([50, 50, 20]);
    expect(bodies[0]).toMatchObject({ status: "completed", conclusion: "failure", completed_at: now.toISOString() });
    expect(bodies[1]).not.toHaveProperty("conclusion");
    for (const body of bodies) expect(body.output).toMatchObject({ title: output.title, summary: output.summary });
  });

  it("completes a check without annotations in one request", async () => {
    let sent: Record<string, unknown> = {};
    nock("https://api.github.com")
      .patch("/repos/r10score/r10-notifications/check-runs/7", (body: Record<string, unknown>) => {
        sent = body;
        return true;
      })
      .reply(200, { id: 7 });
    await completeCheckRun(testOctokit(), target, 7, { conclusion: "success", output: { title: "ok", summary: "all clear" }, completedAt: now });
    expect(sent.output).toEqual({ title: "ok", summary: "all clear" });
  });

  it("posts a check that needs no analysis already completed", async () => {
    let created: Record<string, unknown> = {};
    nock("https://api.github.com")
      .post("/repos/r10score/r10-notifications/check-runs", (body: Record<string, unknown>) => {
        created = body;
        return true;
      })
      .reply(201, { id: 8 });
    await postCompletedCheckRun(testOctokit(), target, { conclusion: "neutral", output: { title: "t", summary: "s" }, completedAt: now });
    expect(created).toMatchObject({ name: CHECK_NAME, status: "completed", conclusion: "neutral" });
  });

  it("batches by fifty", () => {
    expect(annotationBatches([])).toEqual([]);
    expect(annotationBatches(annotations(50)).map((batch) => batch.length)).toEqual([50]);
    expect(annotationBatches(annotations(51)).map((batch) => batch.length)).toEqual([50, 1]);
  });
});
