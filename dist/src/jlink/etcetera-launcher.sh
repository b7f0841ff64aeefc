#!/bin/sh
# Starts the etcetera server from its runtime image; all arguments go to the server. The
# server's JVM defaults below do not apply to `etcetera benchmark` (a client with its own, below).
#
# JVM defaults, chosen for a small resident set (docs/performance.md, "Memory"):
#   -XX:+UseSerialGC   one collector thread, no concurrent-marking bookkeeping (G1 committed
#                      gigabytes under a write load and 200 MiB for its own structures)
#   -Xmn16m            a young generation of 16 MiB instead of a third of the heap: short-lived
#                      request garbage dies there without growing the heap; dropped when the
#                      operator sets -Xmn, -XX:NewSize, -XX:MaxNewSize or -XX:NewRatio
#   Both are dropped when the operator's options select a collector (-XX:+Use...GC).
#   -Xms32m            start the heap at 32 MiB instead of 1/64 of RAM (384 MiB on 24 GiB), which
#                      the old generation would otherwise fill with garbage before its first full
#                      collection; it grows with the live data. Dropped when the operator sets
#                      -Xms or -XX:InitialHeapSize
#   MALLOC_ARENA_MAX=2 glibc's malloc arenas for RocksDB and the JVM's native memory (the
#                      default, 8 per core, leaves much of the RSS to fragmentation); kept
#                      when already set
# The heap's maximum stays the JVM's default (a quarter of RAM), so a large key space is not
# refused; only what is committed follows the live data.
#
# Operator overrides: ETCETERA_JAVA_OPTS (appended after the defaults, so its flags win) and
# JDK_JAVA_OPTIONS (read by the java launcher itself). The options the server needs on this Java
# release are built into the image (jlink --add-options).
self="$0"
while [ -h "$self" ]; do
    link="$(readlink "$self")"
    case "$link" in
        /*) self="$link" ;;
        *) self="$(dirname "$self")/$link" ;;
    esac
done
bin="$(cd "$(dirname "$self")" && pwd)"

operator=" ${JDK_JAVA_OPTIONS:-} ${ETCETERA_JAVA_OPTS:-} "
defaults=""
# The operator picked a collector: it replaces our collector default (and its young-generation size).
case "$operator" in
    *" -XX:+Use"*"GC "*) operator_gc=yes ;;
    *) operator_gc=no ;;
esac
if [ "${1:-}" = benchmark ]; then
    # The load generator usually shares the machine with the servers it measures, and each run is
    # a fresh, short-lived JVM: C1 only (-XX:TieredStopAtLevel=1) and the serial collector keep its
    # own CPU use low (C2 compiling a fresh client used about half of its CPU; docs/performance.md).
    # ETCETERA_JAVA_OPTS comes after, so its flags win; a collector it selects replaces ours.
    defaults="-XX:TieredStopAtLevel=1"
    [ "$operator_gc" = yes ] || defaults="$defaults -XX:+UseSerialGC"
    # shellcheck disable=SC2086
    exec "$bin/java" $defaults ${ETCETERA_JAVA_OPTS:-} -m io.etcetera.dist/io.etcetera.dist.Main "$@"
fi
if [ "$operator_gc" = no ]; then
    # (with the operator's collector, its own ergonomics size the young generation too)
    case "$operator" in
        *" -Xmn"* | *"NewSize="* | *"NewRatio="*) defaults="-XX:+UseSerialGC" ;;
        *) defaults="-XX:+UseSerialGC -Xmn16m" ;;
    esac
fi
case "$operator" in
    *" -Xms"* | *"InitialHeapSize="*) ;;
    *) defaults="$defaults -Xms32m" ;;
esac
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

# Word splitting of the options is intended: they are flags separated by spaces.
# shellcheck disable=SC2086
exec "$bin/java" $defaults ${ETCETERA_JAVA_OPTS:-} -m io.etcetera.dist/io.etcetera.dist.Main "$@"
