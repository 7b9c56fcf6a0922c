package io.argate.ip.port;

import com.sun.jna.Native;

import java.util.Arrays;

/**
 * A Unix SOCK_SEQPACKET socket pair: like a TUN device, each write is one packet and each read
 * returns one, and both ends can be polled, so io_uring's reads and writes are tested on it
 * without root. {@link #ring} is argate's end (the "device"), {@link #host} the other.
 */
final class SocketPair implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int MSG_DONTWAIT = 0x40;

    static final class LibC {
        static {
            Native.register("c");
        }

        private LibC() {
        }

        static native int socketpair(int domain, int type, int protocol, int[] sv);

        static native long send(int fd, byte[] buf, long n, int flags);

        static native long recv(int fd, byte[] buf, long n, int flags);

        static native int close(int fd);
    }

    final int ring;
    final int host;

    SocketPair() {
        int[] sv = new int[2];
        if (LibC.socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) != 0) {
            throw new IllegalStateException("socketpair: errno " + Native.getLastError());
        }
        ring = sv[0];
        host = sv[1];
    }

    /** The host sends one packet to argate's end. */
    void send(byte[] packet) {
        if (LibC.send(host, packet, packet.length, MSG_DONTWAIT) != packet.length) {
            throw new IllegalStateException("send: errno " + Native.getLastError());
        }
    }

    /** The next packet argate's end sent to the host, or null when none waits. */
    byte[] receive() {
        byte[] b = new byte[65536];
        long n = LibC.recv(host, b, b.length, MSG_DONTWAIT);
        return n < 0 ? null : Arrays.copyOf(b, (int) n);
    }

    /** Waits up to {@code millis} for the next packet argate's end sent. */
    byte[] receive(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        byte[] b;
        while ((b = receive()) == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return b;
    }

    /** A test packet: its number in the first four bytes, {@code size} bytes in all. */
    static byte[] numbered(int n, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) (n >>> 24);
        b[1] = (byte) (n >>> 16);
        b[2] = (byte) (n >>> 8);
        b[3] = (byte) n;
        for (int i = 4; i < size; i++) {
            b[i] = (byte) (n + i);
        }
        return b;
    }

    static int number(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    @Override
    public void close() {
        LibC.close(ring);
        LibC.close(host);
    }
}
