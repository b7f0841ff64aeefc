package io.etcetera.dist.benchmark;

import com.google.protobuf.ByteString;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The key and value flags of the writing benchmarks ({@code put}, {@code txn-put}), with etcd's
 * names and defaults: {@code --key-size} 8 bytes, {@code --val-size} 8 bytes,
 * {@code --key-space-size} 1 (every request writes the same key unless told otherwise).
 * A picocli mixin; read after parsing, from the command's thread.
 */
final class WriteOptions {

    @Option(names = "--key-size", paramLabel = "BYTES", description = "Key size of a request, bytes. Default: ${DEFAULT-VALUE}.",
            defaultValue = "8")
    private int keySize;

    @Option(names = "--val-size", paramLabel = "BYTES", description = "Value size of a request, bytes. Default: ${DEFAULT-VALUE}.",
            defaultValue = "8")
    private int valSize;

    @Option(names = "--key-space-size", paramLabel = "N", description = "Maximum number of distinct keys. Default: ${DEFAULT-VALUE}.",
            defaultValue = "1")
    private long keySpaceSize;

    /**
     * Checks the flags together with the command's {@code total} and the distinct keys one request
     * writes ({@code keysPerRequest}).
     *
     * @throws ParameterException naming the flag that is out of range
     */
    void validate(CommandSpec spec, long total, int keysPerRequest) {
        if (total < 1) {
            throw new ParameterException(spec.commandLine(), "--total must be at least 1: " + total);
        }
        if (keySize < 1 || valSize < 0) {
            throw new ParameterException(spec.commandLine(), "--key-size must be at least 1 and --val-size at least 0");
        }
        if (keySpaceSize < 1) {
            throw new ParameterException(spec.commandLine(), "--key-space-size must be at least 1: " + keySpaceSize);
        }
        if (Keys.varintLength(keySpaceSize - 1) > keySize) {
            throw new ParameterException(spec.commandLine(), "--key-size " + keySize + " is too small for --key-space-size "
                    + keySpaceSize + " (needs " + Keys.varintLength(keySpaceSize - 1) + " bytes)");
        }
        if (keysPerRequest > keySpaceSize) {
            throw new ParameterException(spec.commandLine(), "--key-space-size " + keySpaceSize + " is smaller than the "
                    + keysPerRequest + " distinct keys of one request (etcd refuses duplicate keys in a txn)");
        }
    }

    /** Key number {@code n} (0 ≤ n &lt; key space size), {@code --key-size} bytes. */
    ByteString key(long n) {
        return ByteString.copyFrom(Keys.varintKey(n, keySize));
    }

    /** A fresh random value of {@code --val-size} bytes. */
    ByteString value() {
        byte[] value = new byte[valSize];
        ThreadLocalRandom.current().nextBytes(value);
        return ByteString.copyFrom(value);
    }

    int keySize() {
        return keySize;
    }

    int valSize() {
        return valSize;
    }

    long keySpaceSize() {
        return keySpaceSize;
    }
}
