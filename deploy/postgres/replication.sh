#!/bin/sh
# Runs once when the primary's data directory is created: a replication role and its pg_hba entry.
set -e
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "CREATE ROLE replicator WITH REPLICATION LOGIN"
echo "host replication replicator samenet trust" >> "$PGDATA/pg_hba.conf"
