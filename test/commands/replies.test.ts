import { describe, expect, it } from "vitest";
import { ackRecordsIn } from "../../src/commands/ack-record.js";
import { ackConfirmation, ackRefusedReply, helpReply, malformedReply, nothingToAckReply, recheckRefusedReply } from "../../src/commands/replies.js";

describe("replies", () => {
  it("help lists every command and says what an edited comment does", () => {
    const help = helpReply();
    for (const command of ["`/ownership`", "`/ownership <table>`", "`/ownership ack <table> <reason>`", "`/ownership recheck`", "`/ownership help`"]) {
      expect(help).toContain(command);
    }
    expect(help).toContain("Editing or deleting a comment changes nothing");
  });

  it("a malformed command gets the problem and the usage", () => {
    const text = malformedReply("maria", "/ownership ack r10_device", "`ack` needs a reason.");
    expect(text).toContain("@maria I could not read `/ownership ack r10_device`: `ack` needs a reason.");
    expect(text).toContain("| `/ownership help` |");
  });

  it("a confirmation names the findings, the head SHA, and carries the record", () => {
    const record = { table: "r10_device", headSha: "0123456789", by: "olga", reason: "safe", services: { odds: ["fp1", "fp2"] } };
    const text = ackConfirmation(record, ["notifications"]);
    expect(text).toContain("Acknowledged by @olga on `r10_device` at `0123456`: safe");
    expect(text).toContain("| odds | `fp1`, `fp2` |");
    expect(text).toContain("Not covered by this ack: the consent of notifications.");
    expect(ackRecordsIn(text)).toEqual([record]);
  });

  it("a refusal says which team or permission it needs", () => {
    const refused = ackRefusedReply("sam", "r10_device", [{ service: "hub" }, { service: "odds", team: "r10score/odds" }]);
    expect(refused).toContain("@sam you cannot acknowledge the findings on `r10_device`: that needs a member of @r10score/odds (odds), or a repository admin.");
    expect(refused).toContain("hub has no `team` in the configuration: only a repository admin can consent for it.");
    expect(ackRefusedReply("sam", "t", [{ service: "hub" }])).toContain("that needs a repository admin.");
    expect(recheckRefusedReply("sam")).toContain("needs write access");
    expect(nothingToAckReply("sam", "r10_device", "0123456789")).toContain("nothing on `r10_device` needs another service's consent at `0123456`");
  });
});
