import { describe, expect, it } from "vitest";
import { ackMarker, ackRecordsIn, acknowledgementsInConversation, type AckRecord } from "../../src/commands/ack-record.js";

const APP = "shared-schema-guard[bot]";
const record: AckRecord = {
  table: "r10_odd_company",
  headSha: "abc1234",
  by: "olga-odds",
  reason: "odds reads display_name --> since 4.2 <b>",
  services: { odds: ["fp1", "fp2"] },
};

describe("ack markers", () => {
  it("round-trip a record, whatever its reason says", () => {
    const marker = ackMarker(record);
    expect(marker).not.toMatch(/-->.*-->/);
    expect(ackRecordsIn(`Acknowledged.\n\n${marker}`)).toEqual([record]);
  });

  it.each([
    ["no marker", "just words"],
    ["broken JSON", "<!-- shared-schema-guard:ack {nope} -->"],
    ["missing fields", '<!-- shared-schema-guard:ack {"table":"t"} -->'],
    ["fingerprints that are not strings", '<!-- shared-schema-guard:ack {"table":"t","headSha":"s","by":"u","reason":"r","services":{"odds":[1]}} -->'],
  ])("ignore %s", (_what, body) => {
    expect(ackRecordsIn(body)).toEqual([]);
  });
});

describe("acknowledgementsInConversation", () => {
  const marker = ackMarker(record);

  it("trusts only the app's own comments", () => {
    const comments = [
      { body: marker, user: { login: "olga-odds", type: "User" } },
      { body: marker, user: { login: "other-app[bot]", type: "Bot" } },
      { body: marker, user: { login: "Shared-Schema-Guard[bot]", type: "Bot" } },
      { body: null, user: { login: APP, type: "Bot" } },
      { body: marker, user: null },
    ];
    expect(acknowledgementsInConversation(comments, APP)).toEqual([
      { service: "odds", table: "r10_odd_company", fingerprints: ["fp1", "fp2"], by: "olga-odds", reason: record.reason },
    ]);
  });

  it("expands one record into one ack per service", () => {
    const both = ackMarker({ ...record, by: "admin", services: { odds: ["fp1"], notifications: ["fp1", "fp3"] } });
    const acks = acknowledgementsInConversation([{ body: both, user: { login: APP, type: "Bot" } }], APP);
    expect(acks.map((ack) => [ack.service, ack.fingerprints])).toEqual([
      ["odds", ["fp1"]],
      ["notifications", ["fp1", "fp3"]],
    ]);
  });
});
