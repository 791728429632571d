// Probot entry point: wires webhook events to the handlers in src/app, and the health route.
import type { ApplicationFunctionOptions, Context, Probot } from "probot";
import { productionDeps } from "./app/production-deps.js";
import { createGuard, type Guard } from "./app/guard.js";
import { onPullRequest, PULL_REQUEST_TRIGGERS } from "./app/pull-request.js";
import { onCheckRunRerequested, onCheckSuiteRerequested } from "./app/rerequest.js";
import { onRerunRequested } from "./app/command-rerun.js";
import { onIssueCommentCreated } from "./app/ownership-command.js";
import { healthHandler } from "./app/health.js";
import { onPush } from "./app/push.js";
import { refuseMalformedPayloads } from "./app/payloads.js";

/** GitHub redelivers with the same delivery id (`context.id`): the second copy changes nothing. */
function firstDeliveryOnly<C extends Context>(guard: Guard, handler: (context: C, guard: Guard) => Promise<void>) {
  return async (context: C): Promise<void> => {
    if (!guard.deliveries.firstSeen(context.id)) {
      context.log.info({ delivery: context.id }, "webhook delivery already handled");
      return;
    }
    await handler(context, guard);
  };
}

export function wireGuard(app: Probot, guard: Guard): void {
  refuseMalformedPayloads(app);
  app.on([...PULL_REQUEST_TRIGGERS], firstDeliveryOnly(guard, onPullRequest));
  app.on("check_run.rerequested", firstDeliveryOnly(guard, onCheckRunRerequested));
  app.on("check_suite.rerequested", firstDeliveryOnly(guard, onCheckSuiteRerequested));
  app.on("check_run.requested_action", firstDeliveryOnly(guard, onRerunRequested));
  app.on("issue_comment.created", firstDeliveryOnly(guard, onIssueCommentCreated));
  app.on("push", firstDeliveryOnly(guard, onPush));
}

export default (app: Probot, options: ApplicationFunctionOptions): void => {
  wireGuard(app, createGuard(productionDeps()));
  options.addHandler(healthHandler);
};
