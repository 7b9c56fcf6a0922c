package io.argate.shell.telnet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * The session's terminal output onto the connection, with IAC doubled (RFC 854), bounded by
 * the channel's write-buffer water marks ({@link TelnetLimits#writeHigh()}): while the client
 * does not read, the session's own thread waits for it (a slow link slows the command printing,
 * nothing else) and closes the connection after {@link TelnetLimits#outputStall()}; any other
 * thread (the tap's drainer, JLine's input pump echoing) never waits: its bytes are dropped and
 * counted. So unread output never grows past the mark, and no thread outside the session can
 * be held by a client that stopped reading.
 *
 * <p>JLine's line discipline hands this stream one byte at a time and flushes after each of its
 * writes. Each thread's bytes are therefore gathered until that thread flushes (or
 * {@link #CHUNK} have gathered) and leave as one write: sent a byte at a time, a listing became
 * one TCP segment and one I/O-thread task per byte, a screenful cost thousands of packets, and
 * the output went out too slowly ever to fill the buffers and be seen as stalled. Gathering per
 * thread keeps another thread's drop from taking the session's bytes with it.
 */
final class ConnectionOutput extends OutputStream {
    /** Most bytes gathered before they are sent without waiting for a flush. */
    static final int CHUNK = 2048;

    private final Channel channel;
    private final TelnetLimits limits;
    private final TelnetCounters counters;
    private final Object writable = new Object();
    private final ThreadLocal<Gathered> gathered = ThreadLocal.withInitial(Gathered::new);
    private volatile Thread sessionThread;

    ConnectionOutput(Channel channel, TelnetLimits limits, TelnetCounters counters) {
        this.channel = channel;
        this.limits = limits;
        this.counters = counters;
    }

    /** The thread running the session; only it may wait for the client. */
    void sessionThread(Thread t) {
        this.sessionThread = t;
    }

    /** Called on the I/O thread when writability changes or the channel closes. */
    void wake() {
        synchronized (writable) {
            writable.notifyAll();
        }
    }

    @Override
    public void write(int b) {
        Gathered g = gathered.get();
        boolean iac = (b & 0xff) == TelnetDecoder.IAC;
        if (g.size + (iac ? 2 : 1) > CHUNK) {
            send(g);
        }
        g.add(b);
        if (iac) {
            g.add(TelnetDecoder.IAC);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    /** Sends what this thread has gathered. */
    @Override
    public void flush() {
        Gathered g = gathered.get();
        if (g.size > 0) {
            send(g);
        }
    }

    private void send(Gathered g) {
        int len = g.size;
        ByteBuf buf = g.take();
        if (!channel.isActive()) {
            return;
        }
        if (!channel.isWritable() && !waitWritable()) {
            counters.outputDropped.add(len);
            return;
        }
        channel.writeAndFlush(buf, channel.voidPromise());
    }

    /** True when the session's own thread saw the channel become writable in time. */
    private boolean waitWritable() {
        if (Thread.currentThread() != sessionThread) {
            return false;
        }
        long deadline = System.nanoTime() + limits.outputStall().toNanos();
        synchronized (writable) {
            while (!channel.isWritable() && channel.isActive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    counters.closedOutput.increment();
                    channel.close();
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(writable, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return channel.isActive();
    }

    /** One thread's bytes since its last send, at most {@link #CHUNK}. */
    private static final class Gathered {
        private final byte[] bytes = new byte[CHUNK];
        private int size;

        void add(int b) {
            bytes[size++] = (byte) b;
        }

        /** A copy of the gathered bytes for the channel; this starts empty again. */
        ByteBuf take() {
            ByteBuf b = Unpooled.copiedBuffer(bytes, 0, size);
            size = 0;
            return b;
        }
    }
}
