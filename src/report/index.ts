export { renderCheckRunOutput, type CheckAnnotation, type CheckRunOutput } from "./check-run.js";
export { renderInlineComment } from "./inline.js";
export { renderJson, reviewJsonOf, type ReviewJson } from "./json.js";
export { GITHUB_TEXT_LIMIT, renderStickyComment, renderSummaryMarkdown, truncateMarkdown } from "./markdown.js";
export { STICKY_MARKER, type ReviewReport } from "./types.js";
export { renderSarif, sarifLogOf } from "./sarif.js";
export { renderWorkflowCommands } from "./workflow-commands.js";
