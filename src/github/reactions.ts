// A reaction on the comment that carried a command, so its author sees it was received.
import type { Octokit } from "./read-api.js";

export type CommandReaction = "+1" | "confused";

export async function reactTo(
  octokit: Octokit,
  comment: { owner: string; repo: string; id: number },
  content: CommandReaction,
): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ owner: comment.owner, repo: comment.repo, comment_id: comment.id, content });
}
