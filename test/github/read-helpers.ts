// Test helpers: a real Probot Octokit against nock, with GitHub's own retry and throttling off.
import { ProbotOctokit } from "probot";

export function testOctokit(baseUrl?: string): ProbotOctokit {
  return new ProbotOctokit({
    auth: { token: "test" },
    retry: { enabled: false },
    throttle: { enabled: false },
    ...(baseUrl ? { baseUrl } : {}),
  });
}

/** The GraphQL query text of a request body nock hands to a matcher. */
export function queryOf(body: unknown): string {
  return (body as { query: string }).query;
}

/** `b0`, `b1`, ... aliases with the blob SHAs a batch query (request body or query text) asks for. */
export function requestedBlobs(body: unknown): Map<string, string> {
  const query = typeof body === "string" ? body : queryOf(body);
  const blobs = new Map<string, string>();
  for (const match of query.matchAll(/(b\d+): object\(oid: "([0-9a-f]+)"\)/g)) blobs.set(match[1] as string, match[2] as string);
  return blobs;
}

/**
 * Answers the readers' GraphQL queries the way GitHub would: default-branch heads from
 * `heads` (by `owner/name`), blob texts from `textOf` (by blob SHA).
 */
export function answerGraphql(body: unknown, heads: Record<string, string>, textOf: (sha: string) => string) {
  const query = queryOf(body);
  const data: Record<string, Record<string, unknown>> = {};
  const repos = [...query.matchAll(/(r\d+): repository\(owner: "([^"]+)", name: "([^"]+)"\)/g)];
  repos.forEach((repo, index) => {
    const [, alias = "", owner, name] = repo;
    const section = query.slice(repo.index, repos[index + 1]?.index ?? query.length);
    const fields: Record<string, unknown> = {};
    if (section.includes("defaultBranchRef")) {
      const commit = heads[`${owner}/${name}`];
      fields.defaultBranchRef = commit ? { name: "main", target: { oid: commit } } : null;
    }
    for (const [alias, sha] of requestedBlobs(section)) fields[alias] = { text: textOf(sha), isBinary: false, isTruncated: false };
    data[alias] = fields;
  });
  return { data };
}
