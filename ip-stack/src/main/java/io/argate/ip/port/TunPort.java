package io.argate.ip.port;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Linux TUN device as a port: the device is attached ({@link TunFd}), then MTU and link up are
 * set with iproute2, optionally after moving the device into a network namespace (argate keeps
 * the file descriptor, so the Linux side of the link lives in the namespace). Receives on its
 * own thread (poll + read).
 *
 * <p>The port follows its link: a failed write or read (the host side set down: the kernel
 * refuses writes to a TUN device that is not up) counts an error and takes the port down; after
 * {@link #RETRY_FIRST} the port is offered again and the next packet is the probe, the wait
 * doubling up to {@link #RETRY_MAX} while probes fail; any packet read from the host means the
 * link is up at once. The receive thread survives device errors, so nothing needs a restart.
 */
public final class TunPort implements Port {
    /** First wait before a port that lost its link is tried again. */
    public static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    /** Longest wait between tries while the link stays down. */
    public static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** How long the receive thread waits for a packet before it looks at {@code running} again. */
    static final int POLL_MILLIS = 200;

    private final String name;
    private final String dev;
    private final int mtu;
    private final TunDevice device;
    private final Clock clock;
    private final PortCounters counters = new PortCounters();
    private volatile boolean up = true;
    /** When a down link is next tried; meaningful only while down. */
    private volatile Instant retryAt = Instant.MIN;
    /** The wait after the next failure: {@link #RETRY_FIRST} while the link works, longer while probes fail. */
    private volatile Duration retryWait = RETRY_FIRST;
    private volatile boolean running;
    private Thread rx;

    TunPort(String name, String dev, TunDevice device, int mtu, Clock clock) {
        this.name = name;
        this.dev = dev;
        this.device = device;
        this.mtu = mtu;
        this.clock = clock;
    }

    /** Creates the device; a clear error names the port when it cannot (no root, no /dev/net/tun). */
    public static TunPort open(String name, String dev, String netns, int mtu) {
        TunFd fd = TunFd.attach(name, dev);
        try {
            if (netns != null) {
                ip("link", "set", "dev", dev, "netns", netns);
                ip("-n", netns, "link", "set", "dev", dev, "mtu", Integer.toString(mtu), "up");
            } else {
                ip("link", "set", "dev", dev, "mtu", Integer.toString(mtu), "up");
            }
            return new TunPort(name, dev, fd, mtu, Clock.systemUTC());
        } catch (IllegalStateException e) {
            fd.close();
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

    /** Up, or down until the retry time, when the port is offered again (the next packet probes it). */
    @Override
    public boolean linkUp() {
        if (!up && !clock.instant().isBefore(retryAt)) {
            up = true;
        }
        return up;
    }

    @Override
    public void start(PacketSink sink) {
        running = true;
        rx = new Thread(() -> {
            while (running) {
                if (!receiveOnce(sink, POLL_MILLIS) && running) {
                    pauseUntilRetry();
                }
            }
        }, "rx-" + name);
        rx.setDaemon(true);
        rx.start();
    }

    /**
     * One turn of the receive loop: waits up to {@code millis} for a packet and delivers it.
     * False when the device failed (counted; the link is down until it answers again).
     */
    boolean receiveOnce(PacketSink sink, int millis) {
        ByteBuf b;
        try {
            if (!device.poll(millis)) {
                return true;
            }
            b = device.read(HEADROOM);
        } catch (TunDevice.Failure e) {
            counters.rxErrors.increment();
            linkLost();
            return false;
        }
        linkAnswered();
        counters.received(b.readableBytes());
        try {
            sink.receive(this, b);
        } catch (RuntimeException e) {
            counters.rxErrors.increment();
        }
        return true;
    }

    /**
     * After a device error the receive thread waits for the retry time rather than spin on a
     * device that keeps failing (one deleted from outside), at most a poll period past it.
     */
    private void pauseUntilRetry() {
        long millis = Duration.between(clock.instant(), retryAt).toMillis();
        try {
            Thread.sleep(Math.max(POLL_MILLIS, Math.min(millis, RETRY_MAX.toMillis())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public synchronized boolean transmit(ByteBuf packet) {
        try {
            int n = packet.readableBytes();
            if (!linkUp() || n > mtu) {
                counters.txDrops.increment();
                return false;
            }
            device.write(packet);
            linkAnswered();
            counters.sent(n);
            return true;
        } catch (TunDevice.Failure e) {
            counters.txErrors.increment();
            linkLost();
            return false;
        } finally {
            packet.release();
        }
    }

    /** The device failed: down until {@link #retryAt}, each consecutive failure waiting twice as long. */
    private synchronized void linkLost() {
        Duration wait = retryWait;
        up = false;
        retryAt = clock.instant().plus(wait);
        Duration next = wait.multipliedBy(2);
        retryWait = next.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : next;
    }

    /** The device took or gave a packet: the link is up. */
    private void linkAnswered() {
        if (!up || retryWait != RETRY_FIRST) {
            synchronized (this) {
                up = true;
                retryWait = RETRY_FIRST;
            }
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
        device.close();
    }

    /** The Linux device name. */
    public String device() {
        return dev;
    }
}
