// Probot's own server, started the way `npm start` starts it (`run` from probot), on a free
// loopback port: without credentials it serves the setup page, with them the app.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { run, type ApplicationFunction, type Server } from "probot";

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningProbot {
  url: string;
  server: Server;
}

export async function startProbot(app: ApplicationFunction, env: Record<string, string> = {}): Promise<RunningProbot> {
  const port = await freePort();
  const server = await run(app, {
    env: { PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "fatal", ...env },
    // The setup flow never writes the checkout's `.env`.
    updateEnv: (update: NodeJS.ProcessEnv) => update,
  });
  return { url: `http://127.0.0.1:${port}`, server };
}
