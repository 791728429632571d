// Asks the teams whose consent a blocking finding needs to review the pull request, once per
// team for the life of the pull request: its timeline, not the app's memory, says who was asked.
import type { GuardConfig } from "../core/config.js";
import type { Octokit } from "./read-api.js";
import type { Finding } from "../core/findings.js";
import { blockingFindings } from "./post-review.js";
import type { PullRequestRef } from "./reviews.js";

/** `org/slug` of each team whose service a blocking finding needs, sorted. */
export function teamsToAsk(config: GuardConfig, findings: readonly Finding[]): string[] {
  const services = new Set(blockingFindings(findings).flatMap((finding) => finding.needs));
  const teams = [...services].flatMap((service) => {
    const team = config.services.get(service)?.team;
    return team ? [team] : [];
  });
  return [...new Set(teams)].sort();
}

interface TimelineEvent {
  event?: string;
  requested_team?: { slug?: string } | null;
}

/** Slugs of every team a review was ever requested from on the pull request, by anyone. */
async function teamsAskedBefore(octokit: Octokit, pr: PullRequestRef): Promise<Set<string>> {
  const events = (await octokit.paginate(octokit.rest.issues.listEventsForTimeline, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  })) as TimelineEvent[];
  return new Set(
    events.flatMap((event) => (event.event === "review_requested" && event.requested_team?.slug ? [event.requested_team.slug.toLowerCase()] : [])),
  );
}

/**
 * Requests review from the teams not asked before; returns the `org/slug`s it asked. A team of
 * another organisation cannot review here and is left out.
 */
export async function requestTeamReviews(octokit: Octokit, pr: PullRequestRef, teams: readonly string[]): Promise<string[]> {
  const ours = teams.filter((team) => team.split("/")[0]?.toLowerCase() === pr.owner.toLowerCase());
  if (ours.length === 0) return [];
  const asked = await teamsAskedBefore(octokit, pr);
  const fresh = ours.filter((team) => !asked.has((team.split("/")[1] ?? "").toLowerCase()));
  if (fresh.length === 0) return [];
  await octokit.rest.pulls.requestReviewers({
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    team_reviewers: fresh.map((team) => team.split("/")[1] ?? team),
  });
  return fresh;
}
