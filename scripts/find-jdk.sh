#!/usr/bin/env bash
# Prints the home of a JDK >= 21: JAVA_HOME if it is new enough, else the newest under /usr/lib/jvm.
# Exits 1 with a message on stderr when none exists. Sourced by ./trunkline and scripts/test.sh.
jdk_major() { # $1 = java home
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  echo "${v%%.*}"
}
find_jdk21() {
  local h best="" best_v=0 v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(jdk_major "$JAVA_HOME")
    if [ "${v:-0}" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for h in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$h/bin/javac" ] || continue
    v=$(jdk_major "$h")
    if [ "${v:-0}" -ge 21 ] && [ "${v:-0}" -gt "$best_v" ]; then best="$h"; best_v="$v"; fi
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  echo "trunkline: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}; looked in /usr/lib/jvm, /opt)." >&2
  echo "trunkline: install one, for example: apt-get install openjdk-21-jdk-headless (or temurin-25-jdk), or set JAVA_HOME." >&2
  return 1
}
