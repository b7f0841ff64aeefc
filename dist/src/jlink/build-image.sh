#!/usr/bin/env bash
# Called by dist/pom.xml (exec-maven-plugin, package phase, after the dist jar is built).
# Completes the module directory and links the runtime image with the JDK that runs Maven.
#
# Usage: build-image.sh JAVA_HOME DIST_JAR MODULES_DIR IMAGE_DIR
#   MODULES_DIR  already holds the third-party and etcetera module jars (dependency plugin) and
#                the automatic jars with their added descriptors (moditect); DIST_JAR is added here.
#   IMAGE_DIR    is replaced: bin/etcetera starts io.etcetera.dist/io.etcetera.dist.Main.
set -euo pipefail

java_home="$1"; dist_jar="$2"; modules="$3"; image="$4"
here="$(cd "$(dirname "$0")" && pwd)"
target="$(dirname "$modules")"
. "$here/java-options.sh"

cp "$dist_jar" "$modules/etcetera-dist.jar"

cp "$here/run-on-module-path.sh" "$target/run-on-module-path.sh"
cp "$here/java-options.sh" "$target/java-options.sh"
chmod +x "$target/run-on-module-path.sh"

# jlink refuses automatic modules; name the jar and the fix instead of its generic error.
automatic="$("$java_home/bin/java" --module-path "$modules" --list-modules | grep ' automatic$' || true)"
if [ -n "$automatic" ]; then
    echo "error: these jars in $modules are not modules; add a descriptor with dist/src/moditect/regenerate.sh" >&2
    echo "and list the jar in dist/pom.xml (moditect and the copy-explicit-modules exclusions):" >&2
    echo "$automatic" >&2
    exit 1
fi

major="$(etcetera_java_major "$java_home")"
if [ "$major" -ge 21 ]; then compress=zip-6; else compress=2; fi
options="$(etcetera_java_options "$major")"
add_options=()
if [ -n "$options" ]; then add_options=(--add-options="$options"); fi

# rocksdbjni carries a native library per platform (~17 MB each); keep the one for this machine.
case "$(uname -m)" in
    x86_64)  rocksdb_lib=linux64 ;;
    aarch64) rocksdb_lib=linux-aarch64 ;;
    ppc64le) rocksdb_lib=linux-ppc64le ;;
    s390x)   rocksdb_lib=linux-s390x ;;
    riscv64) rocksdb_lib=linux-riscv64 ;;
    *) echo "error: no rocksdbjni native library known for $(uname -m)" >&2; exit 1 ;;
esac

# The storage engine and API front end are service providers (kernel `uses` them): list them,
# and grpc-util (load balancers for io.grpc), explicitly; --bind-services would pull in every
# JDK provider as well. jdk.jfr (about 2 MB) lets operators profile the server in place:
# ETCETERA_JAVA_OPTS=-XX:StartFlightRecording=filename=etcetera.jfr (docs/performance.md).
rm -rf "$image"
started=$SECONDS
"$java_home/bin/jlink" \
    --module-path "$modules" \
    --add-modules io.etcetera.dist,io.etcetera.storage.rocksdb,io.etcetera.transport.netty,io.etcetera.api.grpc,io.grpc.util,jdk.jfr \
    --launcher etcetera=io.etcetera.dist/io.etcetera.dist.Main \
    ${add_options[@]+"${add_options[@]}"} \
    --exclude-resources="regex:/rocksdbjni/librocksdbjni-(?!${rocksdb_lib}\.so$).*" \
    --exclude-files='glob:**/ct.sym' \
    --strip-debug --no-header-files --no-man-pages --compress="$compress" \
    --output "$image"

# jlink's own launcher (JDK 17: `$DIR/java ... "$@"`) runs java without exec and breaks on paths
# with spaces: a signal to bin/etcetera would not reach the server. Replace it with one that
# execs and follows symlinks.
install -m 755 "$here/etcetera-launcher.sh" "$image/bin/etcetera"

echo "etcetera image: $image ($(du -sh "$image" | cut -f1), jlink ${major} in $((SECONDS - started)) s)"
