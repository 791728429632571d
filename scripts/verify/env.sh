# Shared settings of the verification scripts: where the private cluster lives and what the corpus is.
export VERIFY_PGDATA="${VERIFY_PGDATA:-/tmp/shared-schema-guard-verify/pgdata}"
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-55432}"
export PGUSER="${PGUSER:-postgres}"

# Debian-packaged Django apps with real migration histories, and the corpora they become.
CORPUS_PACKAGES=(
  python3-django-taggit
  python3-django-guardian
  python3-django-reversion
  python3-django-axes
  python3-django-celery-results
  python3-django-celery-beat
  python3-django-oauth-toolkit
  python3-django-q
)
# Corpora that own a database verify_<corpus>; every example workspace shares verify_workspace.
CORPORA=(hub django taggit guardian reversion axes celery_results celery_beat oauth2_provider django_q)
