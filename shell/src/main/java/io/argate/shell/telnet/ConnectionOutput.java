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
 * thread (a timer, a log listener, JLine's input pump) never waits: its bytes are dropped and
 * counted. So unread output never grows past the mark, and no thread outside the session can
 * be held by a client that stopped reading.
 */
final class ConnectionOutput extends OutputStream {
    private final Channel channel;
    private final TelnetLimits limits;
    private final TelnetCounters counters;
    private final Object writable = new Object();
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
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (len == 0 || !channel.isActive()) {
            return;
        }
        if (!channel.isWritable() && !waitWritable()) {
            counters.outputDropped.add(len);
            return;
        }
        ByteBuf buf = Unpooled.buffer(len + 8);
        for (int i = off; i < off + len; i++) {
            buf.writeByte(b[i]);
            if ((b[i] & 0xff) == TelnetDecoder.IAC) {
                buf.writeByte(TelnetDecoder.IAC);
            }
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
}
