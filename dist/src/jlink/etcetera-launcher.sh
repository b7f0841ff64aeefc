#!/bin/sh
# Starts the etcetera server from its runtime image; all arguments go to the server.
# Extra JVM options: JDK_JAVA_OPTIONS (read by the java launcher). The options the server needs
# are built into the image (jlink --add-options).
self="$0"
while [ -h "$self" ]; do
    link="$(readlink "$self")"
    case "$link" in
        /*) self="$link" ;;
        *) self="$(dirname "$self")/$link" ;;
    esac
done
bin="$(cd "$(dirname "$self")" && pwd)"
exec "$bin/java" -m io.etcetera.dist/io.etcetera.dist.Main "$@"
