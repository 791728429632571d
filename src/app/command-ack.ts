// `/ownership ack <table> <reason>`: the consent of the services whose team the user is in
// (every service, for a repository admin) to the blocking findings on the table now.
import { ackRecordFor, consentNeeded, teamsOf, type ConsentAuthority } from "../commands/consent.js";
import { ackConfirmation, ackRefusedReply, nothingToAckReply } from "../commands/replies.js";
import { isActiveTeamMember, repositoryRole } from "../github/permissions.js";
import { analyseHead, inBackground, pullRequestCoordinates, react, refuse, reply, serviceSetting, type CommandRequest } from "./command-context.js";
import { startReview } from "./review-run.js";

export async function acknowledge(request: CommandRequest, table: string, reason: string): Promise<void> {
  const setting = await serviceSetting(request);
  if (!setting) return;
  inBackground(request, async () => {
    const pr = await pullRequestCoordinates(request);
    // Without acks: a finding another service consented to still needs the others.
    const outcome = await analyseHead(request, setting, pr, []);
    const needed = consentNeeded(outcome.findings, table);
    if (needed.size === 0) {
      await refuse(request, nothingToAckReply(request.user, table, pr.headSha));
      return;
    }
    const authority = await authorityOf(request, [...needed.keys()], setting.config.services);
    const record = ackRecordFor(needed, authority, { table, headSha: pr.headSha, by: request.user, reason });
    if (!record) {
      await refuse(request, ackRefusedReply(request.user, table, teamsOf(needed.keys(), setting.config.services)));
      return;
    }
    const uncovered = [...needed.keys()].filter((service) => !(service in record.services)).sort();
    await reply(request, ackConfirmation(record, uncovered));
    await react(request, "+1");
    // The confirmation is in the conversation now: the review run reads it back as an ack.
    await startReview(request.context, request.guard, pr);
  });
}

async function authorityOf(
  request: CommandRequest,
  services: string[],
  config: Map<string, { team?: string }>,
): Promise<ConsentAuthority> {
  const { octokit } = request.context;
  if ((await repositoryRole(octokit, { owner: request.owner, repo: request.repo }, request.user)) === "admin") return { kind: "admin" };
  const member: string[] = [];
  for (const service of services) {
    const team = config.get(service)?.team;
    if (team && (await isActiveTeamMember(octokit, team, request.user))) member.push(service);
  }
  return { kind: "teams", services: member };
}
