import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { CONFIG_PATH, loadConfigFile } from "../config/load.js";
import { formatConfigProblem } from "../config/problems.js";
import type { GuardConfig, ServiceConfig } from "../config/types.js";
import { LocalConsumerFinder } from "../consumers/local.js";
import { localPullRequestChanges } from "../local/changes.js";
import { checkoutDir, LocalWorkspace } from "../local/workspace.js";
import { replaySharedSchema, reviewPullRequest } from "../pipeline/review.js";
import { describeSchema } from "../pipeline/shared-schema.js";
import { renderJson, renderSummaryMarkdown, type ReviewReport } from "../report/index.js";
import { parseCommandLine, USAGE, UsageError, type ReviewCommand, type SchemaCommand } from "./args.js";

export interface CliOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Finds the configuration: `--config`, else the service's checkout, else the organisation's `.github` checkout. */
async function configCandidates(workspace: string, explicit: string | undefined): Promise<string[]> {
  if (explicit) return [explicit];
  const orgConfig = path.join(workspace, ".github", CONFIG_PATH);
  let entries: string[];
  try {
    entries = (await readdir(workspace, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    throw new UsageError(`workspace ${workspace} is not a readable folder`);
  }
  const ownConfigs = entries
    .filter((name) => name !== ".github")
    .sort()
    .map((name) => path.join(workspace, name, CONFIG_PATH))
    .filter((file) => existsSync(file));
  return [...ownConfigs, ...(existsSync(orgConfig) ? [orgConfig] : [])];
}

async function loadConfig(file: string, workspace: string): Promise<GuardConfig> {
  const result = await loadConfigFile(file, path.relative(workspace, file) || file);
  if (!result.ok) throw new UsageError(result.problems.map(formatConfigProblem).join("\n"));
  return result.config;
}

/** The configuration that governs `service`: the first candidate that declares it for the checkout it sits in. */
async function configForService(command: ReviewCommand): Promise<{ config: GuardConfig; service: ServiceConfig }> {
  const candidates = await configCandidates(command.workspace, command.config);
  if (candidates.length === 0) {
    throw new UsageError(`no ${CONFIG_PATH} in the service checkouts of ${command.workspace} nor in its .github checkout`);
  }
  for (const file of candidates) {
    const config = await loadConfig(file, command.workspace);
    const service = config.services.get(command.service);
    if (!service) {
      if (command.config) throw new UsageError(`${command.config}: no service named "${command.service}"`);
      continue;
    }
    const ownCheckout = path.resolve(checkoutDir(command.workspace, service.repo), CONFIG_PATH);
    const isOrgConfig = path.resolve(file) === path.resolve(command.workspace, ".github", CONFIG_PATH);
    if (command.config || isOrgConfig || path.resolve(file) === ownCheckout) return { config, service };
  }
  throw new UsageError(`no configuration in ${command.workspace} declares a service named "${command.service}"`);
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
  const report: ReviewReport = {
    service: service.name,
    repo: service.repo,
    headSha: changes.head.ref,
    conclusion: outcome.conclusion,
    findings: outcome.findings,
    consumers: outcome.consumers,
    notes: outcome.notes,
  };
  out.stdout(command.format === "json" ? renderJson(report) : renderSummaryMarkdown(report));
  return outcome.conclusion === "failure" ? 1 : 0;
}

async function schema(command: SchemaCommand, out: CliOutput): Promise<number> {
  const [file] = await configCandidates(command.workspace, command.config);
  if (!file) throw new UsageError(`no ${CONFIG_PATH} in ${command.workspace}/.github nor in any checkout of ${command.workspace}`);
  const config = await loadConfig(file, command.workspace);
  const workspace = new LocalWorkspace(command.workspace);
  const state = await replaySharedSchema(config, snapshotsOf(workspace, command.ref));
  out.stdout(`${JSON.stringify(describeSchema(config, state), null, 2)}\n`);
  return 0;
}

/** Runs one command line; returns the exit status. Never throws. */
export async function runCli(argv: readonly string[], out: CliOutput, cwd = process.cwd()): Promise<number> {
  try {
    const command = parseCommandLine(argv, cwd);
    if (command.command === "help") {
      out.stdout(`${USAGE}\n`);
      return 0;
    }
    return command.command === "review" ? await review(command, out) : await schema(command, out);
  } catch (error) {
    if (error instanceof UsageError) {
      out.stderr(`shared-schema-guard: ${error.message}\n`);
      if (!error.message.includes("\n")) out.stderr(`run "shared-schema-guard help" for usage\n`);
      return 2;
    }
    out.stderr(`shared-schema-guard: could not complete: ${(error as Error).message}\n`);
    return 2;
  }
}
