// `/ownership` and `/ownership <table>`: answered from an analysis of the pull request's head.
import { ownershipOf, renderOverview, renderTableOwnership } from "../commands/ownership.js";
import { normaliseTableName } from "../core/ownership.js";
import { truncateMarkdown } from "../report/index.js";
import {
  analyseHead,
  commandSources,
  inBackground,
  pullRequestCoordinates,
  react,
  reply,
  serviceSetting,
  type CommandRequest,
} from "./command-context.js";

export async function showOwnership(request: CommandRequest, table?: string): Promise<void> {
  const setting = await serviceSetting(request);
  if (!setting) return;
  await react(request, "+1");
  inBackground(request, async () => {
    const pr = await pullRequestCoordinates(request);
    const sources = commandSources(request, setting);
    const outcome = await analyseHead(request, setting, pr, [], sources);
    if (table === undefined) {
      await reply(request, truncateMarkdown(renderOverview(ownershipOf(setting.config, outcome.touchedTables, outcome.consumers.uses), pr.headSha)));
      return;
    }
    // Every use of the table in the other services, not only of what this pull request changes.
    const found = await sources.consumers.find([{ table }], setting.service.name);
    const uses = [...outcome.consumers.uses, ...found.uses].filter(
      (use, index, all) => all.findIndex((other) => other.repo === use.repo && other.path === use.path && other.line === use.line && other.column === use.column) === index,
    );
    const [ownership] = ownershipOf(setting.config, [table], uses);
    if (ownership) await reply(request, truncateMarkdown(renderTableOwnership(ownership, setting.config.tables.has(normaliseTableName(table)))));
  });
}
