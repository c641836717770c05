#!/bin/sh
# docker-compose.yml: the postgres image runs this once, on an empty data directory, to create the
# role Temporal Server connects as (npm start's server mode creates the same role from
# stack/temporal-cluster.ts). The role may create databases: setup-schema.sh creates its two.
set -eu
psql -v ON_ERROR_STOP=1 -v pw="${TEMPORAL_DB_PASSWORD:-temporal}" --username "$POSTGRES_USER" --dbname postgres <<'SQL'
SELECT format('CREATE ROLE temporal LOGIN CREATEDB PASSWORD %L', :'pw')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'temporal') \gexec
ALTER ROLE temporal SET log_min_messages = 'fatal';
SQL
