import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { parseConfigText } from "../../src/config/parse.js";
import type { GuardConfig } from "../../src/core/config.js";
import type { ConsumerUse } from "../../src/core/consumers.js";
import { buildExampleWorkspace } from "../../src/local/workspace-builder.js";
import { renderMapMarkdown } from "../../src/map/render.js";
import { organisationMap } from "../../src/map/split-readiness.js";
import { emptySchema } from "../../src/model/schema.js";
import type { SchemaState, TableSchema } from "../../src/core/changes.js";

const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true }))));

async function cli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await runCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { status, stdout, stderr };
}

async function workspace(scenario?: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "ssg-map-"));
  folders.push(dir);
  await buildExampleWorkspace(dir, scenario);
  return dir;
}

function config(): GuardConfig {
  const result = parseConfigText(
    `default_owner: hub
services:
  hub: { repo: acme/hub, migrations: [{ path: "m/*.sql", format: sql }], code: ["**/*.py"] }
  billing: { repo: acme/billing, migrations: [{ path: "m/*.sql", format: sql }], code: ["**/*.go"] }
  reports: { repo: acme/reports, code: ["**/*.go"] }
tables:
  invoice: { owner: billing, writers: [hub] }
`,
    "shared-schema.yml",
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

function schema(): SchemaState {
  const state = emptySchema();
  const table = (name: string, createdBy: string, foreignKeys: TableSchema["foreignKeys"] = []) =>
    state.tables.set(name, { name, createdBy, columns: new Map([["id", { type: "bigint", nullable: false }]]), indexes: new Set(), indexColumns: new Map(), foreignKeys });
  table("customer", "hub");
  table("invoice", "billing", [{ columns: ["customer_id"], references: { table: "customer", columns: ["id"] } }]);
  table("payment", "billing");
  return state;
}

function use(service: string, table: string, access: "read" | "write", line = 1): ConsumerUse {
  return { service, repo: `acme/${service}`, path: "db.go", line, table, access };
}

describe("the split-readiness report", () => {
  it("lists per service who else writes and reads its tables, the foreign keys across services and what it uses of others", () => {
    const map = organisationMap(config(), schema(), {
      uses: [use("reports", "invoice", "read", 4), use("hub", "invoice", "write", 9), use("billing", "customer", "read", 2)],
      failures: [],
    });
    const billing = map.services.find((service) => service.service === "billing");
    expect(billing?.owns).toEqual(["invoice", "payment"]);
    expect(billing?.writtenByOthers.map((item) => [item.service, item.table, item.declaredWriter, item.writes.length])).toEqual([["hub", "invoice", true, 1]]);
    expect(billing?.readByOthers.map((item) => [item.service, item.table])).toEqual([["reports", "invoice"]]);
    expect(billing?.foreignKeys).toEqual([{ table: "invoice", columns: ["customer_id"], owner: "billing", references: "customer", referencedOwner: "hub" }]);
    expect(billing?.usesOf.map((item) => [item.table, item.owner])).toEqual([["customer", "hub"]]);
    expect(billing?.blockers).toEqual([
      "single writer: hub writes invoice (acme/hub:db.go:9); move those writes behind billing's API or events",
      "replicate reads: reports reads invoice (acme/reports:db.go:4); give it a replica, an API or events",
      "foreign key: invoice(customer_id) → customer joins billing and hub; replace it with an opaque id",
      "depends on hub: reads customer (acme/billing:db.go:2)",
    ]);
    const reports = map.services.find((service) => service.service === "reports");
    expect(reports?.owns).toEqual([]);
    expect(reports?.blockers).toEqual(["depends on billing: reads invoice (acme/reports:db.go:4)"]);
  });

  it("calls a service ready when nothing of its own is shared and it uses nothing of others", () => {
    const map = organisationMap(config(), schema(), { uses: [], failures: [] });
    const readiness = Object.fromEntries(map.services.map((service) => [service.service, service.blockers]));
    // The configuration still names hub a writer of billing's invoice, and the foreign key joins them.
    expect(readiness.reports).toEqual([]);
    expect(readiness.billing).toEqual([
      "single writer: hub is a declared writer of invoice; move those writes behind billing's API or events",
      "foreign key: invoice(customer_id) → customer joins billing and hub; replace it with an opaque id",
    ]);
    expect(readiness.hub).toEqual([
      "foreign key: invoice(customer_id) → customer joins billing and hub; replace it with an opaque id",
      "depends on billing: writes invoice",
    ]);
    const markdown = renderMapMarkdown(map);
    expect(markdown).toMatch(/^\*\*Split readiness\*\*: 1 of 3 services could move to its own database today \(reports\)\./);
    expect(markdown).toContain("- reports: nothing; its tables are its own.");
  });

  it("says when a consumer search failed, since readers and writers may then be missing", () => {
    const map = organisationMap(config(), schema(), { uses: [], failures: [{ service: "reports", repo: "acme/reports", reason: "search timed out" }] });
    expect(renderMapMarkdown(map)).toContain("⚠️ 1 consumer search failed, so readers and writers may be missing:\n- acme/reports: search timed out");
  });
});

describe("shared-schema-guard map", () => {
  it("maps the bundled organisation: consumers found in the checkouts, as Markdown with a Mermaid picture", async () => {
    const { status, stdout, stderr } = await cli(["map", "--workspace", await workspace()]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toContain("**Split readiness**: 0 of 3 services could move to their own database today.");
    expect(stdout).toContain("```mermaid\nflowchart LR");
    expect(stdout).toContain("| notifications | `r10_live_activity_token`<br>`r10_push_attempt` | none | none | none | `r10_device` (hub)<br>`r10_match` (hub)<br>`r10_notification` (hub) | 🚧 3 steps left |");
    expect(stdout).toContain("  - single writer: odds writes r10_odd_company (r10score/r10-odds:internal/db/companies.go:35); move those writes behind hub's API or events");
    expect(stdout).toContain("  - replicate reads: odds reads r10_match (r10score/r10-odds:internal/db/matches.go:22); give it a replica, an API or events");
  });

  it("prints JSON, with the foreign key a service's migration adds across services", async () => {
    const { status, stdout } = await cli(["map", "--workspace", await workspace("cross-service-fk"), "--format", "json"]);
    expect(status).toBe(0);
    const map = JSON.parse(stdout) as { foreignKeys: { table: string; owner: string; references: string; referencedOwner: string }[]; services: { service: string; ready: boolean }[] };
    expect(map.foreignKeys).toEqual([expect.objectContaining({ owner: "notifications", references: "r10_notification", referencedOwner: "hub" })]);
    expect(map.services.map((service) => [service.service, service.ready])).toEqual([["hub", false], ["notifications", false], ["odds", false]]);
  });

  it("refuses options it does not take", async () => {
    const { status, stderr } = await cli(["map", "--service", "hub"]);
    expect(status).toBe(2);
    expect(stderr).toContain("map does not take --service");
  });
});
