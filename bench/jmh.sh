#!/usr/bin/env bash
# Runs the kernel's JMH micro-benchmarks (kernel/src/test/java/io/etcetera/kernel/bench):
# MVCC put/range on RocksDB, WAL append+fsync with group commit, Raft entry encode/decode.
#
# Usage: bench/jmh.sh [JMH arguments]     e.g. bench/jmh.sh WalBenchmark -p batch=16
#   With no arguments every benchmark runs (several minutes). `bench/jmh.sh -h` lists JMH's options.
# Compiles the kernel's test classes with the reactor (never `mvn install`), then runs
# org.openjdk.jmh.Main on the test class path. Set MVN_OFFLINE= to let Maven download.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"

mvn -B -q ${MVN_OFFLINE--o} -pl kernel -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >"$work/mvn.log" 2>&1 \
    || { cat "$work/mvn.log" >&2; exit 1; }
# -am runs build-classpath for every module; the kernel is built last, so the file is its class path.
classpath="$root/kernel/target/test-classes:$root/kernel/target/classes:$(cat "$work/classpath.txt")"
[ -f "$root/kernel/target/test-classes/META-INF/BenchmarkList" ] \
    || { echo "error: no META-INF/BenchmarkList: the JMH annotation processor did not run" >&2; exit 1; }

java -cp "$classpath" org.openjdk.jmh.Main "$@"
