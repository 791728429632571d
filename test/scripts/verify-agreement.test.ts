import { describe, expect, it } from "vitest";
import { compareWithDatabase, percent, type DatabaseDump } from "../../scripts/verify/agreement.js";

const text = { type: "text", nullable: false };
const int = { type: "integer", nullable: false };

function dump(tables: DatabaseDump["tables"]): DatabaseDump {
  return { corpus: "test", django: "3.2", postgresql: "15", labels: ["dao"], tables };
}

describe("agreement of the replayed schema with a database dump", () => {
  it("agrees fully when every column matches, ignoring Django's bookkeeping table", () => {
    const result = compareWithDatabase(
      dump({
        dao_team: { app: "dao", underTest: true, columns: { id: int, name: text } },
        django_migrations: { app: "unknown", underTest: true, columns: { id: int } },
      }),
      { dao_team: { id: int, name: text } },
    );
    expect(result.disagreements).toEqual([]);
    expect(result.underTest).toEqual({ tables: 1, columns: 2, agreeing: 2 });
    expect(percent(result.underTest)).toMatch(/^100/);
  });

  it("counts every kind of disagreement against the agreement", () => {
    const result = compareWithDatabase(
      dump({
        dao_team: { app: "dao", underTest: true, columns: { id: int, name: text, short: text, gone: text } },
        dao_match: { app: "dao", underTest: true, columns: { id: int } },
      }),
      { dao_team: { id: { type: "bigint", nullable: false }, name: { type: "text", nullable: true }, short: text, extra: int }, dao_ghost: { id: int } },
    );
    expect(result.disagreements.map((d) => `${d.kind}:${d.table}.${d.column}`)).toEqual([
      "type:dao_team.id",
      "nullability:dao_team.name",
      "missing-column:dao_team.gone",
      "extra-column:dao_team.extra",
    ]);
    expect(result.missingTables).toEqual(["dao_match"]);
    expect(result.extraTables).toEqual(["dao_ghost"]);
    expect(result.underTest).toEqual({ tables: 3, columns: 7, agreeing: 1 });
  });

  it("tallies tables of the apps a corpus depends on apart", () => {
    const result = compareWithDatabase(
      dump({
        auth_user: { app: "auth", underTest: false, columns: { id: int } },
        dao_team: { app: "dao", underTest: true, columns: { id: int } },
      }),
      { auth_user: { id: { type: "bigint", nullable: false } }, dao_team: { id: int } },
    );
    expect(result.disagreements).toEqual([]);
    expect(result.supportDisagreements).toHaveLength(1);
    expect(result.support).toEqual({ tables: 1, columns: 1, agreeing: 0 });
  });
});
