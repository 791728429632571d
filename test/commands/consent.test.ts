import { describe, expect, it } from "vitest";
import { ackRecordFor, consentNeeded, teamsOf } from "../../src/commands/consent.js";
import type { ServiceConfig } from "../../src/core/config.js";
import { finding } from "../app/helpers.js";

const findings = [
  finding({ table: "r10_device", needs: ["odds", "notifications"], fingerprint: "b" }),
  finding({ table: "R10_DEVICE", needs: ["odds"], fingerprint: "a" }),
  finding({ table: "r10_device", needs: ["odds"], fingerprint: "warn", severity: "warning" }),
  finding({ table: "r10_device", needs: ["odds"], fingerprint: "quiet", suppressed: true }),
  finding({ table: "r10_match", needs: ["odds"], fingerprint: "other-table" }),
  finding({ table: "r10_device", needs: ["odds"], fingerprint: "done", acknowledged: true }),
];

describe("consentNeeded", () => {
  it("lists, by service, the blocking findings on the table, acknowledged or not", () => {
    expect(consentNeeded(findings, "public.r10_device")).toEqual(
      new Map([
        ["odds", ["b", "a", "done"]],
        ["notifications", ["b"]],
      ]),
    );
  });

  it("is empty for a table with nothing blocking", () => {
    expect(consentNeeded(findings, "r10_notification").size).toBe(0);
  });
});

describe("ackRecordFor", () => {
  const needed = new Map([
    ["odds", ["b", "a"]],
    ["notifications", ["b"]],
  ]);
  const ack = { table: "R10_device", headSha: "sha", by: "olga", reason: "fine" };

  it.each([
    ["an admin consents for every service", { kind: "admin" } as const, { odds: ["a", "b"], notifications: ["b"] }],
    ["a team member for their services", { kind: "teams", services: ["odds"] } as const, { odds: ["a", "b"] }],
  ])("%s", (_who, authority, services) => {
    expect(ackRecordFor(needed, authority, ack)).toEqual({ table: "r10_device", headSha: "sha", by: "olga", reason: "fine", services });
  });

  it("records nothing for someone in none of the teams", () => {
    expect(ackRecordFor(needed, { kind: "teams", services: ["hub"] }, ack)).toBeUndefined();
  });
});

describe("teamsOf", () => {
  it("names each service's team, or none", () => {
    const services = new Map<string, ServiceConfig>([
      ["odds", { name: "odds", repo: "o/odds", team: "o/odds-team", migrations: [], code: [] }],
      ["hub", { name: "hub", repo: "o/hub", migrations: [], code: [] }],
    ]);
    expect(teamsOf(["odds", "hub"], services)).toEqual([{ service: "hub" }, { service: "odds", team: "o/odds-team" }]);
  });
});
