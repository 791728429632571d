import type { ConsumerLookup } from "../core/consumers.js";
import type { Finding } from "../core/findings.js";

/** Everything the report needs about one review of one service's pull request (or local diff). */
export interface ReviewReport {
  service: string;
  /** `owner/name` of the reviewed repository. */
  repo?: string;
  headSha?: string;
  /** `neutral` when the review did not run, e.g. the repository has no configuration. */
  conclusion: "success" | "failure" | "neutral";
  findings: Finding[];
  consumers: ConsumerLookup;
  /** Lines for the reader: limits hit, nothing to analyse, ... */
  notes: string[];
  /** Rules the configuration turns off: the report says they were not checked. */
  notChecked?: string[];
  /** `mode: advisory`: blocking findings are reported but fail nothing (the conclusion is `neutral`). */
  advisory?: boolean;
}

/** Hidden marker that identifies the app's one sticky summary comment. */
export const STICKY_MARKER = "<!-- shared-schema-guard -->";
