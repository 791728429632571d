import { parseArgs } from "node:util";

export const USAGE = `usage:
  shared-schema-guard review --service NAME [--workspace DIR] [--config FILE]
                             [--base REF] [--head REF] [--format markdown|json]
  shared-schema-guard schema [--workspace DIR] [--config FILE] [--ref REF]
  shared-schema-guard verify --database-url URL [--workspace DIR] [--config FILE]
                             [--ref REF] [--format markdown|json]
  shared-schema-guard map [--workspace DIR] [--config FILE] [--format markdown|json]

  --workspace DIR  a folder with one git checkout per service, named like its repository
                   (default: the current folder)
  --config FILE    default: .github/shared-schema.yml of the service's checkout,
                   else of DIR/.github
  --base REF       review: the reviewed checkout's base ref (default: main)
  --head REF       review: the reviewed checkout's head ref (default: HEAD)
  --ref REF        schema, verify: the ref to read in every checkout (default: HEAD)
  --database-url URL  verify: the live database to compare with the migrations
                   (postgres://user:password@host:port/database)

exit status: 0 when the conclusion is not failure (verify: no drift), 1 when it is,
2 for a usage, configuration or connection error`;

/** A mistake in how the command was called or configured: exit status 2. */
export class UsageError extends Error {}

/** An invalid configuration file: exit status 2, with each problem and where it is. */
export class ConfigurationError extends UsageError {}

export interface ReviewCommand {
  command: "review";
  service: string;
  workspace: string;
  config?: string;
  base: string;
  head: string;
  format: "markdown" | "json";
}

export interface SchemaCommand {
  command: "schema";
  workspace: string;
  config?: string;
  ref: string;
}

export interface VerifyCommand {
  command: "verify";
  databaseUrl: string;
  workspace: string;
  config?: string;
  ref: string;
  format: "markdown" | "json";
}

export interface MapCommand {
  command: "map";
  workspace: string;
  config?: string;
  format: "markdown" | "json";
}

export type CliCommand = ReviewCommand | SchemaCommand | VerifyCommand | MapCommand | { command: "help" };

export function parseCommandLine(argv: readonly string[], cwd: string): CliCommand {
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
        "database-url": { type: "string" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const workspace = text("workspace") ?? cwd;
  const rejectOptions = (names: string[]): void => {
    const given = names.filter((name) => values[name] !== undefined);
    if (given.length > 0) throw new UsageError(`${command} does not take ${given.map((name) => `--${name}`).join(", ")}`);
  };
  const markdownOrJson = (): "markdown" | "json" => {
    const format = text("format") ?? "markdown";
    if (format !== "markdown" && format !== "json") throw new UsageError(`--format must be markdown or json (got "${format}")`);
    return format;
  };
  if (command === "review") {
    rejectOptions(["ref", "database-url"]);
    const service = text("service");
    if (!service) throw new UsageError("review needs --service NAME");
    const format = markdownOrJson();
    return { command, service, workspace, config: text("config"), base: text("base") ?? "main", head: text("head") ?? "HEAD", format };
  }
  if (command === "schema") {
    rejectOptions(["service", "base", "head", "format", "database-url"]);
    return { command, workspace, config: text("config"), ref: text("ref") ?? "HEAD" };
  }
  if (command === "verify") {
    rejectOptions(["service", "base", "head"]);
    const databaseUrl = text("database-url");
    if (!databaseUrl) throw new UsageError("verify needs --database-url postgres://…");
    return { command, databaseUrl, workspace, config: text("config"), ref: text("ref") ?? "HEAD", format: markdownOrJson() };
  }
  if (command === "map") {
    rejectOptions(["service", "base", "head", "ref", "database-url"]);
    return { command, workspace, config: text("config"), format: markdownOrJson() };
  }
  throw new UsageError(`unknown command "${command}"`);
}
