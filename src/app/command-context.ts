// What every `/ownership` command shares: who asked where, replies and reactions, the
// pull request's head, the configuration, and an analysis of the head like a review run's.
import type { Context } from "probot";
import { serviceByRepo } from "../core/ownership.js";
import type { GuardConfig, ServiceConfig } from "../core/config.js";
import { reactTo, type CommandReaction } from "../github/reactions.js";
import type { ReviewOutcome } from "../pipeline/types.js";
import type { Acknowledgement } from "../core/findings.js";
import { failedReply, noConfigurationReply, notAServiceReply } from "../commands/replies.js";
import { loadGuardConfig } from "./config.js";
import type { PullRequestCoordinates, RunSources } from "./deps.js";
import { failureReason } from "./failure.js";
import { pullRequestKey, type Guard } from "./guard.js";

export interface CommandRequest {
  context: Context;
  guard: Guard;
  owner: string;
  repo: string;
  pullNumber: number;
  commentId: number;
  /** Login of the person who wrote the command. */
  user: string;
}

export async function reply(request: CommandRequest, body: string): Promise<void> {
  await request.context.octokit.rest.issues.createComment({
    owner: request.owner,
    repo: request.repo,
    issue_number: request.pullNumber,
    body,
  });
}

export async function react(request: CommandRequest, content: CommandReaction): Promise<void> {
  await reactTo(request.context.octokit, { owner: request.owner, repo: request.repo, id: request.commentId }, content);
}

/** Replies and reacts `confused`: the command was refused or could not be read. */
export async function refuse(request: CommandRequest, body: string): Promise<void> {
  await reply(request, body);
  await react(request, "confused");
}

/** The webhook of a comment names the pull request but not its commits: ask for them. */
export async function pullRequestCoordinates(request: CommandRequest): Promise<PullRequestCoordinates> {
  const { data } = await request.context.octokit.rest.pulls.get({ owner: request.owner, repo: request.repo, pull_number: request.pullNumber });
  return { owner: request.owner, repo: request.repo, pullNumber: request.pullNumber, baseSha: data.base.sha, headSha: data.head.sha };
}

export interface ServiceSetting {
  config: GuardConfig;
  service: ServiceConfig;
}

/** The configuration and the reviewed service, or undefined after replying why there is none. */
export async function serviceSetting(request: CommandRequest): Promise<ServiceSetting | undefined> {
  const lookup = await loadGuardConfig(request.context);
  if (lookup.kind !== "found") {
    await refuse(request, noConfigurationReply(request.user));
    return undefined;
  }
  const repo = `${request.owner}/${request.repo}`;
  const service = serviceByRepo(lookup.config, repo);
  if (!service) {
    await refuse(request, notAServiceReply(request.user, repo));
    return undefined;
  }
  return { config: lookup.config, service };
}

export function commandSources(request: CommandRequest, setting: ServiceSetting): RunSources {
  const installationId = (request.context.payload as { installation?: { id: number } }).installation?.id ?? 0;
  return request.guard.deps.sources({ octokit: request.context.octokit, id: installationId }, setting.config);
}

/** The pipeline over the pull request's head, as a review run does it, without posting anything. */
export async function analyseHead(
  request: CommandRequest,
  setting: ServiceSetting,
  pr: PullRequestCoordinates,
  acks: Acknowledgement[],
  sources = commandSources(request, setting),
): Promise<ReviewOutcome> {
  const deps = request.guard.deps;
  return deps.reviewPullRequest({
    config: setting.config,
    service: setting.service,
    changes: await sources.changes(pr),
    workspace: sources.workspace,
    consumers: sources.consumers,
    acks,
    ...(deps.parseCache ? { cache: deps.parseCache } : {}),
  });
}

/**
 * Runs a command's slow part after the pull request's earlier runs, like a review run; a
 * failure becomes a reply, since the webhook delivery is long answered.
 */
export function inBackground(request: CommandRequest, task: () => Promise<void>): void {
  const log = request.context.log.child({ pullRequest: pullRequestKey(request.owner, request.repo, request.pullNumber), comment: request.commentId });
  const failed = async (error: unknown) => {
    log.error({ err: error }, "ownership command failed");
    await refuse(request, failedReply(request.user, failureReason(error))).catch((replyError: unknown) =>
      log.error({ err: replyError }, "could not reply that the command failed"),
    );
  };
  request.guard.work.enqueue(
    pullRequestKey(request.owner, request.repo, request.pullNumber),
    () => task().catch(failed),
    (error) => log.error({ err: error }, "ownership command escaped its error handling"),
  );
}
