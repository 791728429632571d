// Reviews as the pipeline hands them to the report: real rule output, finished.
import { finishFindings, conclusionOf } from "../../src/findings/finish.js";
import { rules, runRules } from "../../src/rules/index.js";
import type { ReviewReport } from "../../src/report/types.js";
import type { Acknowledgement } from "../../src/core/findings.js";
import { change, column, config, consumer, migration, review, schema, statement } from "../rules/builders.js";

// The lock-timeout warning would join every example; test/report/lock-report.test.ts renders the lock rules.
const guard = config({ tables: { r10_match: { owner: "hub" }, r10_odd_company: { owner: "hub", writers: ["odds"] } }, rules: { "missing-lock-timeout": "off" } });
const base = schema({
  r10_match: { createdBy: "hub", columns: { id: "uuid", kickoff: "timestamp with time zone", venue: "text" } },
  r10_odd_company: { createdBy: "hub", columns: { id: "uuid" } },
});

const kickoffReaders = [
  consumer("odds", "r10_match", { column: "kickoff", path: "internal/odds/match.go", line: 31, url: "https://github.com/r10score/r10-odds/blob/main/internal/odds/match.go#L31" }),
  consumer("notifications", "r10_match", { column: "kickoff", path: "internal/reminders/query.go", line: 12 }),
];

function reportOf(input: ReturnType<typeof review>, extra: { suppressions?: Parameters<typeof finishFindings>[1]["suppressions"]; acks?: Acknowledgement[]; notes?: string[] } = {}): ReviewReport {
  const findings = finishFindings(runRules(input), { config: input.config, rules, suppressions: extra.suppressions ?? [], acks: extra.acks ?? [] });
  return {
    service: input.service,
    repo: "r10score/r10-hub",
    headSha: "9f2c4e1d0b7a6c5e4f3a2b1c0d9e8f7a6b5c4d3e",
    conclusion: conclusionOf(findings),
    findings,
    consumers: input.consumers,
    notes: extra.notes ?? [],
  };
}

const breakingInput = review({
  config: guard,
  service: "hub",
  baseSchema: base,
  headSchema: base,
  consumers: { uses: kickoffReaders, failures: [] },
  changedMigrations: [
    migration(
      "dao/migrations/0574_match_kickoff.py",
      [statement(14, [change.renameColumn("r10_match", "kickoff", "kicks_off_at")]), statement(20, [change.dropColumn("r10_match", "venue")])],
      { format: "django" },
    ),
  ],
});

/** hub renames a column odds and notifications read, and drops an unused one. */
export function blockingReview(): ReviewReport {
  return reportOf(breakingInput);
}

/** hub adds a nullable column: nothing for anyone else. */
export function cleanReview(): ReviewReport {
  return reportOf(
    review({
      config: guard,
      baseSchema: base,
      headSchema: base,
      changedMigrations: [migration("dao/migrations/0575_referee.py", [statement(9, [change.addColumn("r10_match", column("referee"))])], { format: "django" })],
    }),
  );
}

/** The blocking review once odds and notifications acked the rename, with an unprefixed scratch table suppressed. */
export function settledReview(): ReviewReport {
  const rename = blockingReview().findings.find((finding) => finding.column === "kickoff");
  const acks = ["odds", "notifications"].map(
    (service): Acknowledgement => ({ service, table: "r10_match", fingerprints: rename ? [rename.fingerprint] : [], by: `${service}-lead`, reason: "reads moved to kicks_off_at" }),
  );
  const file = "dao/migrations/0574_match_kickoff.py";
  const input = {
    ...breakingInput,
    changedMigrations: [
      migration(
        file,
        [
          statement(14, [change.renameColumn("r10_match", "kickoff", "kicks_off_at")]),
          statement(20, [change.dropColumn("r10_match", "venue")]),
          statement(31, [change.createTable("import_scratch", [column("id", { type: "uuid" })])]),
        ],
        { format: "django" },
      ),
    ],
  };
  const suppressions = [{ loc: { file, line: 30 }, appliesToLine: 31, rule: "table-prefix", reason: "scratch table for the one-off import, dropped in 0576" }];
  return reportOf(input, { acks, suppressions, notes: ["odds has no migrations configured: its tables are taken from the other services' histories."] });
}
