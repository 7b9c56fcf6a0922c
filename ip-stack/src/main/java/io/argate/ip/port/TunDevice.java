package io.argate.ip.port;

import io.netty.buffer.ByteBuf;

/**
 * The file-descriptor side of a TUN port: wait for a packet, read one, write one. The real one
 * is {@link TunFd} (JNA, needs root); tests drive {@link TunPort} through a fake, so link loss
 * and recovery are tested without a kernel device.
 */
interface TunDevice {

    /** Waits up to {@code millis} for a packet; true when one can be read. */
    boolean poll(int millis) throws Failure;

    /** Reads one packet into a new buffer with {@code headroom} free bytes before and after it. */
    ByteBuf read(int headroom) throws Failure;

    /** Writes one packet (the readable bytes of {@code packet}). */
    void write(ByteBuf packet) throws Failure;

    void close();

    /** A device operation failed; {@code errno} when the kernel gave one, else 0. */
    final class Failure extends Exception {
        private final int errno;

        Failure(String what, int errno) {
            super(what, null, false, false);
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }
}
