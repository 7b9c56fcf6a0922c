package io.argate.enco.spi;

import java.nio.ByteBuffer;

/** An HMAC bound to one key. {@code compute} writes the (truncated) ICV into {@code out}. */
public interface MacChannel extends AutoCloseable {
    Algorithm algorithm();

    int length();

    /** MAC over the concatenation of {@code parts} (each from position to limit, positions kept). */
    void compute(byte[] out, int outOffset, ByteBuffer... parts) throws DriverFailure;

    /** Constant-time comparison of the computed ICV with {@code icv} at {@code offset}. */
    default boolean verify(byte[] icv, int offset, ByteBuffer... parts) throws DriverFailure {
        byte[] mine = new byte[length()];
        compute(mine, 0, parts);
        int diff = 0;
        for (int i = 0; i < mine.length; i++) {
            diff |= mine[i] ^ icv[offset + i];
        }
        return diff == 0;
    }

    /**
     * Another channel with the same key and algorithm, for a second thread (one pipeline per
     * core: each receive thread its own cipher state), or null when this channel cannot be
     * duplicated; the caller then shares this one under a lock.
     */
    default MacChannel fork() throws DriverFailure {
        return null;
    }

    @Override
    default void close() {
    }
}
