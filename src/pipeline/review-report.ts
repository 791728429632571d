// What a front door renders from one review's outcome: one builder, so every format and poster sees the same fields.
import type { ReviewReport } from "../report/types.js";
import type { ReviewOutcome } from "./types.js";

export function reviewReportOf(outcome: ReviewOutcome, where: { service: string; repo: string; headSha: string }): ReviewReport {
  return {
    ...where,
    conclusion: outcome.conclusion,
    findings: outcome.findings,
    consumers: outcome.consumers,
    notes: outcome.notes,
    ...(outcome.notChecked === undefined ? {} : { notChecked: outcome.notChecked }),
    ...(outcome.advisory ? { advisory: true } : {}),
  };
}
