// `npm start`: Probot's server (setup page, webhooks, `.env`) with the app's GitHub client,
// whose writes are paced to GitHub's limits and whose reads are never queued behind them.
import { run } from "probot";
import app from "./index.js";
import { guardOctokit } from "./github/octokit.js";

await run(app, { Octokit: guardOctokit() });
