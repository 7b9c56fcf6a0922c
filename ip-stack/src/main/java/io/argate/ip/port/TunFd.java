package io.argate.ip.port;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN device's file descriptor (linux/if_tun.h) through JNA: /dev/net/tun, TUNSETIFF
 * with IFF_TUN | IFF_NO_PI (bare IP packets), poll, read and write.
 */
final class TunFd implements TunDevice {
    private static final int O_RDWR = 2;
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short POLLIN = 1;
    /** Largest IPv4 packet plus one, so nothing a read returns is cut. */
    private static final int BUFFER = 65536;

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

        int poll(Pointer fds, long n, int timeout) throws LastErrorException;

        long read(int fd, Pointer buf, long n) throws LastErrorException;

        long write(int fd, Pointer buf, long n) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final int fd;
    private final Memory pollFd = new Memory(8);
    private final Memory rxBuf = new Memory(BUFFER);
    private final Memory txBuf = new Memory(BUFFER);

    private TunFd(int fd) {
        this.fd = fd;
    }

    /** Opens /dev/net/tun and attaches it to the TUN device {@code dev} (created if need be). */
    static TunFd attach(String port, String dev) {
        int fd;
        try {
            fd = LibC.INSTANCE.open("/dev/net/tun", O_RDWR);
        } catch (LastErrorException e) {
            throw new IllegalStateException("port " + port + ": cannot open /dev/net/tun: errno " + e.getErrorCode()
                    + (e.getErrorCode() == 13 || e.getErrorCode() == 1 ? " (needs root)" : ""));
        }
        try {
            Memory ifr = new Memory(40);
            ifr.clear();
            byte[] n = dev.getBytes(StandardCharsets.US_ASCII);
            ifr.write(0, n, 0, Math.min(15, n.length));
            ifr.setShort(16, (short) (IFF_TUN | IFF_NO_PI));
            LibC.INSTANCE.ioctl(fd, TUNSETIFF, ifr);
            return new TunFd(fd);
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw new IllegalStateException("port " + port + ": TUNSETIFF " + dev + " failed: errno " + e.getErrorCode()
                    + (e.getErrorCode() == 1 ? " (needs root)" : ""));
        }
    }

    @Override
    public boolean poll(int millis) throws Failure {
        try {
            pollFd.setInt(0, fd);
            pollFd.setShort(4, POLLIN);
            pollFd.setShort(6, (short) 0);
            if (LibC.INSTANCE.poll(pollFd, 1, millis) <= 0) {
                return false;
            }
            short revents = pollFd.getShort(6);
            if ((revents & POLLIN) == 0) {
                throw new Failure("poll reported events 0x" + Integer.toHexString(revents), 0);
            }
            return true;
        } catch (LastErrorException e) {
            throw new Failure("poll failed", e.getErrorCode());
        }
    }

    @Override
    public ByteBuf read(int headroom) throws Failure {
        try {
            long n = LibC.INSTANCE.read(fd, rxBuf, BUFFER);
            if (n <= 0) {
                throw new Failure("read returned " + n, 0);
            }
            ByteBuf b = PacketBuffers.ALLOC.buffer(headroom + (int) n + headroom);
            b.writerIndex(headroom).readerIndex(headroom);
            return b.writeBytes(rxBuf.getByteBuffer(0, n));
        } catch (LastErrorException e) {
            throw new Failure("read failed", e.getErrorCode());
        }
    }

    @Override
    public void write(ByteBuf packet) throws Failure {
        int n = packet.readableBytes();
        txBuf.getByteBuffer(0, n).put(packet.nioBuffer(packet.readerIndex(), n));
        try {
            LibC.INSTANCE.write(fd, txBuf, n);
        } catch (LastErrorException e) {
            throw new Failure("write failed", e.getErrorCode());
        }
    }

    @Override
    public void close() {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException ignored) {
            // already gone
        }
    }
}
