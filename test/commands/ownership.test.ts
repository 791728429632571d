import { describe, expect, it } from "vitest";
import { ownershipDiagram, ownershipOf, renderOverview, renderTableOwnership } from "../../src/commands/ownership.js";
import type { GuardConfig } from "../../src/core/config.js";
import type { ConsumerUse } from "../../src/core/consumers.js";

const config: GuardConfig = {
  prefix: "r10_",
  defaultOwner: "hub",
  services: new Map(),
  tables: new Map([
    ["r10_odd_company", { owner: "hub", writers: ["hub", "odds"] }],
    ["r10_match", { owner: "hub", writers: ["hub"] }],
  ]),
  rules: {},
};

function use(overrides: Partial<ConsumerUse>): ConsumerUse {
  return {
    service: "odds",
    repo: "r10score/r10-odds",
    path: "internal/db/companies.go",
    line: 14,
    table: "r10_odd_company",
    column: "name",
    access: "read",
    url: "https://github.com/r10score/r10-odds/blob/main/internal/db/companies.go#L14",
    ...overrides,
  };
}

const uses = [
  use({}),
  use({ service: "notifications", repo: "r10score/r10-notifications", path: "store/match.go", line: 9, table: "r10_match", column: "status", url: undefined }),
  use({ path: "internal/db/companies.go", line: 30, access: "write", column: undefined }),
];

describe("ownershipOf", () => {
  it("gives each touched table its owner, writers and consumers", () => {
    const tables = ownershipOf(config, ["r10_match", "R10_ODD_COMPANY", "r10_unlisted"], uses);
    expect(tables.map((table) => [table.table, table.owner, table.writers, table.consumers.length])).toEqual([
      ["r10_match", "hub", ["hub"], 1],
      ["r10_odd_company", "hub", ["hub", "odds"], 2],
      ["r10_unlisted", "hub", ["hub"], 0],
    ]);
  });
});

describe("ownershipDiagram", () => {
  it("draws each service's strongest relation to each table", () => {
    const diagram = ownershipDiagram(ownershipOf(config, ["r10_odd_company", "r10_match"], uses));
    expect(diagram.split("\n")).toEqual([
      "```mermaid",
      "flowchart LR",
      '  s0["hub"]',
      '  s1["notifications"]',
      '  s2["odds"]',
      '  t0[("r10_match")]',
      '  t1[("r10_odd_company")]',
      "  s0 ==>|owns| t0",
      "  s1 -.->|reads| t0",
      "  s0 ==>|owns| t1",
      "  s2 -->|writes| t1",
      "```",
    ]);
  });

  it("quotes labels that hold quotes", () => {
    const diagram = ownershipDiagram([{ table: 'odd"name', owner: "hub", writers: ["hub"], consumers: [] }]);
    expect(diagram).toContain('t0[("odd#quot;name")]');
  });
});

describe("rendered replies", () => {
  it("/ownership: a table of the touched tables and the diagram", () => {
    expect(renderOverview(ownershipOf(config, ["r10_odd_company", "r10_match"], uses), "0123456789abcdef")).toMatchSnapshot();
  });

  it("/ownership with nothing touched says so", () => {
    expect(renderOverview([], "0123456789abcdef")).toBe("This pull request touches no table at `0123456`.");
  });

  it("/ownership <table>: every use found, linked", () => {
    const [table] = ownershipOf(config, ["r10_odd_company"], uses);
    expect(table && renderTableOwnership(table, true)).toMatchSnapshot();
  });

  it("/ownership <table> for a table the configuration does not name, used nowhere", () => {
    const [table] = ownershipOf(config, ["r10_unlisted"], []);
    const text = table ? renderTableOwnership(table, false) : "";
    expect(text).toContain("owner: hub (not named in the configuration: the default owner)");
    expect(text).toContain("No other service was found using it.");
  });
});
