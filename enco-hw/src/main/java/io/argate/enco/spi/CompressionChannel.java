package io.argate.enco.spi;

/**
 * One IPComp compression channel (per SA): each call handles one datagram on its own, as
 * IPComp requires (RFC 3173 section 2.2: no history between datagrams).
 */
public interface CompressionChannel extends AutoCloseable {
    Algorithm algorithm();

    /** Compressed length, or -1 when the result would not fit in {@code outMax} bytes. */
    int compress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) throws DriverFailure;

    /** Decompressed length; a malformed stream or more than {@code outMax} bytes is a DriverFailure. */
    int decompress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) throws DriverFailure;

    /**
     * Another channel with the same key and algorithm, for a second thread (one pipeline per
     * core: each receive thread its own cipher state), or null when this channel cannot be
     * duplicated; the caller then shares this one under a lock.
     */
    default CompressionChannel fork() throws DriverFailure {
        return null;
    }

    @Override
    default void close() {
    }
}
