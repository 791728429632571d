// `check_run.requested_action`: the check's "Re-run analysis" button, a re-run like a re-request.
import type { Context } from "probot";
import { CHECK_NAME, RERUN_ACTION } from "../github/checks.js";
import type { Guard } from "./guard.js";
import { reviewCommit } from "./rerequest.js";

export async function onRerunRequested(context: Context<"check_run.requested_action">, guard: Guard): Promise<void> {
  const { check_run: checkRun, requested_action: action } = context.payload;
  if (checkRun.name !== CHECK_NAME || action?.identifier !== RERUN_ACTION.identifier) return;
  await reviewCommit(context as unknown as Context, guard, checkRun.head_sha, checkRun.pull_requests);
}
