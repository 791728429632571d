#!/usr/bin/env bash
# Idempotent: installs Django 3.2, PostgreSQL 15 and the Debian-packaged Django apps of the
# corpus, starts a private PostgreSQL cluster on loopback, and creates one database per corpus.
# Its own data directory and port keep it apart from any other cluster on the machine.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/verify/env.sh
source "$here/env.sh"

debian_packages=(postgresql python3-django python3-psycopg2 "${CORPUS_PACKAGES[@]}")

missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

pg_bin="/usr/lib/postgresql/15/bin"
as_postgres() { runuser -u postgres -- "$@"; }

if [[ ! -s "$VERIFY_PGDATA/PG_VERSION" ]]; then
  mkdir -p "$VERIFY_PGDATA"
  chown postgres:postgres "$VERIFY_PGDATA"
  as_postgres "$pg_bin/initdb" -D "$VERIFY_PGDATA" -U postgres -A trust --no-instructions >/dev/null
fi

if ! as_postgres "$pg_bin/pg_ctl" -D "$VERIFY_PGDATA" status >/dev/null 2>&1; then
  as_postgres "$pg_bin/pg_ctl" -D "$VERIFY_PGDATA" -w -l "$VERIFY_PGDATA/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $VERIFY_PGDATA -c fsync=off" start >/dev/null
fi

for corpus in workspace "${CORPORA[@]}"; do
  database="verify_${corpus}"
  exists="$(psql -tAc "select 1 from pg_database where datname = '$database'" postgres)"
  [[ "$exists" == "1" ]] || psql -qc "create database $database" postgres
done
echo "PostgreSQL 15 on $PGHOST:$PGPORT, databases: verify_workspace ${CORPORA[*]/#/verify_}"
