// A pull request's changed files, as GitHub lists them, with the lines each diff shows.
import type { ChangedFile, ChangedFileStatus, PullRequestChanges } from "../core/sources.js";
import type { Octokit } from "./read-api.js";
import { GitHubReader } from "./snapshot.js";

/** GitHub lists at most this many files of a pull request. */
export const PULL_REQUEST_FILE_LIMIT = 3000;

export interface PullRequestRef {
  owner: string;
  repo: string;
  pullNumber: number;
  baseSha: string;
  headSha: string;
}

/** Changed files and the base and head snapshots of a pull request. */
export async function loadPullRequestChanges(
  octokit: Octokit,
  pull: PullRequestRef,
  reader: GitHubReader,
): Promise<PullRequestChanges> {
  const files: ChangedFile[] = [];
  const pages = octokit.paginate.iterator("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.pullNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    for (const file of page.data) files.push(changedFileOf(file));
  }
  const fullName = `${pull.owner}/${pull.repo}`;
  return {
    base: reader.snapshotAt(fullName, pull.baseSha),
    head: reader.snapshotAt(fullName, pull.headSha),
    files,
    ...(files.length >= PULL_REQUEST_FILE_LIMIT ? { truncatedAt: PULL_REQUEST_FILE_LIMIT } : {}),
  };
}

interface ListedFile {
  filename: string;
  status: string;
  previous_filename?: string;
  patch?: string;
}

function changedFileOf(file: ListedFile): ChangedFile {
  const changed: ChangedFile = { path: file.filename, status: statusOf(file.status) };
  if (file.previous_filename !== undefined) changed.previousPath = file.previous_filename;
  if (file.patch !== undefined) changed.diffLines = diffLinesOf(file.patch);
  return changed;
}

function statusOf(status: string): ChangedFileStatus {
  switch (status) {
    case "added":
    case "removed":
    case "renamed":
      return status;
    default:
      // `modified`, `changed` (mode only) and `copied` all leave a file that exists on both sides.
      return "modified";
  }
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** New-side numbers of the added and context lines of a unified diff: where review comments may go. */
export function diffLinesOf(patch: string): Set<number> {
  const lines = new Set<number>();
  let next: number | undefined;
  for (const line of patch.split("\n")) {
    const header = HUNK_HEADER.exec(line);
    if (header) {
      next = Number(header[1]);
      continue;
    }
    if (next === undefined) continue;
    if (line.startsWith("+") || line.startsWith(" ")) {
      lines.add(next);
      next += 1;
    }
    // `-` lines exist only on the old side; `\ No newline at end of file` is on neither.
  }
  return lines;
}
