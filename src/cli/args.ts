import { parseArgs } from "node:util";

export const USAGE = `usage:
  shared-schema-guard review --service NAME [--workspace DIR] [--config FILE]
                             [--base REF] [--head REF] [--format markdown|json]
  shared-schema-guard schema [--workspace DIR] [--config FILE] [--ref REF]

  --workspace DIR  a folder with one git checkout per service, named like its repository
                   (default: the current folder)
  --config FILE    default: .github/shared-schema.yml of the service's checkout,
                   else of DIR/.github
  --base REF       review: the reviewed checkout's base ref (default: main)
  --head REF       review: the reviewed checkout's head ref (default: HEAD)
  --ref REF        schema: the ref to read in every checkout (default: HEAD)

exit status: 0 when the conclusion is not failure, 1 when it is, 2 for a usage or
configuration error`;

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

export type CliCommand = ReviewCommand | SchemaCommand | { command: "help" };

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
  if (command === "review") {
    rejectOptions(["ref"]);
    const service = text("service");
    if (!service) throw new UsageError("review needs --service NAME");
    const format = text("format") ?? "markdown";
    if (format !== "markdown" && format !== "json") {
      throw new UsageError(`--format must be markdown or json (got "${format}")`);
    }
    return { command, service, workspace, config: text("config"), base: text("base") ?? "main", head: text("head") ?? "HEAD", format };
  }
  if (command === "schema") {
    rejectOptions(["service", "base", "head", "format"]);
    return { command, workspace, config: text("config"), ref: text("ref") ?? "HEAD" };
  }
  throw new UsageError(`unknown command "${command}"`);
}
