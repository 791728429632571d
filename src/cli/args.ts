import { parseArgs } from "node:util";

export const USAGE = `usage:
  shared-schema-guard review --service NAME [--workspace DIR] [--config FILE]
                             [--base REF] [--head REF] [--format FORMAT]
  shared-schema-guard review --repo OWNER/NAME --pr NUMBER [--github-token TOKEN]
                             [--api-url URL] [--format FORMAT]
  shared-schema-guard schema [--workspace DIR] [--config FILE] [--ref REF]

  --workspace DIR  a folder with one git checkout per service, named like its repository
                   (default: the current folder)
  --config FILE    default: .github/shared-schema.yml of the service's checkout,
                   else of DIR/.github
  --base REF       review: the reviewed checkout's base ref (default: main)
  --head REF       review: the reviewed checkout's head ref (default: HEAD)
  --ref REF        schema: the ref to read in every checkout (default: HEAD)
  --format FORMAT  review: markdown (default), json, sarif (SARIF 2.1.0, for code
                   scanning) or github (workflow command annotations)

GitHub mode (--repo, --pr) reviews a pull request through GitHub's API and posts
what the app posts: the shared-schema check run, the review and the summary comment.
  --github-token T  default: $GITHUB_TOKEN; a GitHub App's token (the workflow's
                    GITHUB_TOKEN is one) that can read the other services' repositories
  --api-url URL     default: $GITHUB_API_URL, else https://api.github.com
                    (GitHub Enterprise Server: https://HOST/api/v3)

exit status: 0 when the conclusion is not failure, 1 when it is, 2 for a usage or
configuration error`;

/** A mistake in how the command was called or configured: exit status 2. */
export class UsageError extends Error {}

/** An invalid configuration file: exit status 2, with each problem and where it is. */
export class ConfigurationError extends UsageError {}

export const REVIEW_FORMATS = ["markdown", "json", "sarif", "github"] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

/** `review` over local checkouts. */
export interface ReviewCommand {
  command: "review";
  service: string;
  workspace: string;
  config?: string;
  base: string;
  head: string;
  format: ReviewFormat;
}

/** `review` of a pull request on GitHub, posting as the app does. */
export interface GitHubReviewCommand {
  command: "review-github";
  repo: string;
  pullNumber: number;
  token: string;
  apiUrl: string;
  format: ReviewFormat;
}

export interface SchemaCommand {
  command: "schema";
  workspace: string;
  config?: string;
  ref: string;
}

export type CliCommand = ReviewCommand | GitHubReviewCommand | SchemaCommand | { command: "help" };

const LOCAL_REVIEW_OPTIONS = ["service", "workspace", "config", "base", "head"];
const GITHUB_OPTIONS = ["repo", "pr", "github-token", "api-url"];

function formatOf(value: string | undefined): ReviewFormat {
  const format = value ?? "markdown";
  if (!(REVIEW_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be ${REVIEW_FORMATS.join(", ")} (got "${format}")`);
  }
  return format as ReviewFormat;
}

function gitHubReview(text: (name: string) => string | undefined, env: NodeJS.ProcessEnv): GitHubReviewCommand {
  const repo = text("repo");
  if (!repo || !/^[^/\s]+\/[^/\s]+$/.test(repo)) throw new UsageError("GitHub mode needs --repo OWNER/NAME");
  const pr = text("pr") ?? "";
  if (!/^[1-9][0-9]*$/.test(pr)) throw new UsageError(`GitHub mode needs --pr NUMBER (got "${pr}")`);
  const token = text("github-token") ?? env.GITHUB_TOKEN;
  if (!token) throw new UsageError("GitHub mode needs a token: --github-token TOKEN or GITHUB_TOKEN");
  const apiUrl = text("api-url") ?? env.GITHUB_API_URL ?? "https://api.github.com";
  if (!URL.canParse(apiUrl)) throw new UsageError(`--api-url must be a URL (got "${apiUrl}")`);
  return { command: "review-github", repo, pullNumber: Number(pr), token, apiUrl, format: formatOf(text("format")) };
}

export function parseCommandLine(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") return { command: "help" };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: {
        service: { type: "string" },
        workspace: { type: "string" },
        config: { type: "string" },
        base: { type: "string" },
        head: { type: "string" },
        ref: { type: "string" },
        format: { type: "string" },
        repo: { type: "string" },
        pr: { type: "string" },
        "github-token": { type: "string" },
        "api-url": { type: "string" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const workspace = text("workspace") ?? cwd;
  const rejectOptions = (names: string[], mode = command): void => {
    const given = names.filter((name) => values[name] !== undefined);
    if (given.length > 0) throw new UsageError(`${mode} does not take ${given.map((name) => `--${name}`).join(", ")}`);
  };
  if (command === "review" && GITHUB_OPTIONS.some((name) => values[name] !== undefined)) {
    rejectOptions(["ref", ...LOCAL_REVIEW_OPTIONS], "review in GitHub mode");
    return gitHubReview(text, env);
  }
  if (command === "review") {
    rejectOptions(["ref"]);
    const service = text("service");
    if (!service) throw new UsageError("review needs --service NAME (or, in GitHub mode, --repo and --pr)");
    const format = formatOf(text("format"));
    return { command, service, workspace, config: text("config"), base: text("base") ?? "main", head: text("head") ?? "HEAD", format };
  }
  if (command === "schema") {
    rejectOptions(["service", "base", "head", "format", ...GITHUB_OPTIONS]);
    return { command, workspace, config: text("config"), ref: text("ref") ?? "HEAD" };
  }
  throw new UsageError(`unknown command "${command}"`);
}
