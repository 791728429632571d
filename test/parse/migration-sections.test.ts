import { describe, expect, test } from "vitest";
import { hasUpMarker, upSection } from "../../src/parse/migration-sections.js";

describe("upSection", () => {
  test("sql: the whole text", () => {
    expect(upSection("CREATE TABLE a (id int);\nDROP TABLE b;", "sql")).toBe("CREATE TABLE a (id int);\nDROP TABLE b;");
  });

  test("goose: Up kept, Down blanked, line count preserved", () => {
    const text = [
      "-- a header comment",
      "-- +goose Up",
      "-- +goose StatementBegin",
      "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;",
      "-- +goose StatementEnd",
      "-- +goose Down",
      "DROP FUNCTION f;",
    ].join("\n");
    const up = upSection(text, "goose");
    expect(up.split("\n")).toEqual([
      "",
      "",
      "-- +goose StatementBegin",
      "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;",
      "-- +goose StatementEnd",
      "",
      "",
    ]);
  });

  test("goose markers are case-insensitive and may repeat", () => {
    const text = ["-- +goose up", "A;", "-- +goose down", "B;", "--  +goose Up", "C;"].join("\n");
    expect(upSection(text, "goose").split("\n")).toEqual(["", "A;", "", "", "", "C;"]);
  });

  test("dbmate: migrate:up kept, migrate:down never read", () => {
    const text = ["-- migrate:up transaction:false", "CREATE INDEX CONCURRENTLY i ON t (a);", "", "-- migrate:down", "DROP INDEX i;"].join("\n");
    expect(upSection(text, "dbmate").split("\n")).toEqual(["", "CREATE INDEX CONCURRENTLY i ON t (a);", "", "", ""]);
  });

  test("a down section first, then up", () => {
    const text = ["-- migrate:down", "DROP TABLE t;", "-- migrate:up", "CREATE TABLE t (a int);"].join("\n");
    expect(upSection(text, "dbmate").split("\n")).toEqual(["", "", "", "CREATE TABLE t (a int);"]);
  });

  test("CRLF files keep their lines", () => {
    expect(upSection("-- +goose Up\r\nA;\r\n-- +goose Down\r\nB;\r\n", "goose")).toBe("\nA;\r\n\n\n");
  });

  test("a goose marker does not count in dbmate files and vice versa", () => {
    expect(upSection("-- +goose Up\nA;", "dbmate")).toBe("\n");
    expect(upSection("-- migrate:up\nA;", "goose")).toBe("\n");
  });
});

describe("hasUpMarker", () => {
  test.each([
    ["-- +goose Up\nA;", "goose", true],
    ["-- +goose Down\nA;", "goose", false],
    ["A;", "goose", false],
    ["-- migrate:up\nA;", "dbmate", true],
    ["A;", "dbmate", false],
    ["A;", "sql", true],
  ] as const)("%j as %s → %s", (text, format, expected) => {
    expect(hasUpMarker(text, format)).toBe(expected);
  });
});
