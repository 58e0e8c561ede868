#!/usr/bin/env bash
# The test command (README): installs what the tests need on a fresh machine, then runs the whole suite,
# interop tests against baresip and kamailio included.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

need=()
for pkg_cmd in baresip-core:baresip kamailio:kamailio sox:sox tshark:tshark espeak-ng:espeak-ng flite:flite python3:python3 iproute2:ip nodejs:node npm:npm chromium:chromium jq:jq curl:curl openssl:openssl; do
  command -v "${pkg_cmd#*:}" >/dev/null 2>&1 || need+=("${pkg_cmd%%:*}")
done
if ! command -v mvn >/dev/null 2>&1; then need+=(maven); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

. "$ROOT/scripts/find-jdk.sh"
if ! JAVA_HOME="$(find_jdk21)"; then
  echo "test.sh: installing openjdk-21-jdk-headless"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-21-jdk-headless >/dev/null || true
  JAVA_HOME="$(find_jdk21)" || exit 1
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
echo "test.sh: JDK $JAVA_HOME"

# PostgreSQL for the store tests: a throwaway cluster on loopback, removed when this script exits.
. "$ROOT/scripts/pg-test-cluster.sh"
trap pg_test_cluster_stop EXIT
pg_test_cluster_start

# -Dsurefire.excludedGroups= runs the peer-tagged interop tests too (they are skipped in quick local builds).
mvn -B -ntp -Dsurefire.excludedGroups= install "$@"
