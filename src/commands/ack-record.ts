// The app's confirmation of an `/ownership ack` carries the ack as JSON in a hidden marker.
// Acks are rebuilt from those confirmations alone, on every run: users' own comments are
// never trusted, so editing or deleting them changes nothing, and no state lives in the app.
import type { Acknowledgement } from "../core/findings.js";

/** One accepted `/ownership ack`: the consent of each service to the findings it named then. */
export interface AckRecord {
  table: string;
  headSha: string;
  by: string;
  reason: string;
  /** Fingerprints consented to, by service. */
  services: Record<string, string[]>;
}

const MARKER_PREFIX = "<!-- shared-schema-guard:ack ";
const MARKER_PATTERN = /<!-- shared-schema-guard:ack (\{.*?\}) -->/g;

/** JSON with `<`, `>` and `-` escaped, so that no reason can close the HTML comment early. */
export function ackMarker(record: AckRecord): string {
  const json = JSON.stringify(record).replace(/[<>-]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `${MARKER_PREFIX}${json} -->`;
}

/** True when a comment may hold a confirmation: by a bot, with a marker. */
export function mayConfirmAck(comment: ConversationComment): boolean {
  return comment.user?.type === "Bot" && (comment.body ?? "").includes(MARKER_PREFIX);
}

export function ackRecordsIn(body: string): AckRecord[] {
  const records: AckRecord[] = [];
  for (const match of body.matchAll(MARKER_PATTERN)) {
    const record = asAckRecord(safeJson(match[1] ?? ""));
    if (record) records.push(record);
  }
  return records;
}

export function acknowledgementsOf(record: AckRecord): Acknowledgement[] {
  return Object.entries(record.services).map(([service, fingerprints]) => ({
    service,
    table: record.table,
    fingerprints,
    by: record.by,
    reason: record.reason,
  }));
}

/** What a conversation comment must show for its markers to be trusted. */
export interface ConversationComment {
  body?: string | null;
  user?: { login: string; type?: string } | null;
}

/** Acknowledgements confirmed by the app (`appLogin`, e.g. `shared-schema-guard[bot]`), oldest first. */
export function acknowledgementsInConversation(comments: readonly ConversationComment[], appLogin: string): Acknowledgement[] {
  const wanted = appLogin.toLowerCase();
  return comments
    .filter((comment) => comment.user?.type === "Bot" && comment.user.login.toLowerCase() === wanted)
    .flatMap((comment) => ackRecordsIn(comment.body ?? ""))
    .flatMap(acknowledgementsOf);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function asAckRecord(value: unknown): AckRecord | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const candidate = value as Record<string, unknown>;
  const { table, headSha, by, reason, services } = candidate;
  if (typeof table !== "string" || typeof headSha !== "string" || typeof by !== "string" || typeof reason !== "string") return undefined;
  if (typeof services !== "object" || services === null) return undefined;
  const entries = Object.entries(services as Record<string, unknown>);
  if (!entries.every(([, fingerprints]) => isStringArray(fingerprints))) return undefined;
  return { table, headSha, by, reason, services: Object.fromEntries(entries) as Record<string, string[]> };
}
