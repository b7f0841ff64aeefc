package io.etcetera.dist.benchmark;

/**
 * The keys etcd's benchmark writes ({@code tools/benchmark/cmd/put.go}): key number {@code n} is
 * Go's {@code binary.PutVarint(n)} (zig-zag, then 7 bits a byte, least significant first) at the
 * start of a zero-filled {@code keySize}-byte buffer. Using the same bytes keeps etcd's and
 * etcetera's runs comparable with etcd's own tool. Stateless.
 */
final class Keys {

    private Keys() {
    }

    /**
     * Key number {@code n} of {@code keySize} bytes.
     *
     * @throws IllegalArgumentException if {@code n}'s varint does not fit in {@code keySize} bytes
     */
    static byte[] varintKey(long n, int keySize) {
        int length = varintLength(n);
        if (length > keySize) {
            throw new IllegalArgumentException("key number " + n + " needs " + length + " bytes, more than the key size " + keySize);
        }
        byte[] key = new byte[keySize];
        long zigzag = (n << 1) ^ (n >> 63);
        int i = 0;
        while (Long.compareUnsigned(zigzag, 0x80) >= 0) {
            key[i++] = (byte) (zigzag | 0x80);
            zigzag >>>= 7;
        }
        key[i] = (byte) zigzag;
        return key;
    }

    /** Bytes of Go's varint of {@code n} (1..10). */
    static int varintLength(long n) {
        long zigzag = (n << 1) ^ (n >> 63);
        int length = 1;
        while (Long.compareUnsigned(zigzag, 0x80) >= 0) {
            zigzag >>>= 7;
            length++;
        }
        return length;
    }
}
