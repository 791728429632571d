import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, renderWorkflowCommands } from "../../src/report/workflow-commands.js";
import { blockingReview, cleanReview, settledReview } from "./reviews.js";

/** A workflow command line as the Actions runner reads it: `::name k=v,k=v::message`, unescaped. */
function parseCommand(line: string): { name: string; properties: Record<string, string>; message: string } | undefined {
  const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  if (!match) return undefined;
  const unescape = (text: string) => text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  const properties = Object.fromEntries((match[2] ?? "").split(",").map((pair) => {
    const at = pair.indexOf("=");
    return [pair.slice(0, at), unescape(pair.slice(at + 1))];
  }));
  return { name: match[1] ?? "", properties, message: unescape(match[3] ?? "") };
}

describe("--format github", () => {
  it("escapes %, carriage returns and line feeds in messages, and : and , in properties too", () => {
    expect(escapeData("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext: a, b");
    expect(escapeProperty("db/0001: a,b%\n")).toBe("db/0001%3A a%2Cb%25%0A");
  });

  it("annotates each finding on its file and line, one command per line", () => {
    const review = blockingReview();
    const lines = renderWorkflowCommands(review).trimEnd().split("\n");
    const commands = lines.map(parseCommand).filter((command) => command !== undefined);
    expect(commands).toHaveLength(review.findings.length);
    expect(lines.at(-1)).toMatch(/^Blocked: /);
    const rename = commands.find((command) => command.properties.title === "breaking-change: r10_match.kickoff");
    expect(rename).toMatchObject({ name: "error", properties: { file: "dao/migrations/0574_match_kickoff.py", line: "14" } });
    expect(rename?.message).toContain("Used by:\n- r10score/r10-odds:internal/odds/match.go:31 (odds, read)");
  });

  it("shows suppressed and acknowledged findings as notices", () => {
    const commands = renderWorkflowCommands(settledReview()).split("\n").map(parseCommand).filter((command) => command !== undefined);
    expect(commands.filter((command) => /\((suppressed|acknowledged)\)$/.test(command.properties.title ?? "")).every((command) => command.name === "notice")).toBe(true);
    expect(commands.some((command) => command.name === "notice")).toBe(true);
  });

  it("prints only the verdict when nothing is found", () => {
    expect(renderWorkflowCommands(cleanReview())).toBe("Passed: nothing in this pull request affects another service's tables.\n");
  });
});
