package io.argate.ip.port;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Linux TUN device (linux/if_tun.h) through JNA: /dev/net/tun, TUNSETIFF with IFF_TUN |
 * IFF_NO_PI (bare IP packets), then MTU and link up set with iproute2, optionally after moving
 * the device into a network namespace (argate keeps the file descriptor, so the Linux side of
 * the link lives in the namespace). Receives on its own thread (poll + read); a device deleted
 * from outside turns the port link-down with the error counted.
 */
public final class TunPort implements Port {
    private static final int O_RDWR = 2;
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short POLLIN = 1;

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

        int poll(Pointer fds, long n, int timeout) throws LastErrorException;

        long read(int fd, Pointer buf, long n) throws LastErrorException;

        long write(int fd, Pointer buf, long n) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final String name;
    private final String dev;
    private final int mtu;
    private final int fd;
    private final PortCounters counters = new PortCounters();
    private final Memory txBuf;
    private volatile boolean up = true;
    private volatile boolean running;
    private Thread rx;

    private TunPort(String name, String dev, int fd, int mtu) {
        this.name = name;
        this.dev = dev;
        this.fd = fd;
        this.mtu = mtu;
        this.txBuf = new Memory(65536);
    }

    /** Creates the device; a clear error names the port when it cannot (no root, no /dev/net/tun). */
    public static TunPort open(String name, String dev, String netns, int mtu) {
        int fd;
        try {
            fd = LibC.INSTANCE.open("/dev/net/tun", O_RDWR);
        } catch (LastErrorException e) {
            throw new IllegalStateException("port " + name + ": cannot open /dev/net/tun: errno " + e.getErrorCode()
                    + (e.getErrorCode() == 13 || e.getErrorCode() == 1 ? " (needs root)" : ""));
        }
        try {
            Memory ifr = new Memory(40);
            ifr.clear();
            byte[] n = dev.getBytes(StandardCharsets.US_ASCII);
            ifr.write(0, n, 0, Math.min(15, n.length));
            ifr.setShort(16, (short) (IFF_TUN | IFF_NO_PI));
            LibC.INSTANCE.ioctl(fd, TUNSETIFF, ifr);
            if (netns != null) {
                ip("link", "set", "dev", dev, "netns", netns);
                ip("-n", netns, "link", "set", "dev", dev, "mtu", Integer.toString(mtu), "up");
            } else {
                ip("link", "set", "dev", dev, "mtu", Integer.toString(mtu), "up");
            }
            return new TunPort(name, dev, fd, mtu);
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw new IllegalStateException("port " + name + ": TUNSETIFF " + dev + " failed: errno " + e.getErrorCode()
                    + (e.getErrorCode() == 1 ? " (needs root)" : ""));
        } catch (IllegalStateException e) {
            LibC.INSTANCE.close(fd);
            throw new IllegalStateException("port " + name + ": " + e.getMessage());
        }
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ip (iproute2): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String driver() {
        return "tun";
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public boolean linkUp() {
        return up;
    }

    @Override
    public void start(PacketSink sink) {
        running = true;
        rx = new Thread(() -> receive(sink), "rx-" + name);
        rx.setDaemon(true);
        rx.start();
    }

    private void receive(PacketSink sink) {
        Memory pfd = new Memory(8);
        Memory buf = new Memory(65536);
        while (running) {
            try {
                pfd.setInt(0, fd);
                pfd.setShort(4, POLLIN);
                pfd.setShort(6, (short) 0);
                int ready = LibC.INSTANCE.poll(pfd, 1, 200);
                if (ready <= 0) {
                    continue;
                }
                short revents = pfd.getShort(6);
                if ((revents & POLLIN) == 0) {
                    // POLLERR/POLLHUP: the device went away
                    lost("poll reported " + revents);
                    return;
                }
                long n = LibC.INSTANCE.read(fd, buf, 65536);
                if (n <= 0) {
                    lost("read returned " + n);
                    return;
                }
                ByteBuf b = PacketBuffers.ALLOC.buffer(HEADROOM + (int) n + HEADROOM);
                b.writerIndex(HEADROOM).readerIndex(HEADROOM);
                b.writeBytes(buf.getByteBuffer(0, n));
                counters.received((int) n);
                sink.receive(this, b);
            } catch (LastErrorException e) {
                if (!running) {
                    return;
                }
                lost("errno " + e.getErrorCode());
                return;
            } catch (RuntimeException e) {
                counters.rxErrors.increment();
            }
        }
    }

    private void lost(String why) {
        up = false;
        counters.rxErrors.increment();
    }

    @Override
    public synchronized boolean transmit(ByteBuf packet) {
        try {
            int n = packet.readableBytes();
            if (!up || n > mtu) {
                counters.txDrops.increment();
                return false;
            }
            txBuf.getByteBuffer(0, n).put(packet.nioBuffer(packet.readerIndex(), n));
            LibC.INSTANCE.write(fd, txBuf, n);
            counters.sent(n);
            return true;
        } catch (LastErrorException e) {
            counters.txErrors.increment();
            up = false;
            return false;
        } finally {
            packet.release();
        }
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        running = false;
        if (rx != null) {
            try {
                rx.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException ignored) {
            // already gone
        }
    }

    /** The Linux device name. */
    public String device() {
        return dev;
    }
}
