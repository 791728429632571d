import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payloadProblem } from "../../src/app/payloads.js";
import { startAppServer, type RunningApp } from "../e2e/app-server.js";
import { sendWebhook } from "../e2e/fake-github.js";
import { fixture } from "./harness.js";

const SECRET = "payload-secret";

/** A copy of `fixture` with the value at `path` removed. */
function without(name: string, path: string): Record<string, unknown> {
  const payload = fixture(name);
  const keys = path.split(".");
  const last = keys.pop() ?? "";
  const parent = keys.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, payload);
  Reflect.deleteProperty(parent, last);
  return payload;
}

describe("payloadProblem", () => {
  it("accepts the recorded payloads of every handled event", () => {
    for (const [event, name] of [
      ["pull_request", "pull_request.opened"],
      ["check_run", "check_run.rerequested"],
      ["check_suite", "check_suite.rerequested"],
    ] as const) {
      expect(payloadProblem(event, fixture(name))).toBeUndefined();
    }
  });

  it("names the first missing field", () => {
    expect(payloadProblem("pull_request", without("pull_request.opened", "pull_request.head"))).toBe("the pull_request payload lacks pull_request.head");
    expect(payloadProblem("check_run", without("check_run.rerequested", "check_run.pull_requests"))).toBeUndefined();
    expect(payloadProblem("issue_comment", { ...fixture("pull_request.opened"), issue: { number: 3 } })).toBe("the issue_comment payload lacks comment");
  });
});

describe("a signed webhook whose payload cannot be handled", () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAppServer({ githubUrl: "http://127.0.0.1:9", secret: SECRET });
  });
  afterAll(() => app.close());

  it.each([
    ["pull_request", "no pull_request", without("pull_request.opened", "pull_request"), "the pull_request payload lacks pull_request"],
    ["pull_request", "no head", without("pull_request.opened", "pull_request.head"), "the pull_request payload lacks pull_request.head"],
    ["pull_request", "no repository", without("pull_request.opened", "repository"), "the pull_request payload lacks repository"],
    ["pull_request", "no repository owner", without("pull_request.opened", "repository.owner"), "the pull_request payload lacks repository.owner"],
    ["issue_comment", "no comment", { ...without("pull_request.opened", "pull_request"), issue: { number: 7 } }, "the issue_comment payload lacks comment"],
    ["check_run", "null", null, "the check_run payload is not a JSON object"],
    ["pull_request", "a number", 42, "the pull_request payload is not a JSON object"],
  ])("%s with %s is answered 400 with one short line", async (name, _what, payload, message) => {
    const response = await sendWebhook(app.webhookUrl, SECRET, { name, id: `malformed-${name}-${_what}`, payload });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: `MalformedPayload: ${message}` });
  });
});
