// Small helpers shared by the readers of GitHub's API.
import type { ProbotOctokit } from "probot";

/**
 * What the code uses of a GitHub client: Probot's installation client in the app, an
 * `@octokit/rest` client with a token in the Action and the command line.
 */
export type Octokit = Pick<ProbotOctokit, "request" | "graphql" | "paginate" | "rest">;

export interface RepoName {
  owner: string;
  name: string;
}

/** `owner/name` → its two parts. */
export function splitRepo(repo: string): RepoName {
  const slash = repo.indexOf("/");
  if (slash <= 0 || slash === repo.length - 1) throw new Error(`"${repo}" is not an owner/name repository`);
  return { owner: repo.slice(0, slash), name: repo.slice(slash + 1) };
}

/** The web address that belongs to the API the client talks to: `https://HOST/api/v3` → `https://HOST`. */
export function htmlBaseOf(octokit: Octokit): string {
  const api = new URL(octokit.request.endpoint.DEFAULTS.baseUrl);
  if (api.hostname === "api.github.com") return "https://github.com";
  return `${api.protocol}//${api.host}`;
}

/** Link to one line of a file at a commit. */
export function lineUrl(htmlBase: string, repo: string, commit: string, path: string, line: number): string {
  const encodedPath = path.split("/").map(encodeURIComponent).join("/");
  return `${htmlBase}/${repo}/blob/${commit}/${encodedPath}#L${line}`;
}

/** A GraphQL string literal (JSON's escaping is a subset GraphQL accepts). */
export function graphqlString(value: string): string {
  return JSON.stringify(value);
}

/** `alias: repository(owner: "...", name: "...") { selection }`, one of several in a batched query. */
export function repositoryField(alias: string, repo: string, selection: string): string {
  const { owner, name } = splitRepo(repo);
  return `${alias}: repository(owner: ${graphqlString(owner)}, name: ${graphqlString(name)}) { ${selection} }`;
}

export const FULL_SHA = /^[0-9a-f]{40}$/i;

/** Status and headers of a failed Octokit request, when the failure came from an HTTP response. */
export interface HttpFailure {
  status: number;
  headers: Record<string, string | number | undefined>;
  message: string;
}

export function httpFailureOf(error: unknown): HttpFailure | undefined {
  if (!(error instanceof Error) || !("status" in error) || typeof error.status !== "number") return undefined;
  const response = "response" in error ? (error.response as { headers?: HttpFailure["headers"] }) : undefined;
  return { status: error.status, headers: response?.headers ?? {}, message: error.message };
}

export interface GraphqlErrorEntry {
  message: string;
  path?: unknown[];
}

/** Data GitHub did return alongside GraphQL errors (missing repositories, objects, ...). */
export function partialGraphqlData<T>(error: unknown): { data: T; errors: GraphqlErrorEntry[] } | undefined {
  if (!(error instanceof Error) || error.name !== "GraphqlResponseError" || !("data" in error)) return undefined;
  const errors = "errors" in error && Array.isArray(error.errors) ? error.errors : [];
  return { data: (error.data ?? {}) as T, errors };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
