# Sourced by build-image.sh and run-on-module-path.sh: the JVM options the server needs on a
# given Java feature release. The rule lives here once, so the image and the module-path run agree.
#
# etcetera_java_options MAJOR  prints the options, space-separated (nothing on 17..22).
#   Java 17..22: none. RocksDB (JNI), gRPC, Netty 4.2 and protobuf run without flags.
#   Java 23+:    --enable-native-access=rocksdbjni      rocksdbjni calls System.load (JEP 472
#                                                        warns from 24 and will deny later);
#                --sun-misc-unsafe-memory-access=allow   protobuf-java and guava use
#                                                        sun.misc.Unsafe memory access (JEP 471/498).
etcetera_java_options() {
    if [ "$1" -ge 23 ]; then
        echo "--enable-native-access=rocksdbjni --sun-misc-unsafe-memory-access=allow"
    fi
}

# etcetera_java_major JAVA_HOME  prints the feature release (17, 25, ...) from $JAVA_HOME/release.
etcetera_java_major() {
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}
