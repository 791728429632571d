import type { PullRequestChanges } from "../core/sources.js";
import { parseDiffLines, parseNameStatus } from "./diff.js";
import { git } from "./git.js";
import { LocalSnapshot } from "./snapshot.js";

/**
 * What a pull request from `headRef` into `baseRef` changes in the checkout at `dir`:
 * files as GitHub lists them (three-dot diff from the merge base, renames detected),
 * each with the new-side lines its hunks show.
 */
export async function localPullRequestChanges(
  dir: string,
  repo: string,
  baseRef: string,
  headRef: string,
): Promise<PullRequestChanges> {
  const base = await LocalSnapshot.open(dir, repo, baseRef);
  const head = await LocalSnapshot.open(base.dir, repo, headRef);
  const range = `${base.ref}...${head.ref}`;
  const [nameStatus, patch] = await Promise.all([
    git(base.dir, ["diff", "--name-status", "-z", "-M", "--no-ext-diff", range]),
    git(base.dir, ["diff", "-U0", "-M", "--no-color", "--no-ext-diff", "--no-textconv", range]),
  ]);
  const diffLines = parseDiffLines(patch.toString("utf8"));
  const files = parseNameStatus(nameStatus.toString("utf8")).map((file) =>
    file.status === "removed" ? file : { ...file, diffLines: diffLines.get(file.path) ?? new Set<number>() },
  );
  return { base, head, files };
}
