// PostgreSQL 15 decides: the queries the app finds nothing wrong with are the ones it accepts
// (PREPARE plans a query without running it), and those it reports are the ones it refuses.
// Needs a server: TEST_DATABASE_URL, which `.ci/run` sets after starting one.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invalidQueries, referenceSchema, validQueries } from "./reference-cases.js";

const run = promisify(execFile);
const serverUrl = process.env.TEST_DATABASE_URL;
const database = `ssg_reference_${process.pid}`;

function urlOf(name: string): string {
  const url = new URL(serverUrl ?? "");
  url.pathname = `/${name}`;
  return url.toString();
}

async function psql(url: string, sql: string): Promise<{ ok: boolean; error: string }> {
  try {
    await run("psql", [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]);
    return { ok: true, error: "" };
  } catch (error) {
    return { ok: false, error: String((error as { stderr?: string }).stderr ?? error) };
  }
}

describe.skipIf(serverUrl === undefined)("PostgreSQL agrees with unknown-reference", () => {
  beforeAll(async () => {
    await psql(urlOf("postgres"), `DROP DATABASE IF EXISTS ${database}`);
    expect(await psql(urlOf("postgres"), `CREATE DATABASE ${database}`)).toEqual({ ok: true, error: "" });
    expect(await psql(urlOf(database), referenceSchema)).toEqual({ ok: true, error: "" });
  });
  afterAll(async () => {
    await psql(urlOf("postgres"), `DROP DATABASE IF EXISTS ${database}`);
  });

  it.each(validQueries)("accepts %s", async (sql) => {
    expect(await psql(urlOf(database), `PREPARE q AS ${sql}`)).toEqual({ ok: true, error: "" });
  });

  it.each(invalidQueries)("refuses %s", async (sql) => {
    expect((await psql(urlOf(database), `PREPARE q AS ${sql}`)).ok).toBe(false);
  });
});
