// The app as it runs in production: Probot's webhook middleware on a real HTTP server,
// a generated private key, and GitHub's API at `githubUrl` (the fake, in tests).
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot } from "probot";
import type { GuardDeps } from "../../src/app/deps.js";
import { createGuard, type Guard } from "../../src/app/guard.js";
import { productionDeps } from "../../src/app/production-deps.js";
import { wireGuard } from "../../src/index.js";
import { guardOctokit } from "../../src/github/octokit.js";
import { fakeClock } from "../github/fake-clock.js";
import type { Clock } from "../../src/github/rate-limit.js";

export const WEBHOOK_PATH = "/api/github/webhooks";

export interface RunningApp {
  webhookUrl: string;
  guard: Guard;
  close(): Promise<void>;
}

export async function startAppServer(options: {
  githubUrl: string;
  secret: string;
  appId?: number;
  deps?: GuardDeps;
  /** The clock the client's write pacing sleeps on; by default one that moves at once (tests). */
  writeClock?: Clock;
}): Promise<RunningApp> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const probot = new Probot({
    appId: options.appId ?? 123_456,
    privateKey,
    secret: options.secret,
    baseUrl: options.githubUrl,
    logLevel: "fatal",
    // The production client, with the pacing of its writes on the clock given.
    Octokit: guardOctokit({ clock: options.writeClock ?? fakeClock() }),
  });
  const guard = createGuard(options.deps ?? productionDeps());
  const middleware = await createNodeMiddleware((app) => wireGuard(app, guard), { probot, webhooksPath: WEBHOOK_PATH });
  const server = createServer((request, response) => {
    void middleware(request, response, () => {
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    webhookUrl: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    guard,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
