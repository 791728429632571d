// The words of the app's replies to `/ownership` commands.
import { code, listOf } from "../findings/wording.js";
import { ackMarker, type AckRecord } from "./ack-record.js";

export const USAGE = [
  "| command | who | what |",
  "|---|---|---|",
  "| `/ownership` | anyone | owner, writers and consumers of the tables this pull request touches |",
  "| `/ownership <table>` | anyone | owner, writers and every use found in other services of one table |",
  "| `/ownership ack <table> <reason>` | a member of the team of a service whose consent a blocking finding needs, or a repository admin | that service's consent to the blocking findings on the table present now; the check is re-run |",
  "| `/ownership recheck` | anyone with write access | re-runs the analysis (also the check's **Re-run analysis** button) |",
  "| `/ownership map` | anyone | the split-readiness report of every service: tables owned, who else writes and reads them, foreign keys across services, what stands between each service and its own database |",
  "| `/ownership help` | anyone | this list |",
].join("\n");

const NOTES = [
  "The command is the first word of a line; only the first command of a comment counts. Editing or deleting a comment changes nothing:",
  "an ack stands as the app confirmed it, and an ack covers only the findings its confirmation names, so findings that appear later need a new one.",
].join(" ");

export function helpReply(): string {
  return ["**shared-schema-guard commands**", "", USAGE, "", NOTES].join("\n");
}

export function malformedReply(user: string, line: string, problem: string): string {
  return [`@${user} I could not read ${code(line)}: ${problem}`, "", USAGE].join("\n");
}

export function ackConfirmation(record: AckRecord, uncovered: readonly string[]): string {
  const lines = [
    `Acknowledged by @${record.by} on ${code(record.table)} at \`${record.headSha.slice(0, 7)}\`: ${record.reason}`,
    "",
    "| consent of | findings (fingerprints) |",
    "|---|---|",
    ...Object.entries(record.services).map(([service, fingerprints]) => `| ${service} | ${fingerprints.map(code).join(", ")} |`),
    "",
  ];
  if (uncovered.length > 0) lines.push(`Not covered by this ack: the consent of ${listOf([...uncovered])}.`, "");
  lines.push("Findings that appear later are not covered. Re-running the analysis.", "", ackMarker(record));
  return lines.join("\n");
}

export function ackRefusedReply(user: string, table: string, needs: readonly { service: string; team?: string }[]): string {
  const members = needs.flatMap(({ service, team }) => (team ? [`a member of @${team} (${service})`] : []));
  const teamless = needs.filter(({ team }) => !team).map(({ service }) => service);
  const lines = [`@${user} you cannot acknowledge the findings on ${code(table)}: that needs ${listOf([...members, "a repository admin"]).replace(/ and a repository admin$/, ", or a repository admin")}.`];
  if (teamless.length > 0) {
    lines.push(`${listOf(teamless)} ${teamless.length === 1 ? "has" : "have"} no \`team\` in the configuration: only a repository admin can consent for ${teamless.length === 1 ? "it" : "them"}.`);
  }
  lines.push("Team membership is checked with GitHub, not taken from the comment. Nothing was recorded.");
  return lines.join("\n");
}

export function nothingToAckReply(user: string, table: string, headSha: string): string {
  return `@${user} nothing on ${code(table)} needs another service's consent at \`${headSha.slice(0, 7)}\`. Nothing was recorded.`;
}

export function recheckRefusedReply(user: string): string {
  return `@${user} \`/ownership recheck\` needs write access to this repository. Nothing was re-run.`;
}

export function notAServiceReply(user: string, repo: string): string {
  return `@${user} ${code(repo)} is not a service of the shared-schema configuration, so there is nothing to answer.`;
}

export function noConfigurationReply(user: string): string {
  return `@${user} this repository has no valid \`.github/shared-schema.yml\` (nor does the organisation's \`.github\` repository); the check run says why.`;
}

export function failedReply(user: string, reason: string): string {
  return `@${user} the command could not complete: ${reason}. Nothing was recorded; try again.`;
}
