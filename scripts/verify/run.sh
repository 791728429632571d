#!/usr/bin/env bash
# Applies every corpus to a real PostgreSQL 15 with Django 3.2, replays the same migrations with
# shared-schema-guard, and prints how far the two agree. Results land in $VERIFY_RESULTS.
#
#   bash scripts/verify/run.sh [corpus ...]      (default: every corpus)
#
# Exit status: 0 when every corpus agrees column for column, 1 when one does not.
set -euo pipefail
export LC_ALL=C # globs expand in byte order, the order migration tools apply files in

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=scripts/verify/env.sh
source "$here/env.sh"
results="${VERIFY_RESULTS:-/tmp/shared-schema-guard-verify/results}"
packages=/usr/lib/python3/dist-packages
contrib="$packages/django/contrib"

bash "$here/setup.sh"
# tsc emits even when another part of the tree has type errors; say so rather than stop.
(cd "$root" && npm run build --silent) || echo "warning: the build reported type errors (above)" >&2
mkdir -p "$results"

# The migrations our replay reads for each corpus: LABEL=FOLDER, the corpus's own apps and the
# Django apps they depend on, so that foreign keys to auth_user resolve.
support=("contenttypes=$contrib/contenttypes/migrations" "auth=$contrib/auth/migrations")
declare -A replay_apps=(
  [django]="${support[*]} admin=$contrib/admin/migrations sessions=$contrib/sessions/migrations sites=$contrib/sites/migrations flatpages=$contrib/flatpages/migrations redirects=$contrib/redirects/migrations"
  [taggit]="${support[*]} taggit=$packages/taggit/migrations"
  [guardian]="${support[*]} guardian=$packages/guardian/migrations"
  [reversion]="${support[*]} reversion=$packages/reversion/migrations"
  [axes]="${support[*]} axes=$packages/axes/migrations"
  [celery_results]="${support[*]} django_celery_results=$packages/django_celery_results/migrations"
  [celery_beat]="${support[*]} django_celery_beat=$packages/django_celery_beat/migrations"
  [oauth2_provider]="${support[*]} oauth2_provider=$packages/oauth2_provider/migrations"
  [django_q]="${support[*]} django_q=$packages/django_q/migrations"
)

hub="$root/fixtures/workspace/r10-hub"

verify_corpus() {
  local corpus="$1" dump="$results/$1.dump.json" app_arguments=()
  /usr/bin/python3 "$here/apply_and_dump.py" --corpus "$corpus" --out "$dump"
  for app in ${replay_apps[$corpus]}; do app_arguments+=(--app "$app"); done
  node "$root/dist/scripts/verify/compare.js" --dump "$dump" "${app_arguments[@]}" \
    --json "$results/$corpus.json" >"$results/$corpus.txt" || disagreeing+=("$corpus")
}

verify_hub() {
  local dump="$results/hub.dump.json"
  /usr/bin/python3 "$here/apply_and_dump.py" --corpus hub --python-path "$hub" \
    --settings r10hub.settings --label dao --out "$dump"
  node "$root/dist/scripts/verify/compare.js" --dump "$dump" \
    "${support[@]/#/--app=}" --app "dao=$hub/dao/migrations" \
    --default-auto-field django.db.models.BigAutoField \
    --json "$results/hub.json" >"$results/hub.txt" || disagreeing+=(hub)
}

# The example workspace as `schema` prints it (with a scenario's pull request checked out for
# `workspace-<scenario>`), against one database that has the hub's Django migrations and then
# the notifications service's raw SQL migrations, in byte order, as in production.
verify_workspace() {
  local corpus="$1" scenario="${2:-}" dump="$results/$1.dump.json" checkouts sql_arguments=()
  checkouts="$(mktemp -d)"
  node "$root/dist/scripts/verify/example-schema.js" --dir "$checkouts" --out "$results/$corpus.schema.json" \
    ${scenario:+--scenario "$scenario"}
  for file in "$checkouts"/r10-notifications/migrations/*.sql; do sql_arguments+=(--sql "$file"); done
  /usr/bin/python3 "$here/apply_and_dump.py" --corpus "$corpus" --database verify_workspace \
    --python-path "$checkouts/r10-hub" --settings r10hub.settings --label dao "${sql_arguments[@]}" --out "$dump"
  node "$root/dist/scripts/verify/compare.js" --dump "$dump" --schema "$results/$corpus.schema.json" \
    --json "$results/$corpus.json" >"$results/$corpus.txt" || disagreeing+=("$corpus")
  rm -rf "$checkouts"
}

# A negative control: the django corpus's dump with three planted differences must come out
# as exactly those three disagreements, so a comparison that always agrees cannot pass for one.
control_comparison() {
  local planted="$results/control.dump.json" app_arguments=() found
  /usr/bin/python3 - "$results/django.dump.json" "$planted" <<'PY'
import json, sys
dump = json.load(open(sys.argv[1]))
dump["corpus"] = "control"
tables = dump["tables"]
tables["django_session"]["columns"]["expire_date"]["type"] = "date"
tables["django_site"]["columns"]["domain"]["nullable"] = True
del tables["django_redirect"]["columns"]["old_path"]
json.dump(dump, open(sys.argv[2], "w"))
PY
  for app in ${replay_apps[django]}; do app_arguments+=(--app "$app"); done
  node "$root/dist/scripts/verify/compare.js" --dump "$planted" "${app_arguments[@]}" \
    --json "$results/control.json" >/dev/null || true
  found="$(/usr/bin/python3 -c 'import json, sys; print(" ".join(sorted(d["kind"] for d in json.load(open(sys.argv[1]))["disagreements"])))' "$results/control.json")"
  if [[ "$found" == "extra-column nullability type" ]]; then
    echo "control: the 3 planted differences were found, and nothing else"
  else
    echo "control: FAILED, the planted differences came out as: ${found:-nothing}"
    disagreeing+=(control)
  fi
}

scenarios=()
for folder in "$root"/fixtures/scenarios/*/; do
  [[ -d "$folder" ]] && scenarios+=("workspace-$(basename "$folder")")
done

corpora=("$@")
((${#corpora[@]})) || corpora=(workspace "${scenarios[@]}" "${CORPORA[@]}")
measured=()
disagreeing=()
for corpus in "${corpora[@]}"; do
  case "$corpus" in
    workspace) verify_workspace workspace ;;
    workspace-*) verify_workspace "$corpus" "${corpus#workspace-}" ;;
    hub) verify_hub ;;
    *) verify_corpus "$corpus" ;;
  esac
  tail -n 1 "$results/$corpus.txt" | sed "s/^/$corpus: /"
  [[ -f "$results/$corpus.json" ]] && measured+=("$results/$corpus.json")
  [[ "$corpus" != django ]] || control_comparison
done

echo
node "$root/dist/scripts/verify/summary.js" "${measured[@]}"
echo
echo "Details: $results/<corpus>.txt"
if ((${#disagreeing[@]})); then
  echo "Not in full agreement: ${disagreeing[*]}"
  exit 1
fi
