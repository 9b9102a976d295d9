#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (docs/decisions/0017-postgresql-provider.md).
#
# Sourced by build/test.sh:   source build/postgres-cluster.sh; pg_cluster_start; ...; pg_cluster_stop
# Or by hand:                 eval "$(bash build/postgres-cluster.sh start)"   # prints the exports
#                             bash build/postgres-cluster.sh stop "$WEBHOOKS_TEST_POSTGRES_DIR"
#
# pg_cluster_start finds initdb/pg_ctl under /usr/lib/postgresql/*/bin (installs Debian's postgresql
# package with apt-get when they are missing and this runs as root), runs initdb into a fresh temp
# directory (trust authentication, loopback only), starts the server on a free loopback TCP port with
# fsync off, waits until it answers, and exports
#   WEBHOOKS_TEST_POSTGRES      a base connection string (database "postgres"; the tests create their own)
#   WEBHOOKS_TEST_POSTGRES_DIR  the cluster's directory (pg_cluster_stop deletes it; the data directory is DIR/data)
#   WEBHOOKS_TEST_POSTGRES_BIN  the directory of pg_ctl (build/crash/deliveries.py restart stops and starts the server)
# The server never runs as root: as root it runs as the postgres user. A failure returns non-zero
# with a message saying why.

PG_CLUSTER_BIN=""
PG_CLUSTER_DIR=""
PG_CLUSTER_USER=""

pg_cluster_find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "${dir}/initdb" && -x "${dir}/pg_ctl" ]]; then
      printf '%s' "${dir}"
      return 0
    fi
  done
  return 1
}

# Runs a command as the cluster's owner (the postgres user when this runs as root).
pg_cluster_as_owner() {
  if [[ -n "${PG_CLUSTER_USER}" ]]; then
    runuser -u "${PG_CLUSTER_USER}" -- "$@"
  else
    "$@"
  fi
}

pg_cluster_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_cluster_start() {
  if ! PG_CLUSTER_BIN="$(pg_cluster_find_bin)"; then
    if [[ "$(id -u)" -ne 0 ]]; then
      echo "PostgreSQL is required for the tests on PostgreSQL: initdb/pg_ctl not found under /usr/lib/postgresql/*/bin," >&2
      echo "and installing it needs root (apt-get install -y postgresql)." >&2
      return 1
    fi
    echo "==> apt-get install postgresql (initdb/pg_ctl not found)" >&2
    if ! { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2; }; then
      echo "PostgreSQL is required for the tests on PostgreSQL: apt-get install postgresql failed." >&2
      return 1
    fi
    if ! PG_CLUSTER_BIN="$(pg_cluster_find_bin)"; then
      echo "PostgreSQL is required for the tests on PostgreSQL: installed, but initdb/pg_ctl are still not under /usr/lib/postgresql/*/bin." >&2
      return 1
    fi
  fi

  PG_CLUSTER_USER=""
  if [[ "$(id -u)" -eq 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "PostgreSQL must not run as root, and there is no postgres user to run it as." >&2
      return 1
    fi
    PG_CLUSTER_USER="postgres"
  fi

  PG_CLUSTER_DIR="$(mktemp -d "${TMPDIR:-/tmp}/webhooks-pg.XXXXXX")"
  chmod 755 "${PG_CLUSTER_DIR}"
  [[ -n "${PG_CLUSTER_USER}" ]] && chown "${PG_CLUSTER_USER}" "${PG_CLUSTER_DIR}"
  if ! pg_cluster_as_owner "${PG_CLUSTER_BIN}/initdb" -D "${PG_CLUSTER_DIR}/data" --auth=trust --username=postgres \
      --encoding=UTF8 --locale=C.UTF-8 >"${PG_CLUSTER_DIR}/initdb.log" 2>&1; then
    echo "initdb failed:" >&2
    cat "${PG_CLUSTER_DIR}/initdb.log" >&2
    return 1
  fi

  local port attempt
  for attempt in 1 2 3; do
    port="$(pg_cluster_free_port)"
    if pg_cluster_as_owner "${PG_CLUSTER_BIN}/pg_ctl" -D "${PG_CLUSTER_DIR}/data" -l "${PG_CLUSTER_DIR}/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p ${port} -k ${PG_CLUSTER_DIR} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null; then
      export WEBHOOKS_TEST_POSTGRES="Host=127.0.0.1;Port=${port};Username=postgres;Database=postgres"
      export WEBHOOKS_TEST_POSTGRES_DIR="${PG_CLUSTER_DIR}"
      export WEBHOOKS_TEST_POSTGRES_BIN="${PG_CLUSTER_BIN}"
      echo "==> PostgreSQL $("${PG_CLUSTER_BIN}/postgres" --version | awk '{print $3}') on 127.0.0.1:${port} (${PG_CLUSTER_DIR})" >&2
      return 0
    fi
    echo "pg_ctl start on port ${port} failed (attempt ${attempt}); server log:" >&2
    tail -n 20 "${PG_CLUSTER_DIR}/server.log" >&2 || true
  done
  return 1
}

# Stops the cluster started above (or the one in directory $1) and deletes its directory.
pg_cluster_stop() {
  local dir="${1:-${PG_CLUSTER_DIR}}"
  [[ -n "${dir}" && -d "${dir}" ]] || return 0
  [[ -n "${PG_CLUSTER_BIN}" ]] || PG_CLUSTER_BIN="$(pg_cluster_find_bin)" || true
  if [[ -z "${PG_CLUSTER_USER}" && "$(id -u)" -eq 0 ]]; then
    PG_CLUSTER_USER="postgres"
  fi
  if [[ -f "${dir}/data/postmaster.pid" && -n "${PG_CLUSTER_BIN}" ]]; then
    pg_cluster_as_owner "${PG_CLUSTER_BIN}/pg_ctl" -D "${dir}/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "${dir}"
}

if [[ "${BASH_SOURCE[0]}" == "${0}" ]]; then
  set -euo pipefail
  case "${1:-}" in
    start)
      pg_cluster_start
      printf 'export WEBHOOKS_TEST_POSTGRES=%q\nexport WEBHOOKS_TEST_POSTGRES_DIR=%q\nexport WEBHOOKS_TEST_POSTGRES_BIN=%q\n' \
        "${WEBHOOKS_TEST_POSTGRES}" "${WEBHOOKS_TEST_POSTGRES_DIR}" "${WEBHOOKS_TEST_POSTGRES_BIN}"
      ;;
    stop)
      pg_cluster_stop "${2:?usage: postgres-cluster.sh stop DIR}"
      ;;
    *)
      echo "usage: bash build/postgres-cluster.sh start | stop DIR" >&2
      exit 2
      ;;
  esac
fi
