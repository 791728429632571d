// `/ownership map`: the split-readiness report of the whole organisation, from every service's
// default branch, with readers and writers found by code search.
import { mapOrganisation } from "../map/gather.js";
import { renderMapMarkdown } from "../map/render.js";
import { truncateMarkdown } from "../report/index.js";
import { commandSources, inBackground, react, reply, serviceSetting, type CommandRequest } from "./command-context.js";

export async function showMap(request: CommandRequest): Promise<void> {
  const setting = await serviceSetting(request);
  if (!setting) return;
  await react(request, "+1");
  inBackground(request, async () => {
    const sources = commandSources(request, setting);
    const map = await mapOrganisation(setting.config, (service) => sources.workspace.snapshot(service.repo), sources.consumers);
    const source = "_Every service as its default branch has it; readers and writers found by GitHub code search._";
    await reply(request, truncateMarkdown(`${renderMapMarkdown(map)}\n${source}`));
  });
}
