// Shared by the app's tests: an Octokit without retries, findings and changed files.
import { ProbotOctokit } from "probot";
import type { ChangedFile } from "../../src/core/sources.js";
import type { Finding } from "../../src/core/findings.js";

/**
 * Probot merges its own throttle options over a plain defaults object, which would turn the
 * throttle back on (and make every write wait a second): a defaults function has the last word.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export function testOctokit(): ProbotOctokit {
  return new TestOctokit({ auth: "test-token" });
}

export function finding(overrides: Partial<Finding> = {}): Finding {
  const file = overrides.loc?.file ?? "migrations/0002_drop_token.sql";
  const line = overrides.loc?.line ?? 3;
  return {
    rule: "breaking-change",
    severity: "error",
    service: "notifications",
    table: "r10_live_activity_token",
    column: "token",
    loc: { file, line },
    message: "Dropping `r10_live_activity_token.token` breaks hub, which still reads it.",
    consumers: [],
    needs: ["hub"],
    suppressed: false,
    acknowledged: false,
    fingerprint: `breaking-change:${file}:${line}`,
    ...overrides,
  };
}

export function changedFile(path: string, diffLines: number[]): ChangedFile {
  return { path, status: "added", diffLines: new Set(diffLines) };
}
