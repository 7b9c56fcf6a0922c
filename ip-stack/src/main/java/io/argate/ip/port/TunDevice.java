package io.argate.ip.port;

import io.argate.ip.packet.VirtioNetHeader;
import io.netty.buffer.ByteBuf;

/**
 * The file-descriptor side of a TUN port (one queue of it): wait for packets, read one, write
 * one. The real one is {@link TunFd} (JNA, needs root); tests drive {@link TunPort} through a
 * fake, so link loss and recovery are tested without a kernel device.
 */
interface TunDevice {

    /** Waits up to {@code millis} for a packet; true when one can be read. */
    boolean poll(int millis) throws Failure;

    /**
     * Reads one packet into a new buffer with {@code headroom} free bytes before and after it,
     * and its virtio-net header into {@code header} (cleared when the device has none); null
     * when no packet is waiting.
     */
    ByteBuf read(int headroom, VirtioNetHeader header) throws Failure;

    /** Writes one packet (the readable bytes of {@code packet}) behind {@code header} (null: an ordinary packet). */
    void write(ByteBuf packet, VirtioNetHeader header) throws Failure;

    /** The file descriptor, for reads and writes through io_uring; -1 when there is none (a test's fake). */
    default int descriptor() {
        return -1;
    }

    /** Bytes of virtio-net header in front of each packet on the descriptor (0 or {@link VirtioNetHeader#SIZE}). */
    default int headerSize() {
        return 0;
    }

    /** The TUNSETOFFLOAD flags the kernel accepted for this device (0: none, no virtio-net header). */
    default int offloads() {
        return 0;
    }

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
