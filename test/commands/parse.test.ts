import { describe, expect, it } from "vitest";
import { parseOwnershipCommand, tableKey } from "../../src/commands/parse.js";

describe("parseOwnershipCommand", () => {
  it.each([
    ["/ownership", { kind: "overview" }],
    ["  /ownership  ", { kind: "overview" }],
    ["/Ownership", { kind: "overview" }],
    ["/ownership help", { kind: "help" }],
    ["/ownership recheck", { kind: "recheck" }],
    ["/ownership map", { kind: "map" }],
    ["/OWNERSHIP Map", { kind: "map" }],
    ["/ownership r10_device", { kind: "table", table: "r10_device" }],
    ["/ownership public.R10_Device", { kind: "table", table: "r10_device" }],
    ['/ownership "r10_device"', { kind: "table", table: "r10_device" }],
    ["/ownership ack r10_device odds reads display_name since 4.2", { kind: "ack", table: "r10_device", reason: "odds reads display_name since 4.2" }],
    ["/ownership ACK r10_device  fine   by us ", { kind: "ack", table: "r10_device", reason: "fine by us" }],
    ["Looks good.\n/ownership recheck\n/ownership help", { kind: "recheck" }],
    ["```\n/ownership help\n```\n/ownership", { kind: "overview" }],
  ])("reads %j", (body, expected) => {
    expect(parseOwnershipCommand(body)).toEqual(expected);
  });

  it.each([
    ["/ownership help me", "`help` takes nothing after it."],
    ["/ownership recheck now", "`recheck` takes nothing after it."],
    ["/ownership map hub", "`map` takes nothing after it."],
    ["/ownership ack", "`ack` needs a table and a reason."],
    ["/ownership ack r10_device", "`ack` needs a reason after the table"],
    ["/ownership ack r10-device because", "`r10-device` is not a table name."],
    ["/ownership r10_device r10_match", "Name one table, and nothing after it."],
    ["/ownership ¿quién?", "is neither a command nor a table name."],
  ])("says what is wrong with %j", (body, problem) => {
    const command = parseOwnershipCommand(body);
    expect(command).toMatchObject({ kind: "malformed", line: body });
    expect(command?.kind === "malformed" ? command.problem : "").toContain(problem);
  });

  it.each([
    ["no command here"],
    ["please run /ownership"],
    ["> /ownership ack r10_device quoted from someone else"],
    ["/ownershipp"],
    ["~~~\n/ownership recheck\n~~~"],
    [""],
  ])("finds no command in %j", (body) => {
    expect(parseOwnershipCommand(body)).toBeUndefined();
  });
});

describe("tableKey", () => {
  it("names tables as the configuration does", () => {
    expect(tableKey('public."R10_Device"')).toBe("r10_device");
  });
});
