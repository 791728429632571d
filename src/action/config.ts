// The configuration of a repository as the app reads it with Probot's `context.config`: the
// repository's `.github/shared-schema.yml`, else its organisation's `.github` repository's,
// `_extends` followed and merged deeply.
import path from "node:path";
import merge from "deepmerge";
import type { ConfigSource } from "../app/config.js";
import type { TokenClient } from "./client.js";

export function tokenConfigSource(client: TokenClient, owner: string, repo: string): ConfigSource {
  return {
    octokit: client,
    owner,
    repo,
    async merged(fileName) {
      const { config, files } = await client.config.get({
        owner,
        repo,
        path: path.posix.join(".github", fileName),
        defaults: (configs) => merge.all<Record<string, unknown>>([{}, ...configs]),
      });
      return files.some((file) => file.config !== null) ? config : null;
    },
  };
}
