// What every front door on GitHub (the app, the Action) must have posted for a blocked pull request.
import { expect } from "vitest";
import type { FakeGitHub } from "./fake-github.js";

/** One `shared-schema` check on the head: `in_progress`, then failed, annotated, naming the consumer's repository. */
export function expectOneBlockedCheck(fake: FakeGitHub, headSha: string, consumerRepo: string): void {
  expect(fake.checkRuns).toHaveLength(1);
  const [check] = fake.checkRuns;
  expect(check).toMatchObject({ name: "shared-schema", head_sha: headSha, conclusion: "failure" });
  expect(check?.history).toEqual(["in_progress", "completed:failure"]);
  expect(check?.annotations.length).toBeGreaterThan(0);
  expect(check?.output.summary).toContain(consumerRepo);
}
