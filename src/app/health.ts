// `GET /healthz`: answered once the app is loaded with its credentials (not in Probot's setup
// mode), so a container health check tells a registered app from one still waiting for setup.
import type { IncomingMessage, ServerResponse } from "node:http";

export const HEALTH_PATH = "/healthz";

export function healthHandler(request: IncomingMessage, response: ServerResponse): boolean {
  const path = (request.url ?? "").split("?")[0];
  if (path !== HEALTH_PATH || (request.method !== "GET" && request.method !== "HEAD")) return false;
  response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify({ status: "ok" }));
  return true;
}
