import { describe, expect, it } from "vitest";
import type { ConsumerLookup } from "../../src/core/consumers.js";
import type { MigrationStatement, SchemaChange } from "../../src/core/changes.js";
import { breakingChange } from "../../src/rules/breaking-change.js";
import { consumerTargetsOf } from "../../src/rules/index.js";
import { change, column, config, consumer, migration, review, schema, statement } from "./builders.js";

const base = schema({
  r10_match: {
    createdBy: "hub",
    columns: {
      kickoff: { type: "timestamp with time zone", nullable: true },
      status: { type: "character varying(20)", nullable: false },
      venue: { type: "text", nullable: true, hasDefault: true },
      home: "text",
    },
  },
});

function input(statements: MigrationStatement[], consumers: ConsumerLookup = { uses: [], failures: [] }) {
  return review({ service: "hub", baseSchema: base, headSchema: base, consumers, changedMigrations: [migration("dao/migrations/0574_x.py", statements, { format: "django" })] });
}

const one = (...changes: SchemaChange[]) => [statement(5, changes)];

describe("breaking-change", () => {
  it.each([
    ["an added nullable column", one(change.addColumn("r10_match", column("referee")))],
    ["a type restated unchanged (Django AlterField)", one(change.alterType("r10_match", "kickoff", "timestamp with time zone"))],
    ["NOT NULL on a column already NOT NULL", one(change.setNotNull("r10_match", "status"))],
    ["NOT NULL with a default set in the same statement", one(change.setNotNull("r10_match", "kickoff"), change.setDefault("r10_match", "kickoff"))],
    ["NOT NULL on a column whose base has a default", one(change.setNotNull("r10_match", "venue"))],
    ["NOT NULL after an earlier statement set a default", [statement(1, [change.setDefault("r10_match", "kickoff")]), statement(2, [change.setNotNull("r10_match", "kickoff")])]],
    ["dropping a table the pull request itself created", [statement(1, [change.createTable("r10_tmp", [column("id")])]), statement(2, [change.dropTable("r10_tmp")])]],
    ["renaming a column the pull request itself added", [statement(1, [change.addColumn("r10_match", column("refere"))]), statement(2, [change.renameColumn("r10_match", "refere", "referee")])]],
  ])("valid: %s", (_name, statements) => {
    const reviewed = input(statements, { uses: [consumer("odds", "r10_match")], failures: [] });
    expect(breakingChange.check(reviewed)).toEqual([]);
    expect(consumerTargetsOf(reviewed)).toEqual([]);
  });

  it.each([
    ["drop table", change.dropTable("r10_match"), undefined],
    ["rename table", change.renameTable("r10_match", "r10_fixture"), undefined],
    ["drop column", change.dropColumn("r10_match", "kickoff"), "kickoff"],
    ["rename column", change.renameColumn("r10_match", "kickoff", "kicks_off_at"), "kickoff"],
    ["column type change", change.alterType("r10_match", "kickoff", "date"), "kickoff"],
    ["NOT NULL without a default", change.setNotNull("r10_match", "kickoff"), "kickoff"],
    ["a change to a table outside every migration history", change.dropColumn("auth_user", "email"), "email"],
  ])("invalid: %s is a warning when no other service uses it", (_name, schemaChange, col) => {
    const findings = breakingChange.check(input(one(schemaChange)));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "breaking-change", severity: "warning", column: col, needs: [], consumers: [], loc: { line: 5 } });
  });

  it("is an error naming each consuming service, with its uses", () => {
    const uses = [
      consumer("odds", "r10_match", { column: "kickoff", path: "internal/odds/match.go", line: 31 }),
      consumer("notifications", "r10_match", { access: "write", path: "store/match.go", line: 8 }),
      consumer("odds", "r10_match", { column: "home" }),
      consumer("hub", "r10_match", { column: "kickoff" }),
      consumer("odds", "r10_team", { column: "kickoff" }),
    ];
    const [finding] = breakingChange.check(input(one(change.dropColumn("r10_match", "kickoff")), { uses, failures: [] }));
    expect(finding?.severity).toBe("error");
    expect(finding?.needs).toEqual(["notifications", "odds"]);
    // Column precision: `home` is a different column; hub is the reviewed service; r10_team another table.
    expect(finding?.consumers).toEqual([uses[0], uses[1]]);
    expect(finding?.message).toContain("notifications (1 use, writes) and odds (1 use, reads)");
  });

  it("counts every use of a table for a table change", () => {
    const uses = [consumer("odds", "r10_match", { column: "home" })];
    const [finding] = breakingChange.check(input(one(change.renameTable("r10_match", "r10_fixture")), { uses, failures: [] }));
    expect(finding).toMatchObject({ severity: "error", needs: ["odds"], consumers: uses });
  });

  it("blocks and says so when the consumer lookup failed, never reading it as no consumers", () => {
    const failures = [{ service: "odds", repo: "r10score/r10-odds", reason: "code search rate limit exceeded" }];
    const [finding] = breakingChange.check(input(one(change.dropColumn("r10_match", "kickoff")), { uses: [], failures }));
    expect(finding).toMatchObject({ severity: "error", needs: ["odds"], consumers: [] });
    expect(finding?.message).toContain("failed or was incomplete in odds (r10score/r10-odds, whole search): code search rate limit exceeded");
  });

  it("ignores a lookup failure about another table", () => {
    const failures = [{ service: "odds", repo: "r10score/r10-odds", table: "r10_team", reason: "timeout" }];
    const [finding] = breakingChange.check(input(one(change.dropColumn("r10_match", "kickoff")), { uses: [], failures }));
    expect(finding?.severity).toBe("warning");
  });

  it("gives the pipeline table targets for table changes and column targets otherwise, once each", () => {
    const targets = consumerTargetsOf(
      input([
        statement(1, [change.dropColumn("r10_match", "kickoff"), change.alterType("r10_match", "home", "uuid")]),
        statement(2, [change.renameColumn("r10_match", "kickoff", "x")]),
        statement(3, [change.dropTable("r10_team")]),
      ]),
    );
    // The lock rules add the whole of r10_match: who waits while it is locked.
    expect(targets).toEqual([{ table: "r10_match", column: "kickoff" }, { table: "r10_match", column: "home" }, { table: "r10_team" }, { table: "r10_match" }]);
  });

  describe("NOT NULL that breaks writers", () => {
    const dropDefault: SchemaChange = { kind: "drop-default", table: "r10_match", column: "kickoff", loc: { file: "", line: 1 } };
    const omitting = consumer("odds", "r10_match", { access: "write", omits: "kickoff", path: "internal/odds/match.go", line: 12 });
    const naming = consumer("odds", "r10_match", { access: "write", column: "kickoff", line: 30 });

    it("SET DEFAULT, then SET NOT NULL, then DROP DEFAULT: the drop leaves writers that omit the column failing", () => {
      const statements = [
        statement(1, [change.setDefault("r10_match", "kickoff")]),
        statement(2, [change.setNotNull("r10_match", "kickoff")]),
        statement(3, [dropDefault]),
      ];
      const reviewed = input(statements, { uses: [omitting, naming], failures: [] });
      expect(consumerTargetsOf(reviewed)).toEqual([{ table: "r10_match", column: "kickoff", only: "inserts-omitting" }]);
      const findings = breakingChange.check(reviewed);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ severity: "error", column: "kickoff", needs: ["odds"], consumers: [omitting], loc: { line: 3 } });
    });

    it("the same sequence across two files of one pull request", () => {
      const reviewed = review({
        service: "hub",
        baseSchema: base,
        headSchema: base,
        consumers: { uses: [omitting], failures: [] },
        changedMigrations: [
          migration("migrations/0010.sql", [statement(1, [change.setDefault("r10_match", "kickoff")]), statement(2, [change.setNotNull("r10_match", "kickoff")])]),
          migration("migrations/0011.sql", [statement(1, [dropDefault])]),
        ],
      });
      expect(breakingChange.check(reviewed)).toMatchObject([{ severity: "error", loc: { file: "migrations/0011.sql", line: 1 } }]);
    });

    it("ADD COLUMN … NOT NULL without a default on an existing table", () => {
      const added = change.addColumn("r10_match", column("referee", { nullable: false }));
      const reviewed = input(one(added), { uses: [consumer("odds", "r10_match", { access: "write", omits: "referee" })], failures: [] });
      expect(breakingChange.check(reviewed)).toMatchObject([{ severity: "error", column: "referee", needs: ["odds"] }]);
      expect(breakingChange.check(input(one(change.addColumn("r10_match", column("referee", { nullable: false, hasDefault: true })))))).toEqual([]);
    });

    it("ADD COLUMN … NOT NULL DEFAULT, then DROP DEFAULT (Django's AddField with a Python-side default)", () => {
      const added = change.addColumn("r10_match", column("referee", { nullable: false, hasDefault: true }));
      const dropped: SchemaChange = { kind: "drop-default", table: "r10_match", column: "referee", loc: { file: "", line: 1 } };
      const reviewed = input([statement(1, [added, dropped])], { uses: [consumer("odds", "r10_match", { access: "write", omits: "referee" })], failures: [] });
      expect(breakingChange.check(reviewed)).toMatchObject([{ severity: "error", column: "referee", needs: ["odds"] }]);
      const onNewTable = input([statement(1, [change.createTable("r10_new", [column("a", { nullable: false, hasDefault: true })])]), statement(2, [{ ...dropped, table: "r10_new", column: "a" }])]);
      expect(breakingChange.check(onNewTable)).toEqual([]);
    });

    it("is a warning when no other service writes the table, an error when one is a declared writer", () => {
      const added = one(change.addColumn("r10_match", column("referee", { nullable: false })));
      expect(breakingChange.check(input(added))).toMatchObject([{ severity: "warning", needs: [] }]);
      const declared = review({
        service: "hub",
        config: config({ tables: { r10_match: { owner: "hub", writers: ["hub", "notifications"] } } }),
        baseSchema: base,
        headSchema: base,
        changedMigrations: [migration("m.sql", added)],
      });
      expect(breakingChange.check(declared)).toMatchObject([{ severity: "error", needs: ["notifications"] }]);
    });
  });

  describe("rules, policies and privileges that change what other services' queries do", () => {
    it.each([
      ["REVOKE", { breaks: "uses" as const }, consumer("odds", "r10_match"), undefined],
      ["an INSTEAD rule on INSERT", { breaks: "writes" as const }, consumer("odds", "r10_match", { access: "write" }), "writes"],
    ])("%s breaks the uses it concerns", (_name, detail, use, only) => {
      const revoke: SchemaChange = { kind: "table-detail", table: "r10_match", description: "revokes SELECT from `odds`", loc: { file: "", line: 1 }, ...detail };
      const reviewed = input(one(revoke), { uses: [use, consumer("odds", "r10_match", { access: "read", line: 99 })], failures: [] });
      expect(consumerTargetsOf(reviewed)).toEqual([{ table: "r10_match", ...(only ? { only } : {}) }]);
      const [finding] = breakingChange.check(reviewed);
      expect(finding).toMatchObject({ severity: "error", needs: ["odds"] });
      expect(finding?.consumers.length).toBe(only ? 1 : 2);
    });
  });
});

