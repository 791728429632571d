import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/parse.js";
import { ownerOf, serviceByRepo, writersOf } from "../../src/core/ownership.js";
import type { GuardConfig } from "../../src/core/config.js";

function config(): GuardConfig {
  const result = parseConfigText(
    `default_owner: hub
services:
  hub: { repo: r10score/r10-hub }
  notifications: { repo: r10score/r10-notifications }
  odds: { repo: r10score/r10-odds }
tables:
  r10_live_activity_token: { owner: notifications }
  r10_odd_company: { owner: hub, writers: [odds] }
`,
    "shared-schema.yml",
  );
  if (!result.ok) throw new Error("fixture configuration rejected");
  return result.config;
}

describe("ownerOf", () => {
  it("takes the configured owner first, whoever created the table", () => {
    expect(ownerOf(config(), "r10_live_activity_token", "hub")).toBe("notifications");
  });
  it("falls back to the creating service, then to default_owner", () => {
    expect(ownerOf(config(), "r10_new_thing", "odds")).toBe("odds");
    expect(ownerOf(config(), "r10_new_thing")).toBe("hub");
  });
  it("resolves names the way PostgreSQL does", () => {
    expect(ownerOf(config(), "public.R10_Live_Activity_Token")).toBe("notifications");
  });
});

describe("writersOf", () => {
  it("includes the owner with the declared writers", () => {
    expect(writersOf(config(), "r10_odd_company")).toEqual(["hub", "odds"]);
  });
  it("defaults to the owner alone", () => {
    expect(writersOf(config(), "r10_live_activity_token")).toEqual(["notifications"]);
    expect(writersOf(config(), "r10_unlisted", "odds")).toEqual(["odds"]);
    expect(writersOf(config(), "r10_unlisted")).toEqual(["hub"]);
  });
});

describe("serviceByRepo", () => {
  it("finds a service by owner/name in any letter case", () => {
    expect(serviceByRepo(config(), "R10score/R10-Odds")?.name).toBe("odds");
    expect(serviceByRepo(config(), "r10score/elsewhere")).toBeUndefined();
  });
});
