// Reading `git diff` output: which files a change touches, and which new-side lines
// its hunks show (review comments can only be placed on those).
import type { ChangedFile, ChangedFileStatus } from "../core/sources.js";

const STATUS: Record<string, ChangedFileStatus> = {
  A: "added",
  C: "added",
  D: "removed",
  M: "modified",
  T: "modified",
  R: "renamed",
};

/** Parses `git diff --name-status -z`: `M\0path\0`, or `R087\0old\0new\0` for renames and copies. */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split("\0");
  const files: ChangedFile[] = [];
  let index = 0;
  while (index < fields.length) {
    const code = fields[index++] ?? "";
    if (code === "") continue;
    const letter = code.charAt(0);
    const status = STATUS[letter] ?? "modified";
    if (letter === "R" || letter === "C") {
      const previousPath = fields[index++] ?? "";
      const path = fields[index++] ?? "";
      files.push(letter === "R" ? { path, status, previousPath } : { path, status });
    } else {
      files.push({ path: fields[index++] ?? "", status });
    }
  }
  return files;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/** Parses a unified diff (any context size) into new-side line numbers per new path. */
export function parseDiffLines(patch: string): Map<string, Set<number>> {
  const lines = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  let inHeader = false;
  for (const line of patch.split("\n")) {
    if (line.startsWith("diff --git ")) {
      inHeader = true;
      current = undefined;
    } else if (inHeader && line.startsWith("+++ ")) {
      const target = unquotePath(line.slice(4));
      current = target === "/dev/null" ? undefined : new Set<number>();
      if (current) lines.set(target.replace(/^b\//, ""), current);
    } else if (line.startsWith("@@")) {
      inHeader = false;
      const match = HUNK.exec(line);
      if (!match || !current) continue;
      const start = Number(match[1]);
      const count = match[2] === undefined ? 1 : Number(match[2]);
      for (let number = start; number < start + count; number++) current.add(number);
    }
  }
  return lines;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };

/** git quotes paths with control characters, quotes or backslashes C-style: `"b/a\tb"`, octal for raw bytes. */
export function unquotePath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  for (let index = 0; index < body.length; index++) {
    const char = body.charAt(index);
    if (char !== "\\") {
      bytes.push(...Buffer.from(char, "utf8"));
      continue;
    }
    const next = body.charAt(index + 1);
    const octal = /^[0-7]{3}/.exec(body.slice(index + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      index += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      index += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
