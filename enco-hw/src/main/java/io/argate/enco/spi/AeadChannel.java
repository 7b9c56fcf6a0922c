package io.argate.enco.spi;

import java.nio.ByteBuffer;

/**
 * AES-GCM bound to one key, in place, laid out as ESP carries it (RFC 4106): the tag follows the
 * ciphertext. {@code seal} encrypts {@code length} bytes at the buffer's position and writes the
 * tag right after them; {@code open} checks the tag that follows the {@code length} ciphertext
 * bytes before it decrypts them. The nonce is the 4-byte salt then the 8-byte explicit IV; the
 * AAD is SPI and sequence number.
 */
public interface AeadChannel extends AutoCloseable {
    Algorithm algorithm();

    /** Tag length in bytes (8, 12 or 16 for ESP). */
    int tagLength();

    void seal(byte[] nonce, byte[] aad, ByteBuffer buf, int length) throws DriverFailure;

    /** False when the tag does not verify; the ciphertext must then be dropped. */
    boolean open(byte[] nonce, byte[] aad, ByteBuffer buf, int length) throws DriverFailure;

    /**
     * Another channel with the same key and algorithm, for a second thread (one pipeline per
     * core: each receive thread its own cipher state), or null when this channel cannot be
     * duplicated; the caller then shares this one under a lock.
     */
    default AeadChannel fork() throws DriverFailure {
        return null;
    }

    @Override
    default void close() {
    }
}
