// Who may do what, asked of GitHub: repository permission and team membership. Never the
// webhook's `author_association`, which reports members with private membership as outsiders.
import type { Octokit } from "./read-api.js";

export type RepositoryRole = "admin" | "maintain" | "write" | "triage" | "read" | "none";

const ROLES: readonly RepositoryRole[] = ["admin", "maintain", "write", "triage", "read", "none"];

/** The user's role on the repository; `none` for someone who is no collaborator. */
export async function repositoryRole(octokit: Octokit, repo: { owner: string; repo: string }, user: string): Promise<RepositoryRole> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.repo, username: user });
    // `role_name` tells maintainers from writers; `permission` folds them together.
    const role = (data as { role_name?: string }).role_name ?? data.permission;
    return ROLES.find((candidate) => candidate === role) ?? (data.permission as RepositoryRole);
  } catch (error) {
    if (isStatus(error, 404)) return "none";
    throw error;
  }
}

export function canWrite(role: RepositoryRole): boolean {
  return role === "admin" || role === "maintain" || role === "write";
}

/** True when `user` is an active member of `team` (`org/team-slug`); pending invitations do not count. */
export async function isActiveTeamMember(octokit: Octokit, team: string, user: string): Promise<boolean> {
  const [org, slug] = team.split("/");
  if (!org || !slug) return false;
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: user });
    return data.state === "active";
  } catch (error) {
    if (isStatus(error, 404)) return false;
    throw error;
  }
}

function isStatus(error: unknown, status: number): boolean {
  return (error as { status?: number } | null)?.status === status;
}
