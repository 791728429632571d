// The Action: the workflow's event and environment, as GitHub Actions sets them, turned into
// `review` in GitHub mode; the summary also goes to the job's step summary.
// https://docs.github.com/en/actions/reference/workflows-and-actions/variables
import { appendFile, readFile } from "node:fs/promises";
import { runCli, type CliOutput } from "../cli/run.js";

/** The pull request a workflow run is about: `pull_request` and `pull_request_target` events carry it. */
export function pullRequestNumberOf(event: unknown): number | undefined {
  const payload = event as { pull_request?: { number?: unknown }; number?: unknown } | null;
  const number = payload?.pull_request?.number ?? payload?.number;
  return typeof number === "number" && Number.isInteger(number) && number > 0 ? number : undefined;
}

async function eventOf(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, "utf8")) as unknown;
}

/** Runs the review of the workflow's pull request; returns the exit status, as the CLI does. */
export async function runAction(env: NodeJS.ProcessEnv, out: CliOutput): Promise<number> {
  const { GITHUB_EVENT_PATH: eventPath, GITHUB_REPOSITORY: repo, GITHUB_EVENT_NAME: eventName } = env;
  if (!eventPath || !repo) {
    out.stderr("shared-schema-guard: GITHUB_EVENT_PATH and GITHUB_REPOSITORY are not set: this runs as a step of a GitHub Actions workflow\n");
    return 2;
  }
  const pullNumber = pullRequestNumberOf(await eventOf(eventPath));
  if (pullNumber === undefined) {
    out.stderr(`shared-schema-guard: the ${eventName ?? "workflow"} event names no pull request: run it on pull_request\n`);
    return 2;
  }
  let summary = "";
  const status = await runCli(
    ["review", "--repo", repo, "--pr", String(pullNumber)],
    {
      stdout: (text) => {
        summary += text;
        out.stdout(text);
      },
      stderr: out.stderr,
    },
    process.cwd(),
    env,
  );
  if (summary && env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${summary}\n`);
  return status;
}
