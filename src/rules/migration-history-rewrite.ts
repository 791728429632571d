import { code } from "../findings/wording.js";
import type { RuleFinding } from "../core/findings.js";
import type { Rule } from "./types.js";

/**
 * A migration file of the base branch that the pull request renames or moves. Migration tools
 * record what ran by name (Django's `django_migrations` holds app label and file name;
 * golang-migrate, goose and dbmate the version in the file name), so a renamed file runs again,
 * or out of order. (A deleted one is a note: it stays applied, and nothing runs again.)
 */
export const migrationHistoryRewrite: Rule = {
  id: "migration-history-rewrite",
  description: "A migration file that already ran is renamed or moved, which changes its name or its apply order.",
  defaultSeverity: "error",
  docs: "docs/rules/migration-history-rewrite.md",
  headline: {
    blocking: ["applied migration is renamed", "applied migrations are renamed"],
    reason: (finding) => `${code(finding.loc.file)} rewrites the migration history`,
  },
  check(input) {
    return (input.migrationRenames ?? []).map((edit): RuleFinding => {
      return {
        rule: "migration-history-rewrite",
        service: input.service,
        loc: { file: edit.path, line: 1 },
        message:
          `${code(edit.previousPath)} is renamed to ${code(edit.path)}. Migration tools record what ran by its name ` +
          "(Django by app label and file name, golang-migrate, goose and dbmate by the version in the file name), and apply files in the order of their names: " +
          "under a new name an applied migration runs again, or in another order, on every database that already has it. " +
          "Keep the file's name and place; make further changes in a new migration.",
        consumers: [],
        needs: [],
        key: `renamed:${edit.previousPath}`,
      };
    });
  },
};
