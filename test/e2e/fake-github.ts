// A local HTTP server that plays the part of GitHub's API for the app, backed by a workspace
// of git checkouts (`DIR/<repo>` for `owner/<repo>`, the organisation's `DIR/.github`).
// It serves what the readers ask for (trees, GraphQL blobs and heads, pull request files,
// code search, raw contents) and keeps what the app posts (checks, reviews, comments) so
// that tests and benchmarks can assert on it. Every repository's default branch is `main`.
import { createHmac } from "node:crypto";
import { readdir } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { git } from "../../src/local/git.js";
import { parseDiffLines, parseNameStatus } from "../../src/local/diff.js";

export const DEFAULT_BRANCH = "main";
export const BOT = { login: "shared-schema-guard[bot]", id: 9_000_001, type: "Bot" };
const HUMAN = { login: "maria-dev", id: 51_234, type: "User" };
const PER_PAGE_DEFAULT = 30;

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  /** The request's `authorization` header, as the client sent it. */
  authorization?: string;
  /** Set when the fake has no such endpoint, or failed answering. */
  unserved?: string;
}

export interface CheckRunRecord {
  id: number;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string };
  annotations: Record<string, unknown>[];
  /** Every status the check went through, in order. */
  history: string[];
}

export interface ReviewRecord {
  id: number;
  repo: string;
  pullNumber: number;
  commit_id: string;
  state: string;
  body: string;
  comments: { path: string; line: number; body: string }[];
  user: typeof BOT;
}

export interface CommentRecord {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  user: { login: string; id: number; type: string };
  edits: number;
}

export interface ReactionRecord {
  commentId: number;
  content: string;
}

export interface PullRequestRecord {
  repo: string;
  number: number;
  baseRef: string;
  headRef: string;
  baseSha: string;
  headSha: string;
}

type Json = Record<string, unknown> | unknown[];

interface Reply {
  status: number;
  body?: Json | string;
  headers?: Record<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Not a GitHub answer but a gap of the fake. */
    readonly unserved = false,
  ) {
    super(message);
  }
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  readonly reviews: ReviewRecord[] = [];
  readonly comments: CommentRecord[] = [];
  readonly pullRequests: PullRequestRecord[] = [];
  readonly reactions: ReactionRecord[] = [];
  /** Active members by team, `org/team-slug`. */
  readonly teamMembers = new Map<string, Set<string>>();
  /** Role on every repository by login; anyone else is no collaborator. */
  readonly roles = new Map<string, string>();
  private nextId = 1000;

  private readonly server: Server = createServer((request, response) => {
    void this.handle(request, response);
  });

  private constructor(
    readonly owner: string,
    /** Checkout folder by repository name (`r10-hub`, `.github`). */
    private readonly checkouts: Map<string, string>,
    /** Added to every answer, as the network and GitHub's own work would (benchmarks). */
    private readonly latencyMs: number,
  ) {}

  /** Serves every checkout in `workspaceDir` as `owner/<folder>`, on a random local port. */
  static async start(workspaceDir: string, owner: string, options: { latencyMs?: number } = {}): Promise<FakeGitHub> {
    const entries = await readdir(workspaceDir, { withFileTypes: true });
    const checkouts = new Map(entries.filter((entry) => entry.isDirectory()).map((entry) => [entry.name, path.join(workspaceDir, entry.name)]));
    const fake = new FakeGitHub(owner, checkouts, options.latencyMs ?? 0);
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  /** The API's base URL, e.g. `http://127.0.0.1:43123`. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  /** Opens pull request `number` of `repo` (folder name) from `headRef` into `baseRef`. */
  async openPullRequest(repo: string, number: number, headRef: string, baseRef = DEFAULT_BRANCH): Promise<PullRequestRecord> {
    const dir = this.checkout(repo);
    const record = {
      repo,
      number,
      baseRef,
      headRef,
      baseSha: await revParse(dir, baseRef),
      headSha: await revParse(dir, headRef),
    };
    this.pullRequests.push(record);
    return record;
  }

  /** After a push to the head branch: the pull request's head SHA follows it. */
  async refreshPullRequest(pr: PullRequestRecord): Promise<PullRequestRecord> {
    pr.headSha = await revParse(this.checkout(pr.repo), pr.headRef);
    return pr;
  }

  /** Requests the fake could not answer (no such endpoint, or it failed): a test expects none. */
  unanswered(): RecordedRequest[] {
    return this.requests.filter((request) => request.unserved !== undefined);
  }

  private checkout(repo: string): string {
    const dir = this.checkouts.get(repo);
    if (!dir) throw new HttpError(404, `no repository ${this.owner}/${repo}`);
    return dir;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.url);
    const method = request.method ?? "GET";
    let reply: Reply;
    let unserved: string | undefined;
    try {
      const body = await readJson(request);
      reply = await this.route(method, url, body, request.headers.accept ?? "");
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = (error as Error).message;
      if (status >= 500 || (error instanceof HttpError && error.unserved)) unserved = message;
      reply = { status, body: { message } };
    }
    const { authorization } = request.headers;
    this.requests.push({
      method,
      path: url.pathname,
      status: reply.status,
      ...(authorization ? { authorization } : {}),
      ...(unserved ? { unserved } : {}),
    });
    const headers: Record<string, string> = { ...reply.headers };
    let payload = "";
    if (typeof reply.body === "string") {
      headers["content-type"] ??= "text/plain; charset=utf-8";
      payload = reply.body;
    } else if (reply.body !== undefined) {
      headers["content-type"] = "application/json; charset=utf-8";
      payload = JSON.stringify(reply.body);
    }
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    response.writeHead(reply.status, headers);
    response.end(payload);
  }

  private async route(method: string, url: URL, body: Record<string, unknown>, accept: string): Promise<Reply> {
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const query = url.searchParams;
    if (method === "POST" && parts[0] === "app" && parts[1] === "installations" && parts[3] === "access_tokens") {
      return { status: 201, body: { token: `ghs_fake_${parts[2]}`, expires_at: "2099-01-01T00:00:00Z", permissions: {} } };
    }
    if (method === "POST" && parts[0] === "graphql") return { status: 200, body: await this.graphql(String(body.query ?? "")) };
    if (method === "GET" && parts[0] === "search" && parts[1] === "code") return this.searchCode(query);
    if (method === "GET" && parts.length === 1 && parts[0] === "app") return { status: 200, body: { id: 123_456, slug: "shared-schema-guard" } };
    if (method === "GET" && parts[0] === "orgs" && parts[2] === "teams" && parts[4] === "memberships") {
      return this.teamMembership(`${parts[1]}/${parts[3]}`, parts[5] ?? "");
    }
    if (parts[0] !== "repos" || parts[1] !== this.owner || parts[2] === undefined) {
      throw new HttpError(404, `the fake GitHub does not serve ${method} ${url.pathname}`, true);
    }
    const repo = parts[2];
    const rest = parts.slice(3);
    if (method === "GET" && rest[0] === "contents") return this.rawContents(repo, rest.slice(1).join("/"), query.get("ref") ?? DEFAULT_BRANCH);
    const route = `${method} ${rest.map((part, index) => (ROUTE_PARAMS[rest[index - 1] ?? ""] ? ":" : part)).join("/")}`;
    switch (route) {
      case "GET commits/:":
        return this.commit(repo, rest[1] ?? "", accept);
      case "GET commits/:/pulls":
        return this.pullsOfCommit(repo, rest[1] ?? "");
      case "GET git/trees/:":
        return this.tree(repo, rest[2] ?? "");
      case "GET git/blobs/:":
        return this.blob(repo, rest[2] ?? "");
      case "GET pulls/:":
        return { status: 200, body: this.pullRequestJson(this.pullRequest(repo, Number(rest[1]))) };
      case "GET pulls/:/files":
        return paginate(await this.pullRequestFiles(this.pullRequest(repo, Number(rest[1]))), url);
      case "GET pulls/:/reviews":
        return paginate(this.reviewsOf(repo, Number(rest[1])), url);
      case "POST pulls/:/reviews":
        return this.createReview(repo, Number(rest[1]), body);
      case "PUT pulls/:/reviews/:/dismissals":
        return this.dismissReview(repo, Number(rest[3]));
      case "GET issues/:/comments":
        return paginate(this.commentsOf(repo, Number(rest[1])), url);
      case "POST issues/:/comments":
        return this.createComment(repo, Number(rest[1]), String(body.body ?? ""));
      case "PATCH issues/:/:": // issues/comments/{id}
        return this.editComment(Number(rest[2]), String(body.body ?? ""));
      case "POST issues/:/:/reactions": // issues/comments/{id}/reactions
        return this.react(Number(rest[2]), String(body.content ?? ""));
      case "GET collaborators/:/permission":
        return this.permission(rest[1] ?? "");
      case "POST check-runs":
        return this.createCheckRun(repo, body);
      case "PATCH check-runs/:":
        return this.updateCheckRun(Number(rest[1]), body);
      default:
        throw new HttpError(404, `the fake GitHub does not serve ${method} ${url.pathname}`, true);
    }
  }

  /** Adds a comment by a person, as the conversation of a pull request would have. */
  addHumanComment(repo: string, issueNumber: number, body: string, login = HUMAN.login): CommentRecord {
    const user = login === HUMAN.login ? HUMAN : { login, id: 60_000 + this.nextId, type: "User" };
    const comment = { id: this.nextId++, repo, issueNumber, body, user, edits: 0 };
    this.comments.push(comment);
    return comment;
  }

  // Repository contents

  private async rawContents(repo: string, file: string, ref: string): Promise<Reply> {
    const dir = this.checkout(repo);
    let text: Buffer;
    try {
      text = await git(dir, ["show", `${ref}:${file}`]);
    } catch {
      throw new HttpError(404, "Not Found");
    }
    return { status: 200, body: text.toString("utf8"), headers: { "content-type": "text/plain; charset=utf-8" } };
  }

  private async commit(repo: string, ref: string, accept: string): Promise<Reply> {
    const sha = await revParse(this.checkout(repo), ref);
    if (accept.includes("application/vnd.github.sha")) return { status: 200, body: sha };
    return { status: 200, body: { sha } };
  }

  private async tree(repo: string, treeish: string): Promise<Reply> {
    const dir = this.checkout(repo);
    const output = await git(dir, ["ls-tree", "-r", "-l", "-z", treeish]).catch(() => {
      throw new HttpError(404, "Not Found");
    });
    const tree = output
      .toString("utf8")
      .split("\0")
      .filter(Boolean)
      .map((record) => {
        const [meta = "", file = ""] = record.split("\t");
        const [mode, type, sha, size] = meta.split(/\s+/);
        return { path: file, mode, type, sha, size: Number(size) };
      });
    return { status: 200, body: { sha: treeish, truncated: false, tree } };
  }

  private async blob(repo: string, sha: string): Promise<Reply> {
    const content = await git(this.checkout(repo), ["cat-file", "blob", sha]).catch(() => {
      throw new HttpError(404, "Not Found");
    });
    return { status: 200, body: { sha, size: content.length, encoding: "base64", content: content.toString("base64") } };
  }

  /** The two query shapes the readers send: default-branch heads, and blobs by object id. */
  private async graphql(query: string): Promise<Json> {
    const data: Record<string, unknown> = {};
    const repositories = [...query.matchAll(/(\w+): repository\(owner: ("(?:[^"\\]|\\.)*"), name: ("(?:[^"\\]|\\.)*")\)/g)];
    for (const [index, match] of repositories.entries()) {
      const [, alias = "", , nameLiteral = '""'] = match;
      const end = repositories[index + 1]?.index ?? query.length;
      const selection = query.slice(match.index, end);
      const dir = this.checkouts.get(JSON.parse(nameLiteral) as string);
      if (!dir) {
        data[alias] = null;
        continue;
      }
      if (selection.includes("defaultBranchRef")) {
        data[alias] = { defaultBranchRef: { name: DEFAULT_BRANCH, target: { oid: await revParse(dir, DEFAULT_BRANCH) } } };
        continue;
      }
      const objects: Record<string, unknown> = {};
      for (const [, objectAlias = "", oid = ""] of selection.matchAll(/(\w+): object\(oid: "([0-9a-f]+)"\)/g)) {
        const content = await git(dir, ["cat-file", "blob", oid]).catch(() => undefined);
        objects[objectAlias] = content
          ? content.includes(0)
            ? { text: null, isBinary: true, isTruncated: false }
            : { text: content.toString("utf8"), isBinary: false, isTruncated: false }
          : null;
      }
      data[alias] = objects;
    }
    return { data };
  }

  /** `"a" OR "b" repo:o/r ...`: files on the default branch that mention any term. */
  private async searchCode(query: URLSearchParams): Promise<Reply> {
    const q = query.get("q") ?? "";
    const terms = [...q.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? "");
    const repos = [...q.matchAll(/repo:([^\s]+)/g)].map((match) => (match[1] ?? "").split("/")[1] ?? "");
    const items: Record<string, unknown>[] = [];
    for (const repo of repos) {
      const dir = this.checkouts.get(repo);
      if (!dir || terms.length === 0) continue;
      const commit = await revParse(dir, DEFAULT_BRANCH);
      const args = ["grep", "-l", "-i", "-F", ...terms.flatMap((term) => ["-e", term]), DEFAULT_BRANCH, "--"];
      const found = await git(dir, args).catch(() => Buffer.from(""));
      for (const line of found.toString("utf8").split("\n").filter(Boolean)) {
        const file = line.slice(DEFAULT_BRANCH.length + 1);
        const sha = await revParse(dir, `${DEFAULT_BRANCH}:${file}`);
        items.push({
          name: path.posix.basename(file),
          path: file,
          sha,
          html_url: `${this.url}/${this.owner}/${repo}/blob/${commit}/${file}`,
          repository: { full_name: `${this.owner}/${repo}`, name: repo },
          score: 1,
        });
      }
    }
    const perPage = Number(query.get("per_page") ?? PER_PAGE_DEFAULT);
    const page = Number(query.get("page") ?? 1);
    return {
      status: 200,
      body: { total_count: items.length, incomplete_results: false, items: items.slice((page - 1) * perPage, page * perPage) },
    };
  }

  // Pull requests

  private pullRequest(repo: string, number: number): PullRequestRecord {
    const found = this.pullRequests.find((pr) => pr.repo === repo && pr.number === number);
    if (!found) throw new HttpError(404, "Not Found");
    return found;
  }

  private pullRequestJson(pr: PullRequestRecord): Record<string, unknown> {
    const repository = repositoryPayload(this.owner, pr.repo, this.url);
    return {
      number: pr.number,
      state: "open",
      head: { ref: pr.headRef, sha: pr.headSha, repo: repository },
      base: { ref: pr.baseRef, sha: pr.baseSha, repo: repository },
    };
  }

  private pullsOfCommit(repo: string, sha: string): Reply {
    const open = this.pullRequests.filter((pr) => pr.repo === repo && pr.headSha === sha);
    return { status: 200, body: open.map((pr) => this.pullRequestJson(pr)) };
  }

  /** As GitHub computes them: against the merge base, with each file's patch. */
  private async pullRequestFiles(pr: PullRequestRecord): Promise<Record<string, unknown>[]> {
    const dir = this.checkout(pr.repo);
    const range = `${pr.baseSha}...${pr.headSha}`;
    const names = parseNameStatus((await git(dir, ["diff", "-M", "--name-status", "-z", range])).toString("utf8"));
    const files: Record<string, unknown>[] = [];
    for (const file of names) {
      const paths = file.previousPath ? [file.previousPath, file.path] : [file.path];
      const patch = (await git(dir, ["diff", "-M", range, "--", ...paths])).toString("utf8");
      const hunks = patch.indexOf("\n@@");
      files.push({
        filename: file.path,
        status: file.status,
        ...(file.previousPath ? { previous_filename: file.previousPath } : {}),
        ...(hunks >= 0 ? { patch: patch.slice(hunks + 1).replace(/\n$/, "") } : {}),
      });
    }
    return files;
  }

  private async diffLines(pr: PullRequestRecord): Promise<Map<string, Set<number>>> {
    const patch = await git(this.checkout(pr.repo), ["diff", "-M", `${pr.baseSha}...${pr.headSha}`]);
    return parseDiffLines(patch.toString("utf8"));
  }

  // Reviews

  private reviewsOf(repo: string, pullNumber: number): Record<string, unknown>[] {
    return this.reviews
      .filter((review) => review.repo === repo && review.pullNumber === pullNumber)
      .map(({ id, commit_id, state, body, user }) => ({ id, commit_id, state, body, user }));
  }

  private async createReview(repo: string, pullNumber: number, body: Record<string, unknown>): Promise<Reply> {
    const pr = this.pullRequest(repo, pullNumber);
    const comments = (body.comments ?? []) as ReviewRecord["comments"];
    const diff = await this.diffLines(pr);
    for (const comment of comments) {
      // GitHub refuses the whole review when one comment is off the diff.
      if (!diff.get(comment.path)?.has(comment.line)) {
        throw new HttpError(422, `Pull request review thread line must be part of the diff (${comment.path}:${comment.line})`);
      }
    }
    const state = { REQUEST_CHANGES: "CHANGES_REQUESTED", APPROVE: "APPROVED", COMMENT: "COMMENTED" }[String(body.event)] ?? "PENDING";
    const review: ReviewRecord = {
      id: this.nextId++,
      repo,
      pullNumber,
      commit_id: String(body.commit_id ?? pr.headSha),
      state,
      body: String(body.body ?? ""),
      comments,
      user: BOT,
    };
    this.reviews.push(review);
    return { status: 200, body: { id: review.id, state, body: review.body, commit_id: review.commit_id, user: BOT } };
  }

  private dismissReview(repo: string, reviewId: number): Reply {
    const review = this.reviews.find((candidate) => candidate.repo === repo && candidate.id === reviewId);
    if (!review) throw new HttpError(404, "Not Found");
    review.state = "DISMISSED";
    return { status: 200, body: { id: review.id, state: review.state } };
  }

  // Comments

  private commentsOf(repo: string, issueNumber: number): Record<string, unknown>[] {
    return this.comments
      .filter((comment) => comment.repo === repo && comment.issueNumber === issueNumber)
      .map(({ id, body, user }) => ({ id, body, user }));
  }

  private createComment(repo: string, issueNumber: number, body: string): Reply {
    const comment: CommentRecord = { id: this.nextId++, repo, issueNumber, body, user: BOT, edits: 0 };
    this.comments.push(comment);
    return { status: 201, body: { id: comment.id, body, user: BOT } };
  }

  private editComment(commentId: number, body: string): Reply {
    const comment = this.comments.find((candidate) => candidate.id === commentId);
    if (!comment) throw new HttpError(404, "Not Found");
    comment.body = body;
    comment.edits += 1;
    return { status: 200, body: { id: comment.id, body, user: comment.user } };
  }

  private react(commentId: number, content: string): Reply {
    if (!this.comments.some((comment) => comment.id === commentId)) throw new HttpError(404, "Not Found");
    this.reactions.push({ commentId, content });
    return { status: 201, body: { id: this.nextId++, content, user: BOT } };
  }

  // People

  private teamMembership(team: string, login: string): Reply {
    if (!this.teamMembers.get(team)?.has(login)) throw new HttpError(404, "Not Found");
    return { status: 200, body: { state: "active", role: "member" } };
  }

  private permission(login: string): Reply {
    const role = this.roles.get(login) ?? "none";
    const permission = role === "maintain" ? "write" : role === "triage" ? "read" : role;
    return { status: 200, body: { permission, role_name: role, user: { login } } };
  }

  // Check runs

  private createCheckRun(repo: string, body: Record<string, unknown>): Reply {
    const check: CheckRunRecord = {
      id: this.nextId++,
      repo,
      name: String(body.name),
      head_sha: String(body.head_sha),
      status: String(body.status ?? "queued"),
      conclusion: null,
      output: {},
      annotations: [],
      history: [],
    };
    this.checkRuns.push(check);
    return this.updateCheckRun(check.id, body, 201);
  }

  private updateCheckRun(id: number, body: Record<string, unknown>, status = 200): Reply {
    const check = this.checkRuns.find((candidate) => candidate.id === id);
    if (!check) throw new HttpError(404, "Not Found");
    if (typeof body.status === "string") check.status = body.status;
    if (typeof body.conclusion === "string") {
      check.conclusion = body.conclusion;
      check.status = "completed";
    }
    const output = body.output as (CheckRunRecord["output"] & { annotations?: Record<string, unknown>[] }) | undefined;
    if (output) {
      const { annotations = [], ...text } = output;
      if (annotations.length > 50) throw new HttpError(422, "Only 50 annotations are allowed per request");
      check.output = { ...check.output, ...text };
      check.annotations.push(...annotations);
    }
    check.history.push(check.conclusion ? `${check.status}:${check.conclusion}` : check.status);
    return { status, body: { id: check.id, name: check.name, head_sha: check.head_sha, status: check.status } };
  }
}

/** Path segments after which the next segment is a parameter: `pulls/:n`, `check-runs/:id`, ... */
const ROUTE_PARAMS: Record<string, true> = {
  commits: true,
  trees: true,
  blobs: true,
  pulls: true,
  reviews: true,
  issues: true,
  comments: true,
  "check-runs": true,
  collaborators: true,
};

async function revParse(dir: string, ref: string): Promise<string> {
  try {
    return (await git(dir, ["rev-parse", "--verify", "--end-of-options", ref])).toString("utf8").trim();
  } catch {
    throw new HttpError(404, `No commit found for ${ref}`);
  }
}

function repositoryId(repo: string): number {
  let hash = 7;
  for (const char of repo) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000;
  return 700_000 + hash;
}

function paginate(items: unknown[], url: URL): Reply {
  const perPage = Number(url.searchParams.get("per_page") ?? PER_PAGE_DEFAULT);
  const page = Number(url.searchParams.get("page") ?? 1);
  const headers: Record<string, string> = {};
  if (page * perPage < items.length) {
    const next = new URL(url);
    next.searchParams.set("page", String(page + 1));
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers };
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new HttpError(400, "Problems parsing JSON");
  }
}

/** The repository part of a webhook payload, as GitHub sends it. */
export function repositoryPayload(owner: string, repo: string, baseUrl: string): Record<string, unknown> {
  return {
    id: repositoryId(repo),
    name: repo,
    full_name: `${owner}/${repo}`,
    private: true,
    owner: { login: owner, id: 90_001, type: "Organization" },
    html_url: `${baseUrl}/${owner}/${repo}`,
    url: `${baseUrl}/repos/${owner}/${repo}`,
    default_branch: DEFAULT_BRANCH,
  };
}

/** A `pull_request` webhook payload for a pull request the fake holds. */
export function pullRequestPayload(
  fake: FakeGitHub,
  pr: PullRequestRecord,
  action: "opened" | "synchronize" | "reopened" | "ready_for_review",
  installationId: number,
): Record<string, unknown> {
  const repository = repositoryPayload(fake.owner, pr.repo, fake.url);
  return {
    action,
    number: pr.number,
    pull_request: {
      number: pr.number,
      state: "open",
      draft: false,
      title: `pull request ${pr.number}`,
      user: HUMAN,
      head: { ref: pr.headRef, sha: pr.headSha, repo: repository },
      base: { ref: pr.baseRef, sha: pr.baseSha, repo: repository },
    },
    repository,
    sender: HUMAN,
    installation: { id: installationId },
  };
}

/** A `check_run.rerequested` webhook payload: someone clicked "Re-run" on the app's check. */
export function checkRunRerequestedPayload(
  fake: FakeGitHub,
  pr: PullRequestRecord,
  checkName: string,
  installationId: number,
): Record<string, unknown> {
  const repository = repositoryPayload(fake.owner, pr.repo, fake.url);
  const ref = { id: repository.id, name: pr.repo, url: repository.url };
  return {
    action: "rerequested",
    check_run: {
      id: 1,
      name: checkName,
      head_sha: pr.headSha,
      status: "completed",
      conclusion: "failure",
      pull_requests: [
        { number: pr.number, head: { ref: pr.headRef, sha: pr.headSha, repo: ref }, base: { ref: pr.baseRef, sha: pr.baseSha, repo: ref } },
      ],
    },
    repository,
    sender: HUMAN,
    installation: { id: installationId },
  };
}

/** Delivers a webhook as GitHub does: JSON body, event name, delivery id, HMAC-SHA256 signature. */
export async function sendWebhook(
  url: string,
  secret: string,
  event: { name: string; id: string; payload: unknown },
): Promise<Response> {
  const body = JSON.stringify(event.payload);
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/fake",
      "x-github-event": event.name,
      "x-github-delivery": event.id,
      "x-hub-signature-256": signature,
    },
    body,
  });
}

/** An `issue_comment.created` webhook payload for a comment the fake holds on a pull request. */
export function issueCommentPayload(
  fake: FakeGitHub,
  pr: PullRequestRecord,
  comment: CommentRecord,
  installationId: number,
): Record<string, unknown> {
  const repository = repositoryPayload(fake.owner, pr.repo, fake.url);
  const user = { ...comment.user };
  return {
    action: "created",
    issue: {
      number: pr.number,
      title: `pull request ${pr.number}`,
      state: "open",
      user: HUMAN,
      pull_request: { url: `${fake.url}/repos/${fake.owner}/${pr.repo}/pulls/${pr.number}` },
    },
    comment: { id: comment.id, body: comment.body, user, author_association: "CONTRIBUTOR" },
    repository,
    sender: user,
    installation: { id: installationId },
  };
}

/** A `push` webhook payload: `commits` landed on `repo`'s `branch`, each with the paths it changed. */
export function pushPayload(
  fake: FakeGitHub,
  repo: string,
  push: { before: string; after: string; branch?: string; modified: string[] },
  installationId: number,
): Record<string, unknown> {
  const repository = repositoryPayload(fake.owner, repo, fake.url);
  return {
    ref: `refs/heads/${push.branch ?? DEFAULT_BRANCH}`,
    before: push.before,
    after: push.after,
    created: false,
    deleted: false,
    forced: false,
    commits: [{ id: push.after, message: "a commit", added: [], removed: [], modified: push.modified }],
    head_commit: { id: push.after, message: "a commit", added: [], removed: [], modified: push.modified },
    repository,
    pusher: { name: HUMAN.login },
    sender: HUMAN,
    installation: { id: installationId },
  };
}
