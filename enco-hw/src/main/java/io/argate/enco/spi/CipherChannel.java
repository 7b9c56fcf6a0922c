package io.argate.enco.spi;

import java.nio.ByteBuffer;

/**
 * A block cipher in CBC mode bound to one key, as one SA uses it: re-initialised per packet
 * with that packet's IV, working in place on the payload (the bytes of {@code data} from its
 * position to its limit, a whole number of blocks). Not thread-safe: one channel per SA direction.
 */
public interface CipherChannel extends AutoCloseable {
    Algorithm algorithm();

    void encrypt(byte[] iv, ByteBuffer data) throws DriverFailure;

    void decrypt(byte[] iv, ByteBuffer data) throws DriverFailure;

    /**
     * Another channel with the same key and algorithm, for a second thread (one pipeline per
     * core: each receive thread its own cipher state), or null when this channel cannot be
     * duplicated; the caller then shares this one under a lock.
     */
    default CipherChannel fork() throws DriverFailure {
        return null;
    }

    @Override
    default void close() {
    }
}
