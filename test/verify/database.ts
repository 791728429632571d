// A real PostgreSQL for the verify tests: TEST_DATABASE_URL names a server where databases may
// be created (`.ci/run` starts one with `.ci/postgres`). In CI its absence fails the tests.
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { packageRoot } from "../../src/local/workspace-builder.js";

export const serverUrl = process.env.TEST_DATABASE_URL;

export const missingServer =
  "TEST_DATABASE_URL is not set: these tests need a PostgreSQL server (run `.ci/postgres` and export the URL it prints)";

/** In CI a missing server is a failure; elsewhere the tests say why they are skipped. */
export function requireServer(): boolean {
  if (serverUrl) return true;
  if (process.env.CI) throw new Error(missingServer);
  console.warn(`skipping: ${missingServer}`);
  return false;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(serverUrl ?? "");
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new empty database with `statements` run in it; returns its URL. */
export async function createDatabase(name: string, statements: readonly string[]): Promise<string> {
  await withClient(serverUrl ?? "", async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  const url = databaseUrl(name);
  await withClient(url, async (client) => {
    for (const statement of statements) await client.query(statement);
  });
  return url;
}

export async function dropDatabase(name: string): Promise<void> {
  await withClient(serverUrl ?? "", async (client) => client.query(`DROP DATABASE IF EXISTS ${name}`));
}

/** The hub's tables (hand-written) and the notifications service's migration files, as applied in production. */
export async function exampleDatabaseSql(): Promise<string[]> {
  const root = packageRoot();
  const read = (file: string) => readFile(path.join(root, file), "utf8");
  return [
    await read("test/verify/fixtures/hub-database.sql"),
    await read("fixtures/workspace/r10-notifications/migrations/0001_live_activity_tokens.sql"),
    await read("fixtures/workspace/r10-notifications/migrations/0002_push_attempts.sql"),
  ];
}
