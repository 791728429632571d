// Checks for a repository whose configuration is missing or wrong: no analysis runs.
import { CONFIG_PATH } from "../config/load.js";
import { formatConfigProblem } from "../config/problems.js";
import type { ConfigProblem } from "../core/config.js";
import type { CheckOutput } from "../github/checks.js";

export function missingConfigOutput(owner: string): CheckOutput {
  return {
    title: "No shared-schema configuration",
    summary: [
      `shared-schema-guard found no \`${CONFIG_PATH}\` in this repository nor in \`${owner}/.github\`, so it checked nothing.`,
      "",
      `Add \`${CONFIG_PATH}\` to the organisation's \`.github\` repository (one file serves every service) or to this repository:`,
      "",
      "```yaml",
      "prefix: r10_",
      "default_owner: hub",
      "services:",
      "  hub:",
      "    repo: r10score/r10-hub",
      "    migrations:",
      '      - { path: "dao/migrations/*.py", format: django, app_label: dao }',
      '    code: ["**/*.py"]',
      "  notifications:",
      "    repo: r10score/r10-notifications",
      "    migrations:",
      '      - { path: "migrations/*.sql", format: sql }',
      '    code: ["**/*.go"]',
      "tables:",
      "  r10_notification: { owner: hub, writers: [notifications] }",
      "```",
    ].join("\n"),
  };
}

export function invalidConfigOutput(problems: readonly ConfigProblem[]): CheckOutput {
  const count = problems.length;
  return {
    title: `Invalid shared-schema configuration: ${count} problem${count === 1 ? "" : "s"}`,
    summary: [
      "shared-schema-guard cannot review with this configuration; fix it and re-run the check.",
      "",
      "```",
      ...problems.map(formatConfigProblem),
      "```",
    ].join("\n"),
  };
}
