import type { Severity } from "../core/config.js";
import type { ReviewReport } from "./types.js";

/** The CLI's `--format json` shape, as SPEC defines it. */
export interface ReviewJson {
  conclusion: ReviewReport["conclusion"];
  findings: {
    rule: string;
    severity: Severity;
    service: string;
    table: string | null;
    column: string | null;
    file: string;
    line: number;
    message: string;
    consumers: { repo: string; path: string; line: number }[];
    needs: string[];
    suppressed: boolean;
    /** The reason of a matching suppression comment, also when it cannot take effect (another service's consent is needed). */
    suppressionReason: string | null;
    acknowledged: boolean;
  }[];
}

export function reviewJsonOf(review: ReviewReport): ReviewJson {
  return {
    conclusion: review.conclusion,
    findings: review.findings.map((finding) => ({
      rule: finding.rule,
      severity: finding.severity,
      service: finding.service,
      table: finding.table ?? null,
      column: finding.column ?? null,
      file: finding.loc.file,
      line: finding.loc.line,
      message: finding.message,
      consumers: finding.consumers.map((use) => ({ repo: use.repo, path: use.path, line: use.line })),
      needs: finding.needs,
      suppressed: finding.suppressed,
      suppressionReason: finding.suppressionReason ?? null,
      acknowledged: finding.acknowledged,
    })),
  };
}

/** The JSON document the CLI prints, indented for people and parseable by scripts. */
export function renderJson(review: ReviewReport): string {
  return JSON.stringify(reviewJsonOf(review), null, 2);
}
