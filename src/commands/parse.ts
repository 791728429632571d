// `/ownership …` in a pull request comment: the command is the first word of a line.
import { normaliseTableName } from "../core/ownership.js";

export type OwnershipCommand =
  | { kind: "overview" }
  | { kind: "table"; table: string }
  | { kind: "ack"; table: string; reason: string }
  | { kind: "recheck" }
  | { kind: "map" }
  | { kind: "help" }
  | { kind: "malformed"; line: string; problem: string };

export const COMMAND_WORD = "/ownership";

/** A table as SQL names it: optionally schema-qualified, optionally quoted. */
const TABLE_NAME = /^(?:"[^"]+"|[A-Za-z_][\w$]*)(?:\.(?:"[^"]+"|[A-Za-z_][\w$]*))?$/;

/**
 * The first command line of a comment, or undefined when there is none. Lines inside fenced
 * code blocks and quoted lines (`> /ownership`) are not commands: quoting a command must not
 * repeat it. Only the first command of a comment counts.
 */
export function parseOwnershipCommand(body: string): OwnershipCommand | undefined {
  let fenced = false;
  for (const rawLine of body.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith("```") || line.startsWith("~~~")) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const [first, ...words] = line.split(/\s+/);
    if (first?.toLowerCase() !== COMMAND_WORD) continue;
    return commandOf(line, words);
  }
  return undefined;
}

function commandOf(line: string, words: string[]): OwnershipCommand {
  const [verb, ...rest] = words;
  if (verb === undefined) return { kind: "overview" };
  switch (verb.toLowerCase()) {
    case "help":
      return rest.length === 0 ? { kind: "help" } : malformed(line, "`help` takes nothing after it.");
    case "recheck":
      return rest.length === 0 ? { kind: "recheck" } : malformed(line, "`recheck` takes nothing after it.");
    case "map":
      return rest.length === 0 ? { kind: "map" } : malformed(line, "`map` takes nothing after it.");
    case "ack":
      return ackOf(line, rest);
    default:
      if (!TABLE_NAME.test(verb)) return malformed(line, `\`${verb}\` is neither a command nor a table name.`);
      return rest.length === 0 ? { kind: "table", table: tableKey(verb) } : malformed(line, "Name one table, and nothing after it.");
  }
}

function ackOf(line: string, rest: string[]): OwnershipCommand {
  const [table, ...reasonWords] = rest;
  if (table === undefined) return malformed(line, "`ack` needs a table and a reason.");
  if (!TABLE_NAME.test(table)) return malformed(line, `\`${table}\` is not a table name.`);
  const reason = reasonWords.join(" ").trim();
  if (reason === "") return malformed(line, "`ack` needs a reason after the table: say why the change is safe for your service.");
  return { kind: "ack", table: tableKey(table), reason };
}

function malformed(line: string, problem: string): OwnershipCommand {
  return { kind: "malformed", line, problem };
}

/** Tables as the configuration and the findings name them: lower case, without `public.` or quotes. */
export function tableKey(name: string): string {
  return normaliseTableName(name.replace(/"/g, ""));
}
