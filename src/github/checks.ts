// The `shared-schema` check run: created `in_progress`, completed once, annotations in batches.
import type { Octokit } from "./read-api.js";

/** Stable, so that branch protection can require it. */
export const CHECK_NAME = "shared-schema";

/** GitHub accepts at most 50 annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

export type CheckConclusion = "success" | "failure" | "neutral";

/** The check's "Re-run analysis" button; GitHub sends `check_run.requested_action` with its identifier. */
export const RERUN_ACTION = { label: "Re-run analysis", description: "Analyse this pull request again", identifier: "rerun-analysis" } as const;

export interface CheckTarget {
  owner: string;
  repo: string;
  headSha: string;
}

export async function startCheckRun(octokit: Octokit, target: CheckTarget, startedAt: Date): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    owner: target.owner,
    repo: target.repo,
    name: CHECK_NAME,
    head_sha: target.headSha,
    status: "in_progress",
    started_at: startedAt.toISOString(),
  });
  return data.id;
}

export interface CheckCompletion {
  conclusion: CheckConclusion;
  output: CheckOutput;
  completedAt: Date;
}

/** Completes the check with the first batch of annotations, then adds the rest batch by batch. */
export async function completeCheckRun(
  octokit: Octokit,
  target: CheckTarget,
  checkRunId: number,
  completion: CheckCompletion,
): Promise<void> {
  const [first = [], ...rest] = annotationBatches(completion.output.annotations ?? []);
  await octokit.rest.checks.update({
    owner: target.owner,
    repo: target.repo,
    check_run_id: checkRunId,
    status: "completed",
    conclusion: completion.conclusion,
    completed_at: completion.completedAt.toISOString(),
    output: outputWith(completion.output, first),
    actions: [RERUN_ACTION],
  });
  for (const batch of rest) {
    await octokit.rest.checks.update({
      owner: target.owner,
      repo: target.repo,
      check_run_id: checkRunId,
      output: outputWith(completion.output, batch),
    });
  }
}

/** A check that needs no analysis (no configuration, invalid configuration): created completed. */
export async function postCompletedCheckRun(
  octokit: Octokit,
  target: CheckTarget,
  completion: CheckCompletion,
): Promise<void> {
  await octokit.rest.checks.create({
    owner: target.owner,
    repo: target.repo,
    name: CHECK_NAME,
    head_sha: target.headSha,
    status: "completed",
    conclusion: completion.conclusion,
    completed_at: completion.completedAt.toISOString(),
    output: outputWith(completion.output, []),
  });
}

export function annotationBatches(annotations: CheckAnnotation[]): CheckAnnotation[][] {
  const batches: CheckAnnotation[][] = [];
  for (let start = 0; start < annotations.length; start += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(start, start + ANNOTATIONS_PER_REQUEST));
  }
  return batches;
}

function outputWith(output: CheckOutput, annotations: CheckAnnotation[]) {
  return {
    title: output.title,
    summary: output.summary,
    ...(output.text === undefined ? {} : { text: output.text }),
    ...(annotations.length === 0 ? {} : { annotations }),
  };
}
