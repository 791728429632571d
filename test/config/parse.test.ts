import { describe, expect, it } from "vitest";
import { parseConfigObject, parseConfigText, type ConfigResult } from "../../src/config/parse.js";
import { formatConfigProblem } from "../../src/config/problems.js";
import { parse as parseYaml } from "yaml";

const FILE = ".github/shared-schema.yml";

const specExample = `prefix: r10_                      # optional; rule 4 is off without it
default_owner: hub                # owner of tables no entry below names
services:
  hub:
    repo: r10score/r10-hub
    team: r10score/backend        # optional: who may /ownership ack for this service
    migrations:
      - { path: "dao/migrations/*.py", format: django, app_label: dao }
    code: ["**/*.py"]             # where raw SQL / model definitions live
  notifications:
    repo: r10score/r10-notifications
    team: r10score/notifications
    migrations:
      - { path: "migrations/*.sql", format: sql }
    code: ["**/*.go"]
  odds:
    repo: r10score/r10-odds
    code: ["**/*.go"]
tables:
  r10_live_activity_token: { owner: notifications }
  r10_notification: { owner: hub, writers: [notifications] }
  r10_device: { owner: hub, writers: [notifications] }
  r10_odd_company: { owner: hub, writers: [odds] }
rules:                            # optional severity overrides: error | warning | notice | off
  non-idempotent-migration: warning
`;

function problemLines(result: ConfigResult): string[] {
  if (result.ok) throw new Error("expected problems, the configuration was accepted");
  return result.problems.map(formatConfigProblem);
}

describe("parseConfigText with a valid file", () => {
  it("reads SPEC's example into a GuardConfig", () => {
    const result = parseConfigText(specExample, FILE);
    if (!result.ok) throw new Error(result.problems.map(formatConfigProblem).join("\n"));
    const { config } = result;
    expect(config.prefix).toBe("r10_");
    expect(config.defaultOwner).toBe("hub");
    expect([...config.services.keys()]).toEqual(["hub", "notifications", "odds"]);
    expect(config.services.get("hub")).toEqual({
      name: "hub",
      repo: "r10score/r10-hub",
      team: "r10score/backend",
      migrations: [{ path: "dao/migrations/*.py", format: "django", appLabel: "dao" }],
      code: ["**/*.py"],
    });
    expect(config.services.get("odds")).toEqual({ name: "odds", repo: "r10score/r10-odds", migrations: [], code: ["**/*.go"] });
    expect(config.tables.get("r10_live_activity_token")).toEqual({ owner: "notifications", writers: ["notifications"] });
    expect(config.tables.get("r10_device")).toEqual({ owner: "hub", writers: ["hub", "notifications"] });
    expect(config.rules).toEqual({ "non-idempotent-migration": "warning" });
  });

  it("keeps auth_user_model and leaves prefix, tables and rules optional", () => {
    const result = parseConfigText(
      `default_owner: hub
services:
  hub:
    repo: r10score/r10-hub
    migrations:
      - { path: "dao/migrations/*.py", format: django, app_label: dao, auth_user_model: dao.Account, default_auto_field: django.db.models.BigAutoField }
      - { path: "billing/migrations/*.py", format: django, app_label: billing }
tables:
rules:
`,
      FILE,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.prefix).toBeUndefined();
    expect(result.config.services.get("hub")?.migrations).toEqual([
      { path: "dao/migrations/*.py", format: "django", appLabel: "dao", authUserModel: "dao.Account", defaultAutoField: "django.db.models.BigAutoField" },
      { path: "billing/migrations/*.py", format: "django", appLabel: "billing" },
    ]);
    expect(result.config.tables.size).toBe(0);
    expect(result.config.rules).toEqual({});
  });

  it("lower-cases table names and drops the public schema, as PostgreSQL resolves them", () => {
    const result = parseConfigText(
      `default_owner: hub
services: { hub: { repo: a/hub }, odds: { repo: a/odds } }
tables:
  R10_Odd_Company: { owner: hub, writers: [odds, hub] }
  public.r10_match: { owner: hub }
`,
      FILE,
    );
    if (!result.ok) throw new Error("rejected");
    expect([...result.config.tables.keys()]).toEqual(["r10_odd_company", "r10_match"]);
    expect(result.config.tables.get("r10_odd_company")?.writers).toEqual(["hub", "odds"]);
  });

  it("tolerates the _extends key Probot uses for inheritance", () => {
    const result = parseConfigText(`_extends: .github\ndefault_owner: hub\nservices: { hub: { repo: a/hub } }\n`, FILE);
    expect(result.ok).toBe(true);
  });
});

describe("parseConfigText reports each problem with its path, line and column", () => {
  const cases: { name: string; replace: [string, string]; expected: string[] }[] = [
    {
      name: "an unknown migration format",
      replace: ["format: sql }", "format: sqll }"],
      expected: [`${FILE}:14:45: services.notifications.migrations[0].format: must be one of django, sql, goose, dbmate (got "sqll")`],
    },
    {
      name: "a django entry without app_label",
      replace: [", app_label: dao }", " }"],
      expected: [
        `${FILE}:8:9: services.hub.migrations[0].app_label: is required for format django: the label of the Django app these migrations belong to (e.g. dao)`,
      ],
    },
    {
      name: "default_auto_field on a non-django entry",
      replace: ["format: sql }", "format: sql, default_auto_field: BigAutoField }"],
      expected: [`${FILE}:14:50: services.notifications.migrations[0].default_auto_field: applies only to format django (this entry is sql)`],
    },
    {
      name: "a default_auto_field that is no auto field",
      replace: [", app_label: dao }", ", app_label: dao, default_auto_field: UUIDField }"],
      expected: [
        `${FILE}:8:92: services.hub.migrations[0].default_auto_field: must be AutoField, BigAutoField or SmallAutoField, optionally with its module, e.g. "django.db.models.BigAutoField"`,
      ],
    },
    {
      name: "app_label on a non-django entry",
      replace: ["format: sql }", "format: sql, app_label: x }"],
      expected: [`${FILE}:14:50: services.notifications.migrations[0].app_label: applies only to format django (this entry is sql)`],
    },
    {
      name: "an unknown table owner",
      replace: ["{ owner: notifications }", "{ owner: notification }"],
      expected: [`${FILE}:20:37: tables.r10_live_activity_token.owner: unknown service "notification" (services: hub, notifications, odds)`],
    },
    {
      name: "an unknown writer",
      replace: ["writers: [odds]", "writers: [hub, od]"],
      expected: [`${FILE}:23:49: tables.r10_odd_company.writers[1]: unknown service "od" (services: hub, notifications, odds)`],
    },
    {
      name: "an unknown default_owner",
      replace: ["default_owner: hub ", "default_owner: monolith "],
      expected: [`${FILE}:2:16: default_owner: unknown service "monolith" (services: hub, notifications, odds)`],
    },
    {
      name: "an unknown rule id",
      replace: ["non-idempotent-migration: warning", "non-idempotent: warning"],
      expected: [
        `${FILE}:25:3: rules.non-idempotent: unknown rule id "non-idempotent" (rules: foreign-schema-change, cross-service-foreign-key, table-prefix, breaking-change, foreign-write, unknown-reference, non-idempotent-migration, undeclared-table, unparsed-sql, non-concurrent-index, concurrently-in-transaction, constraint-without-not-valid, set-not-null-without-check, unique-without-index, rewriting-type-change, volatile-default, missing-lock-timeout, table-rewrite-maintenance, backfill-in-migration)`,
      ],
    },
    {
      name: "an unknown severity",
      replace: ["non-idempotent-migration: warning", "non-idempotent-migration: warn"],
      expected: [`${FILE}:25:29: rules.non-idempotent-migration: must be one of error, warning, notice, off (got "warn")`],
    },
    {
      name: "a repository listed twice, in any letter case",
      replace: ["repo: r10score/r10-odds", "repo: R10score/R10-Hub"],
      expected: [`${FILE}:17:11: services.odds.repo: repository R10score/R10-Hub is already listed for service "hub"`],
    },
    {
      name: "a service name that is not lower-case",
      replace: ["  odds:\n", "  Odds:\n"],
      expected: [
        `${FILE}:16:3: services.Odds: service names are lower-case letters, digits, "-" and "_", starting with a letter (got "Odds")`,
        `${FILE}:23:44: tables.r10_odd_company.writers[0]: unknown service "odds" (services: hub, notifications, Odds)`,
      ],
    },
    {
      name: "two table entries that differ only in case",
      replace: ["  r10_device:", "  R10_NOTIFICATION:"],
      expected: [`${FILE}:22:3: tables.R10_NOTIFICATION: names the same table as "r10_notification" (table names are not case-sensitive)`],
    },
    {
      name: "a table key that is not a table name",
      replace: ["  r10_device:", "  r10 device:"],
      expected: [`${FILE}:22:3: tables["r10 device"]: "r10 device" is not a table name`],
    },
    {
      name: "an unknown key",
      replace: ["    team: r10score/backend", "    teams: r10score/backend"],
      expected: [`${FILE}:6:5: services.hub.teams: unknown key "teams" (expected one of: repo, team, migrations, code)`],
    },
    {
      name: "a missing repo, placed on the service that lacks it",
      replace: ["    repo: r10score/r10-odds\n", ""],
      expected: [`${FILE}:16:3: services.odds.repo: is required (a string)`],
    },
    {
      name: "a repo that is not owner/name",
      replace: ["repo: r10score/r10-odds", "repo: r10-odds"],
      expected: [`${FILE}:17:11: services.odds.repo: must be "owner/name", e.g. "r10score/r10-hub"`],
    },
    {
      name: "a list where a mapping belongs",
      replace: ["tables:\n", "tables:\n  - r10_x\nx_tables:\n"],
      expected: [
        `${FILE}:20:3: tables: must be a mapping (got a list)`,
        `${FILE}:21:1: x_tables: unknown key "x_tables" (expected one of: prefix, default_owner, postgres, services, tables, rules)`,
      ],
    },
    {
      name: "a prefix with capitals",
      replace: ["prefix: r10_ ", "prefix: R10_ "],
      expected: [`${FILE}:1:9: prefix: must be lower-case letters, digits and underscores, e.g. r10_`],
    },
  ];

  it.each(cases)("$name", ({ replace, expected }) => {
    const [from, to] = replace;
    expect(specExample).toContain(from);
    expect(problemLines(parseConfigText(specExample.replace(from, to), FILE))).toEqual(expected);
  });

  it("lists every semantic problem at once, in file order", () => {
    const text = specExample
      .replace("default_owner: hub ", "default_owner: monolith ")
      .replace("{ owner: notifications }", "{ owner: notification }");
    expect(problemLines(parseConfigText(text, FILE)).map((line) => line.split(": ")[0])).toEqual([`${FILE}:2:16`, `${FILE}:20:37`]);
  });

  it("turns YAML syntax errors into problems with the line yaml reports", () => {
    const lines = problemLines(parseConfigText("default_owner: hub\nservices:\n  hub: { repo: a/b\n", FILE));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^\.github\/shared-schema\.yml:\d+:\d+: /);
  });

  it("reports duplicate keys with the line of the repeated key", () => {
    expect(problemLines(parseConfigText("default_owner: hub\ndefault_owner: odds\n", FILE))).toEqual([
      `${FILE}:2:1: default_owner: repeats the key "default_owner" (keys must be unique)`,
    ]);
  });

  it("rejects an empty file and a document that is not a mapping", () => {
    expect(problemLines(parseConfigText("# nothing yet\n", FILE))).toEqual([
      `${FILE}:1:1: the file is empty: it must at least name default_owner and the services`,
    ]);
    expect(problemLines(parseConfigText("- hub\n", FILE))).toEqual([`${FILE}:1:1: must be a mapping (got a list)`]);
  });

  it("requires at least one service", () => {
    expect(problemLines(parseConfigText("default_owner: hub\nservices: {}\n", FILE))).toEqual([
      `${FILE}:2:11: services: must name at least one service`,
      `${FILE}:1:16: default_owner: unknown service "hub" (services: )`,
    ].sort((a, b) => a.localeCompare(b)));
  });
});

describe("parseConfigObject", () => {
  it("accepts what Probot's context.config returns", () => {
    const result = parseConfigObject(parseYaml(specExample), FILE);
    expect(result.ok).toBe(true);
  });

  it("gives the same problems without line numbers", () => {
    const object = parseYaml(specExample.replace("format: sql }", "format: djano }")) as unknown;
    expect(problemLines(parseConfigObject(object, FILE))).toEqual([
      `${FILE}: services.notifications.migrations[0].format: must be one of django, sql, goose, dbmate (got "djano")`,
    ]);
  });

  it("reports a missing configuration object instead of throwing", () => {
    expect(problemLines(parseConfigObject(null, FILE))).toEqual([
      `${FILE}: the file is empty: it must at least name default_owner and the services`,
    ]);
  });
});

describe("formatConfigProblem", () => {
  it("omits what it does not know", () => {
    expect(formatConfigProblem({ file: "f.yml", path: "", message: "m" })).toBe("f.yml: m");
    expect(formatConfigProblem({ file: "f.yml", path: "a.b", line: 3, message: "m" })).toBe("f.yml:3: a.b: m");
  });
});

describe("parseConfigText on hostile files", () => {
  const head = "default_owner: hub\nservices:\n  hub:\n    repo: r10score/r10-hub\n";
  const tables = (count: number) => {
    const lines = [head, "tables:\n"];
    for (let index = 0; index < count; index++) lines.push(`  r10_t${index}: { owner: hub }\n`);
    return lines.join("");
  };

  it("refuses a file over the size limit at once, saying so", () => {
    const started = performance.now();
    const lines = problemLines(parseConfigText(tables(200_000), FILE));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(lines).toEqual([expect.stringMatching(/^\.github\/shared-schema\.yml:1:1: is \d+ bytes, more than the limit of 1048576 bytes \(1 MiB\)/)]);
  });

  it("validates in time linear in the file: duplicate keys are found in one pass", () => {
    const text = `${tables(30_000)}  r10_t7: { owner: hub }\n`;
    expect(Buffer.byteLength(text)).toBeLessThan(1_048_576);
    const started = performance.now();
    expect(problemLines(parseConfigText(text, FILE))).toEqual([
      `${FILE}:30006:3: tables.r10_t7: repeats the key "r10_t7" (keys must be unique)`,
    ]);
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it.each([
    ["a service", "default_owner: hub\nservices:\n  __proto__:\n    repo: r10score/x\n  hub:\n    repo: r10score/r10-hub\n", `${FILE}:3:3: services.__proto__`],
    ["a table", `${head}tables:\n  __proto__: { owner: hub }\n`, `${FILE}:6:3: tables.__proto__`],
    ["a rule", `${head}rules:\n  __proto__: off\n`, `${FILE}:6:3: rules.__proto__`],
    ["a table, as constructor", `${head}tables:\n  constructor: { owner: hub }\n`, `${FILE}:6:3: tables.constructor`],
  ])("rejects __proto__ and other reserved names as %s, with the place", (_what, text, place) => {
    const lines = problemLines(parseConfigText(text, FILE));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${place.replaceAll(".", "\\.").replaceAll("[", "\\[")}: ".+" is a reserved name`));
  });

  it("rejects reserved names in an object parsed elsewhere too", () => {
    const value = JSON.parse('{"default_owner":"hub","services":{"hub":{"repo":"a/b"}},"tables":{"__proto__":{"owner":"hub"}}}') as unknown;
    expect(problemLines(parseConfigObject(value, FILE))).toEqual([
      `${FILE}: tables.__proto__: "__proto__" is a reserved name and cannot name a service, table, rule or setting`,
    ]);
  });

  it.each([
    ["flow sequences", `${head}x: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`],
    ["flow mappings", `${head}x: ${"{a: ".repeat(20_000)}${"}".repeat(20_000)}\n`],
    ["block sequences", `${head}x:\n${"- ".repeat(20_000)}a\n`],
  ])("gives a proper error for 20,000-deep %s", (_what, text) => {
    const lines = problemLines(parseConfigText(text, FILE));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\.github\/shared-schema\.yml:\d+:\d+: (x: )?nests deeper than 64 levels$/);
  });

  it("stops an alias that contains itself", () => {
    expect(problemLines(parseConfigText(`${head}x: &loop [*loop]\n`, FILE))[0]).toMatch(/nests deeper than 64 levels$/);
  });
});
