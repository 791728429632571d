import type { RepositorySnapshot, SourceFile } from "../core/sources.js";
import { git, gitWithInput, openCheckout, resolveCommit } from "./git.js";

/** One repository at one commit of a local checkout; `ref` is the resolved commit SHA. */
export class LocalSnapshot implements RepositorySnapshot {
  private tree: Promise<Map<string, string>> | undefined;

  private constructor(
    readonly repo: string,
    readonly ref: string,
    /** The real path of the checkout. */
    readonly dir: string,
  ) {}

  /** Opens `dir` at `ref` (any name git resolves to a commit); throws when either is missing. */
  static async open(dir: string, repo: string, ref: string): Promise<LocalSnapshot> {
    const checkout = await openCheckout(dir);
    return new LocalSnapshot(repo, await resolveCommit(checkout, ref), checkout);
  }

  async listFiles(): Promise<string[]> {
    return [...(await this.blobs()).keys()];
  }

  async readFiles(paths: string[]): Promise<SourceFile[]> {
    const blobs = await this.blobs();
    const wanted = [...new Set(paths)].flatMap((path) => {
      const sha = blobs.get(path);
      return sha === undefined ? [] : [{ path, sha }];
    });
    if (wanted.length === 0) return [];
    const contents = await readBlobs(this.dir, wanted.map((file) => file.sha));
    return wanted.flatMap(({ path, sha }) => {
      const text = contents.get(sha);
      return text === undefined ? [] : [{ path, text, sha }];
    });
  }

  /** Path → blob SHA of every file at the commit; submodules (commits) are not files. */
  private blobs(): Promise<Map<string, string>> {
    this.tree ??= git(this.dir, ["ls-tree", "-r", "-z", "--full-tree", this.ref]).then(parseLsTree);
    return this.tree;
  }
}

/** Parses `git ls-tree -r -z` records: `<mode> <type> <sha>\t<path>\0`. */
export function parseLsTree(output: Buffer): Map<string, string> {
  const blobs = new Map<string, string>();
  for (const record of output.toString("utf8").split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [, type, sha] = record.slice(0, tab).split(" ");
    if (type === "blob" && sha !== undefined) blobs.set(record.slice(tab + 1), sha);
  }
  return blobs;
}

/** Reads many blobs with one `git cat-file --batch` process. */
async function readBlobs(dir: string, shas: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(shas)];
  const output = await gitWithInput(dir, ["cat-file", "--batch"], unique.map((sha) => `${sha}\n`).join(""));
  return parseCatFileBatch(output);
}

/** Parses `git cat-file --batch` output: `<sha> <type> <size>\n<content>\n`, or `<name> missing\n`. */
export function parseCatFileBatch(output: Buffer): Map<string, string> {
  const contents = new Map<string, string>();
  let offset = 0;
  while (offset < output.length) {
    const headerEnd = output.indexOf(0x0a, offset);
    if (headerEnd < 0) break;
    const [sha, type, size] = output.toString("utf8", offset, headerEnd).split(" ");
    offset = headerEnd + 1;
    if (type === "missing" || sha === undefined || size === undefined) continue;
    const end = offset + Number(size);
    if (type === "blob") contents.set(sha, output.toString("utf8", offset, end));
    offset = end + 1;
  }
  return contents;
}
