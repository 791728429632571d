// The manifest GitHub receives when someone clicks "Register GitHub App" on Probot's setup
// page: the page is fetched from Probot's real server, the form read as a browser reads it
// (parse5 is the WHATWG HTML parser), and its permissions and events checked against what
// the code subscribes to and calls.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse, type DefaultTreeAdapterMap } from "parse5";
import { Probot } from "probot";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import app from "../../src/index.js";
import { startProbot, type RunningProbot } from "./probot-server.js";

type Element = DefaultTreeAdapterMap["element"];
type Node = DefaultTreeAdapterMap["node"];

const SMEE_CHANNEL = "https://smee.io/shared-schema-guard-manifest-test";

function elements(node: Node): Element[] {
  const own = "tagName" in node ? [node] : [];
  const children = "childNodes" in node ? node.childNodes.flatMap(elements) : [];
  return [...own, ...children];
}

function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((attr) => attr.name === name)?.value;
}

/** The manifest field as the browser submits it, and where it is submitted. */
async function submittedManifest(pageUrl: string): Promise<{ action: string; value: string }> {
  const response = await fetch(pageUrl);
  expect(response.status).toBe(200);
  const all = elements(parse(await response.text()));
  const form = all.find((element) => element.tagName === "form");
  const button = all.find((element) => element.tagName === "button" && attribute(element, "name") === "manifest");
  if (!form || !button) throw new Error("the setup page has no manifest form");
  return { action: attribute(form, "action") ?? "", value: attribute(button, "value") ?? "" };
}

/** Events the app subscribes to on a real Probot, as a manifest names them (`pull_request.opened` → `pull_request`). */
async function subscribedEvents(): Promise<string[]> {
  const events = new Set<string>();
  const probot = new Probot({ appId: 1, privateKey: "never used: no request is made", secret: "manifest-test" });
  const subscribe = probot.on.bind(probot);
  probot.on = ((names, handler) => {
    for (const name of [names].flat()) events.add(name.split(".")[0] ?? name);
    subscribe(names, handler);
  }) as Probot["on"];
  await probot.load(app, { cwd: process.cwd(), addHandler: () => undefined });
  return [...events].sort();
}

type Level = "read" | "write";

/**
 * The permission each GitHub API call of the code needs, from GitHub's "Permissions required
 * for GitHub Apps". `null`: needs none (`GET /app` is signed with the app's own key). A call
 * missing here fails the test: add it, and to app.yml if it needs more.
 */
const PERMISSION_OF_CALL: Record<string, [string, Level] | null> = {
  "rest.apps.getAuthenticated": null,
  "rest.checks.create": ["checks", "write"],
  "rest.checks.update": ["checks", "write"],
  "rest.issues.listComments": ["issues", "read"],
  "rest.issues.listEventsForTimeline": ["issues", "read"],
  "rest.issues.createComment": ["issues", "write"],
  "rest.issues.updateComment": ["issues", "write"],
  "rest.reactions.createForIssueComment": ["issues", "write"],
  "rest.pulls.get": ["pull_requests", "read"],
  "rest.pulls.requestReviewers": ["pull_requests", "write"],
  "rest.pulls.listReviews": ["pull_requests", "read"],
  "rest.pulls.createReview": ["pull_requests", "write"],
  "rest.pulls.dismissReview": ["pull_requests", "write"],
  "rest.repos.getContent": ["contents", "read"],
  "rest.repos.listPullRequestsAssociatedWithCommit": ["pull_requests", "read"],
  "rest.repos.getCollaboratorPermissionLevel": ["metadata", "read"],
  "rest.teams.getMembershipForUserInOrg": ["members", "read"],
  "GET /repos/{owner}/{repo}/pulls/{pull_number}": ["pull_requests", "read"],
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": ["pull_requests", "read"],
  "GET /repos/{owner}/{repo}/git/blobs/{file_sha}": ["contents", "read"],
  "GET /repos/{owner}/{repo}/git/trees/{tree_sha}": ["contents", "read"],
  "GET /repos/{owner}/{repo}/commits/{ref}": ["contents", "read"],
  "GET /search/code": ["contents", "read"],
  // The queries read default branches and blob texts.
  graphql: ["contents", "read"],
};

const CALL_PATTERNS = [
  /octokit\.(rest\.\w+\.\w+)/g,
  /octokit\.(?:request|paginate(?:\.iterator)?)\(\s*"([A-Z]+ [^"]+)"/g,
  /octokit\.(graphql)\b/g,
];

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".ts")).map((entry) => path.join(entry.parentPath, entry.name));
}

async function callsInCode(): Promise<Set<string>> {
  const calls = new Set<string>();
  for (const file of await sourceFiles("src")) {
    const text = await readFile(file, "utf8");
    for (const pattern of CALL_PATTERNS) {
      for (const match of text.matchAll(pattern)) calls.add(match.slice(1).find((group) => group !== undefined) ?? "");
    }
  }
  return calls;
}

function neededPermissions(calls: Iterable<string>): Record<string, Level> {
  const needed: Record<string, Level> = {};
  for (const call of calls) {
    const permission = PERMISSION_OF_CALL[call];
    if (permission === undefined) throw new Error(`no permission known for ${call}: add it to PERMISSION_OF_CALL`);
    if (permission === null) continue;
    const [name, level] = permission;
    if (needed[name] !== "write") needed[name] = level;
  }
  return needed;
}

describe("registering the app from Probot's setup page", () => {
  let probot: RunningProbot;
  const savedProxy = process.env.WEBHOOK_PROXY_URL;

  beforeAll(async () => {
    // Probot's setup reads the webhook channel from the process environment; a set channel
    // also keeps it from creating one on smee.io.
    process.env.WEBHOOK_PROXY_URL = SMEE_CHANNEL;
    probot = await startProbot(app);
  });

  afterAll(async () => {
    await probot.server.stop();
    if (savedProxy === undefined) delete process.env.WEBHOOK_PROXY_URL;
    else process.env.WEBHOOK_PROXY_URL = savedProxy;
  });

  it("posts the whole of app.yml to GitHub's app creation page as valid JSON", async () => {
    const { action, value } = await submittedManifest(`${probot.url}/probot`);
    expect(action).toBe("https://github.com/settings/apps/new");
    const manifest = JSON.parse(value) as Record<string, unknown>;
    const declared = parseYaml(await readFile("app.yml", "utf8")) as Record<string, unknown>;
    expect(manifest).toMatchObject(declared);
    expect(manifest.description).toBe(declared.description);
    expect(manifest.public).toBe(false);
  });

  it("sends webhooks to the channel Probot set up and returns to Probot's setup route", async () => {
    const manifest = JSON.parse((await submittedManifest(`${probot.url}/probot`)).value) as Record<string, unknown>;
    expect(manifest.hook_attributes).toEqual({ url: SMEE_CHANNEL });
    expect(manifest.redirect_url).toBe(`${probot.url}/probot/setup`);
  });

  it("subscribes to exactly the events the app handles", async () => {
    const manifest = JSON.parse((await submittedManifest(`${probot.url}/probot`)).value) as { default_events: string[] };
    expect([...manifest.default_events].sort()).toEqual(await subscribedEvents());
  });

  it("asks for exactly the permissions the code's API calls need", async () => {
    const manifest = JSON.parse((await submittedManifest(`${probot.url}/probot`)).value) as { default_permissions: Record<string, Level> };
    const calls = await callsInCode();
    expect(calls.size).toBeGreaterThan(10);
    expect(manifest.default_permissions).toEqual(neededPermissions(calls));
  });
});
