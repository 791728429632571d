// The app's GitHub client: Probot's Octokit (retries, rate-limit handling, config), with
// content-creating requests paced per installation to GitHub's documented limits, and
// reads (REST GETs, GraphQL queries) never queued behind them. Probot's throttle would
// put every GraphQL query and write in one queue at one a second, and comments and reviews
// in another at one every three seconds.
import { ProbotOctokit } from "probot";
import { systemClock, type Clock } from "./rate-limit.js";
import { strictJsonResponses } from "./json-responses.js";
import { GITHUB_WRITE_LIMITS, isContentCreating, WritePacers, type WriteLimits } from "./write-pacing.js";

export interface GuardOctokitOptions {
  clock?: Clock;
  writeLimits?: WriteLimits;
}

type OctokitPlugin = Parameters<typeof ProbotOctokit.plugin>[0];
type OctokitOptions = Parameters<OctokitPlugin>[1];

/** Lets every request through at once: the throttle's write queues, which the pacer replaces. */
const UNQUEUED = { key: () => ({ schedule: <T>(_options: unknown, task: () => Promise<T>) => task() }) };

/** The Octokit class to run the app with (Probot's `Octokit` option). */
export function guardOctokit(options: GuardOctokitOptions = {}): typeof ProbotOctokit {
  const pacers = new WritePacers(options.clock ?? systemClock, options.writeLimits ?? GITHUB_WRITE_LIMITS);
  const writePacing: OctokitPlugin = (octokit, octokitOptions) => {
    const installation = installationOf(octokitOptions);
    octokit.hook.wrap("request", async (request, requestOptions) =>
      isContentCreating(requestOptions) ? pacers.forInstallation(installation).run(async () => request(requestOptions)) : request(requestOptions),
    );
    return {};
  };
  return ProbotOctokit.plugin(writePacing, strictJsonResponses).defaults((instanceOptions: OctokitOptions) => {
    const throttle = (instanceOptions as { throttle?: Record<string, unknown> }).throttle;
    return { ...instanceOptions, throttle: { ...throttle, write: UNQUEUED, notifications: UNQUEUED } };
  });
}

/** Probot gives an installation's client its id as the throttle id. */
function installationOf(options: OctokitOptions): string {
  const throttle = (options as { throttle?: { id?: unknown } }).throttle;
  return typeof throttle?.id === "string" ? throttle.id : "app";
}
