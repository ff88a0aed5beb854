#!/usr/bin/env bash
# A PostgreSQL primary and a streaming replica of it, as two local clusters of their own (Debian's
# pg_createcluster), to try READ_DATABASE_URL and run test/replica/read-replica.test.ts. The shared
# PostgreSQL server of a workstation or CI refuses replication connections; these clusters trust
# local connections and listen on localhost only. Not part of .ci/run (it takes a minute or so).
#
#   scripts/replica-cluster.sh up      # creates and starts both, prints the URLs to export
#   scripts/replica-cluster.sh down    # stops and removes both
#
# PRIMARY_PORT (5440) and REPLICA_PORT (5441) choose the ports; PG_VERSION the server version (the
# newest installed by default). Run as root or as postgres.
set -euo pipefail

VERSION="${PG_VERSION:-$(ls /usr/lib/postgresql | sort -n | tail -1)}"
PRIMARY_PORT="${PRIMARY_PORT:-5440}"
REPLICA_PORT="${REPLICA_PORT:-5441}"
PRIMARY=hrscim_primary
REPLICA=hrscim_replica
DB=hrscim

as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }

case "${1:-up}" in
  up)
    if pg_lsclusters -h | awk '{print $2}' | grep -qx "$PRIMARY"; then
      echo "cluster $PRIMARY exists: run '$0 down' first" >&2; exit 1
    fi
    # --auth=trust: local test clusters only (listen_addresses stays localhost).
    pg_createcluster "$VERSION" "$PRIMARY" -p "$PRIMARY_PORT" --start-conf=manual -- --auth=trust >/dev/null
    pg_ctlcluster "$VERSION" "$PRIMARY" start
    as_postgres psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -q -c "create database $DB"
    pg_createcluster "$VERSION" "$REPLICA" -p "$REPLICA_PORT" --start-conf=manual -- --auth=trust >/dev/null
    REPLICA_DATA="$(pg_lsclusters -h | awk -v n="$REPLICA" '$2 == n {print $6}')"
    rm -rf "$REPLICA_DATA"
    install -d -m 700 -o postgres -g postgres "$REPLICA_DATA"
    # -R: standby.signal and primary_conninfo, so the copy starts as a streaming replica.
    as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$REPLICA_DATA" -R -X stream
    pg_ctlcluster "$VERSION" "$REPLICA" start
    for _ in $(seq 1 30); do
      if [ "$(as_postgres psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d "$DB" -tAc 'select pg_is_in_recovery()' 2>/dev/null)" = t ]; then break; fi
      sleep 1
    done
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DB"
    echo "export READ_DATABASE_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/$DB"
    echo "# tests: HR_SCIM_TEST_PRIMARY_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DB HR_SCIM_TEST_REPLICA_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/$DB npx vitest run test/replica/read-replica.test.ts"
    ;;
  down)
    for cluster in "$REPLICA" "$PRIMARY"; do
      if pg_lsclusters -h | awk '{print $2}' | grep -qx "$cluster"; then pg_dropcluster --stop "$VERSION" "$cluster"; fi
    done
    ;;
  *)
    echo "usage: $0 up|down" >&2; exit 2
    ;;
esac
