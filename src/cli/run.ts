import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { CONFIG_PATH, loadConfigChain, loadWorkspaceConfig } from "../config/load.js";
import type { ConfigResult } from "../config/parse.js";
import { formatConfigProblem } from "../config/problems.js";
import type { GuardConfig, ServiceConfig } from "../core/config.js";
import { LocalConsumerFinder } from "../consumers/local.js";
import { localPullRequestChanges } from "../local/changes.js";
import { checkoutDir, LocalWorkspace } from "../local/workspace.js";
import { replaySharedSchema, reviewPullRequest } from "../pipeline/review.js";
import { reviewReportOf } from "../pipeline/review-report.js";
import { describeSchema } from "../pipeline/shared-schema.js";
import { renderJson, renderSarif, renderSummaryMarkdown, renderWorkflowCommands, type ReviewReport } from "../report/index.js";
import { mapOrganisation } from "../map/gather.js";
import { renderMapJson, renderMapMarkdown } from "../map/render.js";
import { readLiveSchema, withoutPassword } from "../verify/catalog.js";
import { renderVerifyJson, renderVerifyMarkdown } from "../verify/render.js";
import { verifyDatabase } from "../verify/verify.js";
import { tokenClient } from "../action/client.js";
import { reviewOnGitHub } from "../action/review.js";
import { failureReason } from "../app/failure.js";
import {
  ConfigurationError,
  parseCommandLine,
  USAGE,
  UsageError,
  type CliCommand,
  type GitHubReviewCommand,
  type MapCommand,
  type ReviewCommand,
  type ReviewFormat,
  type SchemaCommand,
  type VerifyCommand,
} from "./args.js";

export interface CliOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

async function checkoutFolders(workspace: string): Promise<string[]> {
  try {
    const entries = await readdir(workspace, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && entry.name !== ".github").map((entry) => entry.name).sort();
  } catch {
    throw new UsageError(`workspace ${workspace} is not a readable folder`);
  }
}

function configOrThrow(result: ConfigResult): GuardConfig {
  if (!result.ok) throw new ConfigurationError(result.problems.map(formatConfigProblem).join("\n"));
  return result.config;
}

/**
 * Each checkout's configuration as Probot would load it for that repository: its own
 * `.github/shared-schema.yml` (following `_extends`), else the `.github` checkout's.
 */
async function workspaceConfigs(workspace: string): Promise<{ folder: string; result: ConfigResult }[]> {
  const found = await Promise.all(
    (await checkoutFolders(workspace)).map(async (folder) => ({ folder, loaded: await loadWorkspaceConfig(workspace, folder) })),
  );
  return found.flatMap(({ folder, loaded }) => (loaded ? [{ folder, result: loaded.result }] : []));
}

/** The configuration that governs `service`: `--config`, else the one its own checkout uses. */
async function configForService(command: ReviewCommand): Promise<{ config: GuardConfig; service: ServiceConfig }> {
  if (command.config) {
    const config = configOrThrow((await loadConfigChain(command.workspace, command.config, command.config)).result);
    const service = config.services.get(command.service);
    if (!service) throw new UsageError(`${command.config}: no service named "${command.service}"`);
    return { config, service };
  }
  const configs = await workspaceConfigs(command.workspace);
  if (configs.length === 0) {
    throw new UsageError(`no ${CONFIG_PATH} in the checkouts of ${command.workspace} nor in its .github checkout`);
  }
  for (const { folder, result } of configs) {
    const service = result.ok ? result.config.services.get(command.service) : undefined;
    if (result.ok && service && path.basename(checkoutDir(command.workspace, service.repo)) === folder) {
      return { config: result.config, service };
    }
  }
  const invalid = configs.find(({ result }) => !result.ok);
  if (invalid) configOrThrow(invalid.result);
  throw new UsageError(`no configuration in ${command.workspace} declares a service named "${command.service}" with a checkout there`);
}

/** The shared configuration for `schema`: `--config`, else the organisation's, else the first checkout's. */
async function sharedConfig(command: SchemaCommand | VerifyCommand | MapCommand): Promise<GuardConfig> {
  if (command.config) return configOrThrow((await loadConfigChain(command.workspace, command.config, command.config)).result);
  const orgConfig = path.join(command.workspace, ".github", CONFIG_PATH);
  if (existsSync(orgConfig)) return configOrThrow((await loadConfigChain(command.workspace, orgConfig)).result);
  const [first] = await workspaceConfigs(command.workspace);
  if (!first) throw new UsageError(`no ${CONFIG_PATH} in ${command.workspace}/.github nor in any checkout of ${command.workspace}`);
  return configOrThrow(first.result);
}

function snapshotsOf(workspace: LocalWorkspace, ref?: string) {
  return (service: ServiceConfig) => workspace.snapshot(service.repo, ref);
}

async function review(command: ReviewCommand, out: CliOutput): Promise<number> {
  const { config, service } = await configForService(command);
  const workspace = new LocalWorkspace(command.workspace);
  const changes = await localPullRequestChanges(checkoutDir(command.workspace, service.repo), service.repo, command.base, command.head);
  const outcome = await reviewPullRequest({
    config,
    service,
    changes,
    workspace,
    consumers: new LocalConsumerFinder(config.services, snapshotsOf(workspace)),
    acks: [],
  });
  const report = reviewReportOf(outcome, { service: service.name, repo: service.repo, headSha: changes.head.ref });
  return printReport(report, command.format, out);
}

const renderers: Record<ReviewFormat, (report: ReviewReport) => string> = {
  markdown: renderSummaryMarkdown,
  json: renderJson,
  sarif: renderSarif,
  github: renderWorkflowCommands,
};

function printReport(report: ReviewReport, format: ReviewFormat, out: CliOutput): number {
  out.stdout(renderers[format](report));
  return report.conclusion === "failure" ? 1 : 0;
}

async function reviewGitHub(command: GitHubReviewCommand, out: CliOutput): Promise<number> {
  const client = tokenClient({ token: command.token, apiUrl: command.apiUrl, warn: (message) => out.stderr(`shared-schema-guard: ${message}\n`) });
  const result = await reviewOnGitHub(client, command.repo, command.pullNumber);
  switch (result.kind) {
    case "reviewed":
      return printReport(result.report, command.format, out);
    case "no-configuration":
      out.stderr(`shared-schema-guard: ${result.explanation}\n`);
      return 0;
    case "invalid-configuration":
      throw new ConfigurationError(result.problems.join("\n"));
    case "not-a-service":
      throw new UsageError(result.explanation);
    case "failed":
      throw new Error(`${failureReason(result.error)} (the check run says so too)`);
  }
}

async function schema(command: SchemaCommand, out: CliOutput): Promise<number> {
  const config = await sharedConfig(command);
  const workspace = new LocalWorkspace(command.workspace);
  const state = await replaySharedSchema(config, snapshotsOf(workspace, command.ref));
  out.stdout(`${JSON.stringify(describeSchema(config, state), null, 2)}\n`);
  return 0;
}

async function verify(command: VerifyCommand, out: CliOutput): Promise<number> {
  const config = await sharedConfig(command);
  const workspace = new LocalWorkspace(command.workspace);
  const live = await readLiveSchema(command.databaseUrl).catch((error: unknown) => {
    throw new Error(`could not read ${withoutPassword(command.databaseUrl)}: ${(error as Error).message}`);
  });
  const report = await verifyDatabase(config, snapshotsOf(workspace, command.ref), live);
  out.stdout(command.format === "json" ? renderVerifyJson(report) : renderVerifyMarkdown(report));
  return report.conclusion === "failure" ? 1 : 0;
}

/** The split-readiness report: consumers are searched in the checkouts as they are checked out. */
async function map(command: MapCommand, out: CliOutput): Promise<number> {
  const config = await sharedConfig(command);
  const workspace = new LocalWorkspace(command.workspace);
  const report = await mapOrganisation(config, snapshotsOf(workspace), new LocalConsumerFinder(config.services, snapshotsOf(workspace)));
  out.stdout(command.format === "json" ? renderMapJson(report) : renderMapMarkdown(report));
  return 0;
}

async function runCommand(command: Exclude<CliCommand, { command: "help" }>, out: CliOutput): Promise<number> {
  switch (command.command) {
    case "review":
      return review(command, out);
    case "review-github":
      return reviewGitHub(command, out);
    case "schema":
      return schema(command, out);
    case "verify":
      return verify(command, out);
    case "map":
      return map(command, out);
  }
}

/** Runs one command line; returns the exit status. Never throws. */
export async function runCli(argv: readonly string[], out: CliOutput, cwd = process.cwd(), env = process.env): Promise<number> {
  try {
    const command = parseCommandLine(argv, cwd, env);
    if (command.command === "help") {
      out.stdout(`${USAGE}\n`);
      return 0;
    }
    return await runCommand(command, out);
  } catch (error) {
    if (error instanceof UsageError) {
      out.stderr(`shared-schema-guard: ${error.message}\n`);
      if (!(error instanceof ConfigurationError)) out.stderr(`run "shared-schema-guard help" for usage\n`);
      return 2;
    }
    out.stderr(`shared-schema-guard: could not complete: ${(error as Error).message}\n`);
    return 2;
  }
}
