// One pull request through `/ownership ack`, end to end: signed webhooks to the real server,
// the real pipeline, and the fake GitHub over the example repositories.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { git } from "../../src/local/git.js";
import { buildExampleWorkspace } from "../../src/local/workspace-builder.js";
import { startAppServer } from "./app-server.js";
import { FakeGitHub, issueCommentPayload, pullRequestPayload, sendWebhook, type PullRequestRecord } from "./fake-github.js";

const SECRET = "e2e-webhook-secret";
const OWNER = "r10score";
const INSTALLATION = 31_337;

const RENAME_STATUS = `from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dao', '0011_rename_name_oddcompany_display_name'),
    ]

    operations = [
        migrations.RenameField(
            model_name='match',
            old_name='status',
            new_name='state',
        ),
    ]
`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("/ownership ack, end to end", { timeout: 180_000 }, () => {
  it("unblocks only with the consuming team's consent, and not for a finding added later", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "ssg-e2e-ack-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const workspace = await buildExampleWorkspace(dir, "column-rename");
    const fake = await FakeGitHub.start(workspace.dir, OWNER);
    cleanups.push(() => fake.close());
    const app = await startAppServer({ githubUrl: fake.url, secret: SECRET });
    cleanups.push(() => app.close());
    const checkout = workspace.scenario?.checkout ?? "";
    const pr: PullRequestRecord = await fake.openPullRequest("r10-hub", 7, workspace.scenario?.branch ?? "main");
    let deliveries = 0;
    const send = async (name: string, payload: Record<string, unknown>) => {
      const response = await sendWebhook(app.webhookUrl, SECRET, { name, id: `delivery-${++deliveries}`, payload });
      expect(response.status).toBe(200);
      await app.guard.idle();
    };
    const comment = async (login: string, body: string) => {
      const posted = fake.addHumanComment("r10-hub", 7, body, login);
      await send("issue_comment", issueCommentPayload(fake, pr, posted, INSTALLATION));
      return posted;
    };
    const latestCheck = () => fake.checkRuns.at(-1);
    const botReplies = () => fake.comments.filter((item) => item.user.type === "Bot" && !item.body.includes("<!-- shared-schema-guard -->"));

    // A column rename that odds still reads: blocked.
    await send("pull_request", pullRequestPayload(fake, pr, "opened", INSTALLATION));
    expect(latestCheck()).toMatchObject({ head_sha: pr.headSha, conclusion: "failure" });
    expect(fake.reviews.map((review) => review.state)).toEqual(["CHANGES_REQUESTED"]);

    // Someone outside odds' team: refused, nothing re-run.
    fake.roles.set("sam-outsider", "write");
    const outsider = await comment("sam-outsider", "/ownership ack r10_odd_company we checked, it is fine");
    expect(fake.checkRuns).toHaveLength(1);
    expect(latestCheck()?.conclusion).toBe("failure");
    expect(botReplies().at(-1)?.body).toContain("a member of @r10score/odds (odds)");
    expect(fake.reactions).toContainEqual({ commentId: outsider.id, content: "confused" });

    // A member of odds' team: recorded, re-run, passes, the blocking review dismissed.
    fake.teamMembers.set("r10score/odds", new Set(["olga-odds"]));
    const member = await comment("olga-odds", "/ownership ack r10_odd_company odds reads display_name from release 4.2 on");
    const confirmation = botReplies().at(-1)?.body ?? "";
    expect(confirmation).toContain("Acknowledged by @olga-odds on `r10_odd_company`");
    expect(confirmation).toContain(pr.headSha.slice(0, 7));
    expect(confirmation).toContain("<!-- shared-schema-guard:ack ");
    expect(fake.reactions).toContainEqual({ commentId: member.id, content: "+1" });
    expect(fake.checkRuns).toHaveLength(2);
    expect(latestCheck()).toMatchObject({ head_sha: pr.headSha, conclusion: "success" });
    expect(fake.reviews.map((review) => review.state)).toEqual(["DISMISSED"]);

    // A push that renames a column odds reads on another table: that finding needs its own ack.
    await writeFile(path.join(checkout, "dao/migrations/0012_rename_status_match_state.py"), RENAME_STATUS);
    await git(checkout, ["add", "."]);
    await git(checkout, ["-c", "user.name=Maria", "-c", "user.email=maria@example.invalid", "commit", "-qm", "Rename match status"]);
    await fake.refreshPullRequest(pr);
    await send("pull_request", pullRequestPayload(fake, pr, "synchronize", INSTALLATION));

    expect(latestCheck()).toMatchObject({ head_sha: pr.headSha, conclusion: "failure" });
    expect(latestCheck()?.output.summary).toContain("r10_match");
    expect(fake.reviews.map((review) => review.state)).toEqual(["DISMISSED", "CHANGES_REQUESTED"]);
    // The acknowledged rename still counts as acknowledged: only the new one blocks.
    expect(fake.reviews.at(-1)?.body).toContain("1 blocking finding.");
    expect(fake.unanswered()).toEqual([]);
  });
});
