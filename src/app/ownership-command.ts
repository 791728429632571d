// `issue_comment.created` on a pull request: the `/ownership` commands. Comments on plain
// issues and comments by bots (the app's own replies included) are ignored. Edited comments
// (`issue_comment.edited`) are not handled: a command runs once, when it is posted.
import type { Context } from "probot";
import { parseOwnershipCommand, type OwnershipCommand } from "../commands/parse.js";
import { failedReply, helpReply, malformedReply, recheckRefusedReply } from "../commands/replies.js";
import { canWrite, repositoryRole } from "../github/permissions.js";
import { acknowledge } from "./command-ack.js";
import { pullRequestCoordinates, react, refuse, reply, type CommandRequest } from "./command-context.js";
import { showOwnership } from "./command-show.js";
import { failureReason } from "./failure.js";
import type { Guard } from "./guard.js";
import { startReview } from "./review-run.js";

export async function onIssueCommentCreated(context: Context<"issue_comment.created">, guard: Guard): Promise<void> {
  const { issue, comment, sender } = context.payload;
  if (!issue.pull_request || sender.type === "Bot" || comment.user?.type === "Bot") return;
  const command = parseOwnershipCommand(comment.body);
  if (!command) return;
  const { owner, repo } = context.repo();
  const request: CommandRequest = {
    context: context as unknown as Context,
    guard,
    owner,
    repo,
    pullNumber: issue.number,
    commentId: comment.id,
    user: sender.login,
  };
  try {
    await run(request, command);
  } catch (error) {
    context.log.error({ err: error, comment: comment.id }, "ownership command failed");
    await refuse(request, failedReply(request.user, failureReason(error))).catch((replyError: unknown) =>
      context.log.error({ err: replyError }, "could not reply that the command failed"),
    );
  }
}

async function run(request: CommandRequest, command: OwnershipCommand): Promise<void> {
  switch (command.kind) {
    case "help":
      await reply(request, helpReply());
      await react(request, "+1");
      return;
    case "malformed":
      await refuse(request, malformedReply(request.user, command.line, command.problem));
      return;
    case "recheck":
      await recheck(request);
      return;
    case "overview":
      await showOwnership(request);
      return;
    case "table":
      await showOwnership(request, command.table);
      return;
    case "ack":
      await acknowledge(request, command.table, command.reason);
      return;
  }
}

async function recheck(request: CommandRequest): Promise<void> {
  const role = await repositoryRole(request.context.octokit, { owner: request.owner, repo: request.repo }, request.user);
  if (!canWrite(role)) {
    await refuse(request, recheckRefusedReply(request.user));
    return;
  }
  await react(request, "+1");
  // Asked for after a consumer changed its code, typically: read the other repositories again.
  await startReview(request.context, request.guard, await pullRequestCoordinates(request), { fresh: true });
}
