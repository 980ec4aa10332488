# Shared shell helpers of scripts/test and scripts/load. Source it; do not run it.

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the named Debian packages when they are missing.
need_debian() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    step "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts a throwaway PostgreSQL cluster in a temporary directory on a free port and
# exports BESAYA_TEST_DATABASE_URL; stop_postgres removes it. Skipped when
# BESAYA_TEST_DATABASE_URL is already set (a server of your own).
start_postgres() {
  if [ -n "${BESAYA_TEST_DATABASE_URL:-}" ]; then
    echo "using BESAYA_TEST_DATABASE_URL from the environment"
    return
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL server binaries not found: install Debian's package 'postgresql'" >&2
    return 1
  fi
  PG_TMP=$(mktemp -d /tmp/besaya-pg.XXXXXX)
  local port
  port=$(free_port)
  local run=(sh -c)
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_TMP"
    run=(su postgres -s /bin/sh -c)
  fi
  "${run[@]}" "'$bin/initdb' -D '$PG_TMP/data' -A trust -U postgres -E UTF8 --no-sync" >"$PG_TMP.initdb.log" 2>&1 \
    || { cat "$PG_TMP.initdb.log" >&2; return 1; }
  "${run[@]}" "'$bin/pg_ctl' -D '$PG_TMP/data' -l '$PG_TMP/log' -w start -o \"-p $port -k '$PG_TMP' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\"" >/dev/null \
    || { cat "$PG_TMP/log" >&2; return 1; }
  PG_BIN=$bin
  export BESAYA_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "throwaway PostgreSQL on port $port ($PG_TMP)"
}

stop_postgres() {
  if [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP" ]; then
    if [ "$(id -u)" = 0 ]; then
      su postgres -s /bin/sh -c "'$PG_BIN/pg_ctl' -D '$PG_TMP/data' -m immediate stop" >/dev/null 2>&1 || true
    else
      "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_TMP" "$PG_TMP.initdb.log"
  fi
}
