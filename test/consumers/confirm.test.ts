import { describe, expect, it } from "vitest";
import { confirmUses, unconfirmedMentions } from "../../src/consumers/confirm.js";
import type { CodeSqlAnalysis, TableUse } from "../../src/core/changes.js";

const where = { service: "odds", repo: "r10score/r10-odds" };

function use(line: number, table: string, fields: Partial<TableUse> = {}): TableUse {
  return { table, access: "read", columns: [], possibleColumns: [], allColumns: false, loc: { file: "odds/store.go", line }, ...fields };
}

function analysisOf(...uses: TableUse[]): CodeSqlAnalysis {
  return { file: "odds/store.go", uses, unparsed: [] };
}

describe("confirmUses", () => {
  it("counts any use of the table for a table target", () => {
    const analysis = analysisOf(use(3, "r10_odd_company", { columns: ["name"] }), use(9, "r10_match", { access: "write" }));
    expect(confirmUses(analysis, [{ table: "r10_odd_company" }], where)).toEqual([
      { service: "odds", repo: "r10score/r10-odds", path: "odds/store.go", line: 3, table: "r10_odd_company", access: "read" },
    ]);
  });

  it.each([
    ["names the column", { columns: ["logo_url"] }, "logo_url"],
    ["may name the column in a join", { possibleColumns: ["logo_url"] }, "logo_url"],
    ["uses every column", { allColumns: true }, undefined],
  ])("counts a use for a column target when it %s", (_, fields, column) => {
    const analysis = analysisOf(use(4, "r10_odd_company", fields));
    const consumers = confirmUses(analysis, [{ table: "r10_odd_company", column: "logo_url" }], where);
    expect(consumers.map((consumer) => [consumer.line, consumer.table, consumer.column])).toEqual([[4, "r10_odd_company", column]]);
  });

  it("does not count a consumer that reads only other columns", () => {
    const analysis = analysisOf(use(4, "r10_odd_company", { columns: ["id", "name"], possibleColumns: ["slug"] }));
    expect(confirmUses(analysis, [{ table: "r10_odd_company", column: "logo_url" }], where)).toEqual([]);
  });

  it("compares names as PostgreSQL folds them, and links each use when it can", () => {
    const analysis = analysisOf(use(7, "public.r10_device", { columns: ["Token"], access: "write" }));
    const urlFor = (path: string, line: number): string => `https://github.com/r10score/r10-odds/blob/main/${path}#L${line}`;
    expect(confirmUses(analysis, [{ table: "R10_DEVICE", column: "token" }], { ...where, urlFor })).toEqual([
      {
        service: "odds",
        repo: "r10score/r10-odds",
        path: "odds/store.go",
        line: 7,
        table: "r10_device",
        column: "token",
        access: "write",
        url: "https://github.com/r10score/r10-odds/blob/main/odds/store.go#L7",
      },
    ]);
  });

  it("reports a use once however many targets it meets", () => {
    const analysis = analysisOf(use(2, "r10_device", { columns: ["token"] }));
    const targets = [{ table: "r10_device", column: "token" }, { table: "r10_device", column: "token" }, { table: "r10_device" }];
    expect(confirmUses(analysis, targets, where).map((consumer) => consumer.column)).toEqual(["token", undefined]);
  });
});

describe("unconfirmedMentions", () => {
  it("turns SQL that was not understood but names a target table into an incomplete search", () => {
    const analysis: CodeSqlAnalysis = {
      file: "odds/store.go",
      uses: [],
      unparsed: [
        { loc: { file: "odds/store.go", line: 12 }, reason: "dynamic SQL", context: "code", sql: 'SELECT … FROM "r10_device"' },
        { loc: { file: "odds/store.go", line: 20 }, reason: "syntax error", context: "code", sql: "SELECT * FROM r10_device_token" },
        { loc: { file: "odds/store.go", line: 30 }, reason: "file does not parse", context: "code" },
      ],
    };
    expect(unconfirmedMentions(analysis, [{ table: "r10_device", column: "token" }], where)).toEqual([
      {
        service: "odds",
        repo: "r10score/r10-odds",
        table: "r10_device",
        reason: "odds/store.go:12 may use r10_device, but its SQL could not be understood (dynamic SQL)",
      },
    ]);
  });

  it("says nothing when the uses confirmed on that line already answer the target", () => {
    const analysis: CodeSqlAnalysis = {
      file: "odds/store.go",
      uses: [use(12, "r10_device", { columns: ["id"] })],
      unparsed: [{ loc: { file: "odds/store.go", line: 12 }, reason: "dynamic SQL", context: "code", sql: "SELECT id, … FROM r10_device" }],
    };
    expect(unconfirmedMentions(analysis, [{ table: "r10_device" }], where)).toEqual([]);
    expect(unconfirmedMentions(analysis, [{ table: "r10_device" }, { table: "r10_device", column: "token" }], where)).toEqual([
      expect.objectContaining({ table: "r10_device", reason: expect.stringContaining("odds/store.go:12") }),
    ]);
  });
});

describe("confirmUses at the right precision", () => {
  const target = { table: "r10_match", column: "kickoff" };

  it("a whole-row DELETE that never names the column is not a consumer of it", () => {
    const analysis = analysisOf(use(5, "r10_match", { access: "write", columns: ["status"] }));
    expect(confirmUses(analysis, [target], where)).toEqual([]);
  });

  it("`*` counts, and says it uses every column", () => {
    const [consumer] = confirmUses(analysisOf(use(6, "r10_match", { allColumns: true })), [target], where);
    expect(consumer).toMatchObject({ line: 6, allColumns: true });
    expect(consumer?.column).toBeUndefined();
  });

  it.each([
    ["an INSERT whose column list leaves it out", { columns: ["home"], insert: { columns: ["home"] } }, [[7, "kickoff", undefined]]],
    ["an INSERT without a column list", { allColumns: true, insert: { columns: "all" as const } }, [[7, "kickoff", true]]],
    ["an INSERT that gives it a value", { columns: ["kickoff"], insert: { columns: ["kickoff"] } }, []],
    ["an UPDATE", { columns: ["home"] }, []],
  ])("for a new NOT NULL, counts %s", (_name, fields, expected) => {
    const analysis = analysisOf(use(7, "r10_match", { access: "write", ...fields }));
    const consumers = confirmUses(analysis, [{ ...target, only: "inserts-omitting" }], where);
    expect(consumers.map((consumer) => [consumer.line, consumer.omits, consumer.allColumns])).toEqual(expected);
  });

  it("for a write-only target, reads do not count", () => {
    const analysis = analysisOf(use(8, "r10_match"), use(9, "r10_match", { access: "write" }));
    expect(confirmUses(analysis, [{ table: "r10_match", only: "writes" }], where).map((consumer) => consumer.line)).toEqual([9]);
  });
});
