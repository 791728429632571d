// Running git in a local checkout: no shell, output as bytes, errors that name the folder.
import { execFile, spawn } from "node:child_process";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";

/** Large enough for `ls-tree -r` of a monorepo and the diff of a big pull request. */
const MAX_OUTPUT = 512 * 1024 * 1024;

/** Settings that would change output formats under a user's global configuration. */
const STABLE_OUTPUT = ["-c", "core.quotePath=false", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false"];

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr = "",
  ) {
    super(message);
    this.name = "GitError";
  }
}

/** Runs `git <args>` in `dir` and returns standard output as bytes; `env` adds to the environment. */
export function git(dir: string, args: string[], env: Record<string, string> = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [...STABLE_OUTPUT, ...args],
      {
        cwd: dir,
        encoding: "buffer",
        maxBuffer: MAX_OUTPUT,
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", ...env },
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.toString("utf8").trim() || error.message;
          reject(new GitError(`git ${args[0] ?? ""} failed in ${dir}: ${detail}`, detail));
        } else resolve(stdout);
      },
    );
  });
}

/** Runs `git <args>` in `dir` with `input` on standard input (for `cat-file --batch`). */
export function gitWithInput(dir: string, args: string[], input: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...STABLE_OUTPUT, ...args], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => reject(new GitError(`git ${args[0] ?? ""} could not start in ${dir}: ${error.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else {
        const detail = Buffer.concat(err).toString("utf8").trim();
        reject(new GitError(`git ${args[0] ?? ""} failed in ${dir} (exit ${code}): ${detail}`, detail));
      }
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

/**
 * Checks that `dir` is the top folder of a git checkout (not merely inside one) and
 * returns its real path.
 */
export async function openCheckout(dir: string): Promise<string> {
  const resolved = path.resolve(dir);
  const isFolder = await stat(resolved).then(
    (entry) => entry.isDirectory(),
    () => {
      throw new Error(`no checkout at ${resolved}: the folder does not exist`);
    },
  );
  if (!isFolder) throw new Error(`no checkout at ${resolved}: it is a file, not a folder`);
  const real = await realpath(resolved);
  let topLevel: string;
  try {
    topLevel = (await git(real, ["rev-parse", "--show-toplevel"])).toString("utf8").trim();
  } catch {
    throw new Error(`${resolved} is not a git repository`);
  }
  if (path.resolve(topLevel) !== real) {
    throw new Error(`${resolved} is not a git repository (it is a folder inside the repository at ${topLevel})`);
  }
  return real;
}

/** The commit `ref` names in the checkout at `dir`. */
export async function resolveCommit(dir: string, ref: string): Promise<string> {
  if (ref.startsWith("-")) throw new Error(`ref "${ref}" not found in ${dir}`);
  try {
    return (await git(dir, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])).toString("utf8").trim();
  } catch {
    throw new Error(`ref "${ref}" not found in ${dir}`);
  }
}
