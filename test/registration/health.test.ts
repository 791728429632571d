// The health endpoint on Probot's real server: answered by the registered app, absent while
// Probot waits in setup mode, so a container health check tells the two apart.
import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import app from "../../src/index.js";
import { startProbot, type RunningProbot } from "./probot-server.js";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

describe("GET /healthz", () => {
  let probot: RunningProbot | undefined;
  afterEach(async () => {
    await probot?.server.stop();
    probot = undefined;
  });

  it("answers 200 once the app runs with its credentials", async () => {
    probot = await startProbot(app, { APP_ID: "123456", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "health" });
    const response = await fetch(`${probot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ status: "ok" });
    expect((await fetch(`${probot.url}/healthz`, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(`${probot.url}/healthz`, { method: "POST" })).status).toBe(404);
  });

  it("is not served in setup mode, where the app is not loaded yet", async () => {
    // A set webhook channel keeps Probot's setup from creating one on smee.io.
    const saved = process.env.WEBHOOK_PROXY_URL;
    process.env.WEBHOOK_PROXY_URL = "https://smee.io/shared-schema-guard-health-test";
    try {
      probot = await startProbot(app);
    } finally {
      if (saved === undefined) delete process.env.WEBHOOK_PROXY_URL;
      else process.env.WEBHOOK_PROXY_URL = saved;
    }
    expect((await fetch(`${probot.url}/probot`)).status).toBe(200);
    expect((await fetch(`${probot.url}/healthz`)).status).toBe(404);
  });
});
