# Sourced by ./party and ./mvnw: Party needs a JDK >= 21, and the machine's default java may be older.
# Keeps JAVA_HOME when it already points at one; otherwise takes the newest under /usr/lib/jvm.
party_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

party_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] \
      && [ "$(party_java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  best="" best_major=0
  # ls, not a glob: mvnw runs with globbing off (set -f).
  for name in $(ls /usr/lib/jvm 2>/dev/null); do
    home=/usr/lib/jvm/$name
    [ -x "$home/bin/javac" ] || continue
    major=$(party_java_major "$home")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$home best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "party: no JDK 21 or newer found; set JAVA_HOME or install one under /usr/lib/jvm" >&2
    exit 1
  fi
  JAVA_HOME=$best
  export JAVA_HOME
}

# Maven itself still calls sun.misc.Unsafe; JDK 24+ warns about it on every build.
party_quiet_maven() {
  if [ "$(party_java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
    MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
    export MAVEN_OPTS
  fi
}

party_find_jdk
party_quiet_maven
