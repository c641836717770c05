#!/bin/sh
# Creates Temporal's persistence and visibility databases on PostgreSQL and brings both schemas to
# the versions this server release needs, with the server's own SQL tool (its schemas are embedded
# in it). Safe to run at every start: each step does nothing when it is done already.
# Run by `SUPROVID_TEMPORAL=server npm start` (stack/temporal-cluster.ts) and by docker-compose.yml's
# temporal-schema job (admin-tools image), with the same variables as config/suprovid.yaml.
set -eu
tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
export SQL_PLUGIN=postgres12
export SQL_HOST="${TEMPORAL_DB_HOST:-127.0.0.1}"
export SQL_PORT="${TEMPORAL_DB_PORT:-5432}"
export SQL_USER="${TEMPORAL_DB_USER:-temporal}"
export SQL_PASSWORD="${TEMPORAL_DB_PASSWORD:-temporal}"
# The tool logs every statement; its output is shown only when a step fails.
run() { out=$("$tool" "$@" 2>&1) || { printf '%s\n' "$out" >&2; echo "temporal-sql-tool $* failed" >&2; exit 1; }; }

for pair in "${TEMPORAL_DB:-temporal}:temporal" "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}:visibility"; do
  db=${pair%%:*}
  schema=postgresql/v12/${pair#*:}
  export SQL_DATABASE="$db"
  # create-database fails only when the database exists (or cannot be reached: setup-schema says so).
  "$tool" create-database >/dev/null 2>&1 || true
  # The version table is there once setup-schema has run; update-schema then takes it forward.
  # (No --quiet: with it the tool exits 0 on errors.)
  if ! "$tool" update-schema --schema-name "$schema" >/dev/null 2>&1; then
    run setup-schema -v 0.0
    run update-schema --schema-name "$schema"
  fi
  echo "temporal schema $schema ready in database $db"
done
