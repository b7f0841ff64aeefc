#!/bin/sh
# Starts the etcetera server from the module directory next to this script (dist/target/modules)
# with any installed JDK 17 or later: $JAVA_HOME/bin/java, else the java on PATH. All arguments go
# to the server. Picks the JVM options that JDK's release needs (java-options.sh).
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/java-options.sh"

if [ -n "$JAVA_HOME" ]; then
    java="$JAVA_HOME/bin/java"
else
    java="$(command -v java)" || { echo "error: no java on PATH and JAVA_HOME unset" >&2; exit 1; }
fi
java_home="$(dirname "$(dirname "$(readlink -f "$java")")")"
major="$(etcetera_java_major "$java_home")"
if [ -z "$major" ]; then
    echo "error: cannot read the Java version from $java_home/release" >&2
    exit 1
fi

# Word splitting of the options is intended: they never contain spaces.
# shellcheck disable=SC2046
exec "$java" $(etcetera_java_options "$major") \
    --module-path "$here/modules" -m io.etcetera.dist/io.etcetera.dist.Main "$@"
