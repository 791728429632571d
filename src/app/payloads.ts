// A signed webhook whose payload lacks what its handler reads is answered 400 with one short
// line, and logged with its delivery id, before any handler runs: never a 500 carrying a raw
// error. Unsigned or wrongly signed deliveries are left to Probot, which refuses them.
import type { Probot } from "probot";

type Requirement = readonly [path: string, kind: "string" | "number" | "object" | "list?"];

const REPOSITORY: readonly Requirement[] = [
  ["repository", "object"],
  ["repository.name", "string"],
  ["repository.owner", "object"],
  ["repository.owner.login", "string"],
  ["installation", "object"],
  ["installation.id", "number"],
];

/** What each handled event reads, by event name. */
const REQUIREMENTS: Readonly<Record<string, readonly Requirement[]>> = {
  pull_request: [
    ["pull_request", "object"],
    ["pull_request.number", "number"],
    ["pull_request.head", "object"],
    ["pull_request.head.sha", "string"],
    ["pull_request.base", "object"],
    ["pull_request.base.sha", "string"],
  ],
  check_run: [
    ["check_run", "object"],
    ["check_run.name", "string"],
    ["check_run.head_sha", "string"],
    ["check_run.pull_requests", "list?"],
  ],
  check_suite: [
    ["check_suite", "object"],
    ["check_suite.head_sha", "string"],
    ["check_suite.pull_requests", "list?"],
  ],
  issue_comment: [
    ["issue", "object"],
    ["issue.number", "number"],
    ["comment", "object"],
    ["comment.id", "number"],
    ["comment.body", "string"],
    ["sender", "object"],
    ["sender.login", "string"],
  ],
  push: [
    ["ref", "string"],
    ["repository.full_name", "string"],
    ["repository.default_branch", "string"],
    ["commits", "list?"],
  ],
};

/** Why a payload of event `name` cannot be handled; undefined when it can. */
export function payloadProblem(name: string, payload: unknown): string | undefined {
  if (!isObject(payload)) return `the ${name} payload is not a JSON object`;
  const requirements = REQUIREMENTS[name];
  if (requirements === undefined) return undefined;
  for (const [path, kind] of [...REPOSITORY, ...requirements]) {
    const value = path.split(".").reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), payload);
    if (!fits(value, kind)) return `the ${name} payload ${value === undefined ? "lacks" : "has a malformed"} ${path}`;
  }
  return undefined;
}

function fits(value: unknown, kind: Requirement[1]): boolean {
  if (kind === "list?") return value === undefined || value === null || Array.isArray(value);
  if (kind === "object") return isObject(value);
  return typeof value === kind;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks each signed delivery's payload before Probot hands it to a handler. */
export function refuseMalformedPayloads(app: Probot): void {
  const webhooks = app.webhooks;
  const receive = webhooks.verifyAndReceive.bind(webhooks);
  webhooks.verifyAndReceive = async (event) => {
    if (await webhooks.verify(event.payload, event.signature).catch(() => false)) {
      const problem = payloadProblem(event.name, parsed(event.payload));
      if (problem !== undefined) {
        app.log.warn({ delivery: event.id, event: event.name }, `refused webhook: ${problem}`);
        const error = Object.assign(new Error(problem), { name: "MalformedPayload", status: 400 });
        throw new AggregateError([error], problem);
      }
    }
    await receive(event);
  };
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
