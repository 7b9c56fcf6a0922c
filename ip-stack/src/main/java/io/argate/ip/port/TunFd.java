package io.argate.ip.port;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.argate.ip.packet.VirtioNetHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN device's file descriptor (linux/if_tun.h) through JNA direct calls (a JNA
 * interface proxy costs about a microsecond a call, more than the read itself): /dev/net/tun,
 * TUNSETIFF with IFF_TUN | IFF_NO_PI (bare IP packets), non-blocking, poll, read and write.
 *
 * <p>With offloads the device is opened with IFF_VNET_HDR, so each packet is preceded by a
 * {@link VirtioNetHeader}, and TUNSETOFFLOAD lets the kernel hand over TCP and (6.2 on) UDP
 * super-packets of up to 64 KB and packets whose checksum is still partial, and take them back. A kernel that
 * refuses (older, or built without) leaves the device as before: plain packets, no header.
 * With IFF_MULTI_QUEUE several descriptors attach to one device, one per receive thread.
 *
 * <p>read and write, one per packet, go through Netty's JNI ({@link FileDescriptor}) when its
 * native transport is loaded: a plain JNI call returning -errno, about 0.3 µs less per call than
 * JNA's direct mapping (its dispatch saves errno through thread-local storage and checks for
 * exceptions), a tenth of what forwarding a 64-byte packet cost. JNA serves where Netty's native
 * code is missing, and for the rest (open, ioctl, poll: once per device or per wake-up).
 */
final class TunFd implements TunDevice {
    private static final int O_RDWR = 2;
    private static final int O_NONBLOCK = 0x800;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final long TUNSETIFF = 0x400454caL;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final long TUNSETVNETHDRSZ = 0x400454d8L;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final short IFF_MULTI_QUEUE = 0x0100;
    /** TUNSETOFFLOAD flags: checksum offload, and TSO for TCP/IPv4 on top of it (needs the checksum). */
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    /**
     * UDP segmentation offload (Linux 6.2): UDP super-packets both ways. The kernel takes USO4
     * only together with USO6 (one device feature covers both); argate carries IPv4 alone, so
     * the IPv6 half never meets a packet argate keeps.
     */
    static final int TUN_F_USO4 = 0x20;
    static final int TUN_F_USO6 = 0x40;
    private static final short POLLIN = 1;
    /** Largest IPv4 packet, its virtio-net header, plus one, so nothing a read returns is cut. */
    private static final int BUFFER = 65536 + VirtioNetHeader.SIZE;

    /** libc by JNA direct mapping; errno is read with {@link Native#getLastError()}. */
    static final class LibC {
        static {
            Native.register("c");
        }

        private LibC() {
        }

        static native int open(String path, int flags);

        static native int ioctl(int fd, long request, Pointer arg);

        static native int ioctl(int fd, long request, long arg);

        static native int poll(Pointer fds, long n, int timeout);

        static native long read(int fd, Pointer buf, long n);

        static native long write(int fd, Pointer buf, long n);

        static native int close(int fd);
    }

    private final int fd;
    /** 0, or the virtio-net header's size when the device puts one in front of each packet. */
    private final int vnet;
    /** TUN_F_* the kernel accepted. */
    private final int offloads;
    private final Memory pollFd = new Memory(8);
    private final Memory rxBuf = new Memory(BUFFER);
    private final ByteBuf rxView = Unpooled.wrappedBuffer(rxBuf.getByteBuffer(0, BUFFER));
    private final Memory txBuf = new Memory(BUFFER);
    private final ByteBuf txView = Unpooled.wrappedBuffer(txBuf.getByteBuffer(0, BUFFER));
    /** The descriptor for Netty's read and write, or null where its native transport is missing (JNA then). */
    private final FileDescriptor nettyFd;
    private final long rxAddress = Pointer.nativeValue(rxBuf);
    private final long txAddress = Pointer.nativeValue(txBuf);

    private TunFd(int fd, int vnet, int offloads, boolean viaNetty) {
        this.fd = fd;
        this.vnet = vnet;
        this.offloads = offloads;
        // never closed through Netty: close() closes the descriptor once, through JNA
        this.nettyFd = viaNetty && Epoll.isAvailable() ? new FileDescriptor(fd) : null;
    }

    /** True when read and write go through Netty's JNI rather than JNA (tests). */
    boolean viaNetty() {
        return nettyFd != null;
    }

    /**
     * Opens /dev/net/tun and attaches it to the TUN device {@code dev} (created if need be);
     * {@code offload} asks for the virtio-net header and TSO, {@code multiQueue} for a queue of
     * a multi-queue device.
     */
    static TunFd attach(String port, String dev, boolean offload, boolean multiQueue) {
        return attach(port, dev, offload, multiQueue, true);
    }

    /** {@link #attach(String, String, boolean, boolean)}; {@code viaNetty} false keeps read and write on JNA (tests). */
    static TunFd attach(String port, String dev, boolean offload, boolean multiQueue, boolean viaNetty) {
        int fd = LibC.open("/dev/net/tun", O_RDWR | O_NONBLOCK);
        if (fd < 0) {
            int e = Native.getLastError();
            throw new IllegalStateException("port " + port + ": cannot open /dev/net/tun: errno " + e + (e == 13 || e == 1 ? " (needs root)" : ""));
        }
        short flags = (short) (IFF_TUN | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0));
        int vnet = 0;
        int e = offload ? setIff(fd, dev, (short) (flags | IFF_VNET_HDR)) : -1;
        if (e == 0) {
            vnet = VirtioNetHeader.SIZE;
        } else {
            e = setIff(fd, dev, flags);
        }
        if (e != 0) {
            LibC.close(fd);
            throw new IllegalStateException("port " + port + ": TUNSETIFF " + dev + " failed: errno " + e + (e == 1 ? " (needs root)" : "")
                    + (e == 22 && multiQueue ? " (is " + dev + " already open without queues=?)" : ""));
        }
        int accepted = 0;
        if (vnet > 0) {
            Memory size = new Memory(4);
            size.setInt(0, VirtioNetHeader.SIZE);
            LibC.ioctl(fd, TUNSETVNETHDRSZ, size);
            // the richest set first; a kernel refuses the whole set when it lacks one flag (EINVAL)
            if (LibC.ioctl(fd, TUNSETOFFLOAD, (long) (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_USO4 | TUN_F_USO6)) == 0) {
                accepted = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_USO4 | TUN_F_USO6;
            } else if (LibC.ioctl(fd, TUNSETOFFLOAD, (long) (TUN_F_CSUM | TUN_F_TSO4)) == 0) {
                accepted = TUN_F_CSUM | TUN_F_TSO4;
            } else if (LibC.ioctl(fd, TUNSETOFFLOAD, (long) TUN_F_CSUM) == 0) {
                accepted = TUN_F_CSUM;
            }
        }
        return new TunFd(fd, vnet, accepted, viaNetty);
    }

    /** TUNSETIFF; 0 or the errno. */
    private static int setIff(int fd, String dev, short flags) {
        Memory ifr = new Memory(40);
        ifr.clear();
        byte[] n = dev.getBytes(StandardCharsets.US_ASCII);
        ifr.write(0, n, 0, Math.min(15, n.length));
        ifr.setShort(16, flags);
        return LibC.ioctl(fd, TUNSETIFF, ifr) == 0 ? 0 : Native.getLastError();
    }

    @Override
    public int offloads() {
        return offloads;
    }

    @Override
    public int descriptor() {
        return fd;
    }

    @Override
    public int headerSize() {
        return vnet;
    }

    @Override
    public boolean poll(int millis) throws Failure {
        pollFd.setInt(0, fd);
        pollFd.setShort(4, POLLIN);
        pollFd.setShort(6, (short) 0);
        int n = LibC.poll(pollFd, 1, millis);
        if (n < 0) {
            int e = Native.getLastError();
            if (e == EINTR) {
                return false;
            }
            throw new Failure("poll failed", e);
        }
        if (n == 0) {
            return false;
        }
        short revents = pollFd.getShort(6);
        if ((revents & POLLIN) == 0) {
            throw new Failure("poll reported events 0x" + Integer.toHexString(revents), 0);
        }
        return true;
    }

    @Override
    public ByteBuf read(int headroom, VirtioNetHeader header) throws Failure {
        long n;
        if (nettyFd != null) {
            // 0: EAGAIN (Netty retries EINTR itself); -1: end of file, which a TUN device never gives
            n = netty(true, rxAddress, BUFFER);
            if (n == 0) {
                return null;
            }
        } else {
            n = LibC.read(fd, rxBuf, BUFFER);
            if (n < 0) {
                int e = Native.getLastError();
                if (e == EAGAIN || e == EINTR) {
                    return null;
                }
                throw new Failure("read failed", e);
            }
        }
        if (n <= vnet) {
            throw new Failure("read returned " + n, 0);
        }
        if (vnet > 0) {
            header.decode(rxView, 0);
        } else {
            header.clear();
        }
        int len = (int) n - vnet;
        ByteBuf b = PacketBuffers.ALLOC.buffer(headroom + len + headroom);
        b.writerIndex(headroom).readerIndex(headroom);
        return b.writeBytes(rxView, vnet, len);
    }

    @Override
    public void write(ByteBuf packet, VirtioNetHeader header) throws Failure {
        int n = packet.readableBytes();
        if (vnet > 0) {
            if (header == null) {
                txView.setZero(0, vnet);
            } else {
                header.encode(txView, 0);
            }
        }
        txView.setBytes(vnet, packet, packet.readerIndex(), n);
        if (nettyFd != null) {
            // 0 is EAGAIN to Netty; a TUN device's write does not block, so it would be a failure here
            if (netty(false, txAddress, vnet + n) == 0) {
                throw new Failure("write failed", EAGAIN);
            }
        } else if (LibC.write(fd, txBuf, vnet + n) < 0) {
            throw new Failure("write failed", Native.getLastError());
        }
    }

    /** Netty's read or write of {@code n} bytes at {@code address}: what it returned, an error as a Failure with its errno. */
    private int netty(boolean read, long address, int n) throws Failure {
        try {
            return read ? nettyFd.readAddress(address, 0, n) : nettyFd.writeAddress(address, 0, n);
        } catch (Errors.NativeIoException e) {
            throw new Failure((read ? "read" : "write") + " failed", -e.expectedErr());
        } catch (IOException e) {
            throw new Failure((read ? "read" : "write") + " failed: " + e.getMessage(), 0);
        }
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
