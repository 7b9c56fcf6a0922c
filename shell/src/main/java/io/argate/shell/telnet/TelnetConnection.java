package io.argate.shell.telnet;

import io.argate.shell.console.JLineIo;
import io.argate.shell.login.SessionRunner;
import io.argate.shell.login.ShellContext;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One telnet connection: admission against {@link TelnetLimits}, bounded option negotiation
 * (echo, suppress-go-ahead, window size), decoded input to a JLine terminal, and the session on
 * a thread of the server's pool. Every buffer a client can fill is bounded; a connection past a
 * bound is closed and counted in {@link TelnetCounters}. Nothing thrown by the session leaves
 * its thread.
 */
final class TelnetConnection extends ChannelInboundHandlerAdapter implements TelnetDecoder.Listener {
    static final String FULL = "Too many telnet connections; try again later.\r\n";

    private final ShellContext ctx;
    private final Executor sessions;
    private final TelnetLimits limits;
    private final TelnetCounters counters;
    private final InputQueue input = new InputQueue();
    private final TelnetDecoder decoder = new TelnetDecoder(this);
    private final OptionNegotiation negotiation;
    private final AtomicBoolean waitingLogin = new AtomicBoolean();
    private Channel channel;
    private ConnectionOutput output;
    private Terminal terminal;
    private boolean admitted;
    private boolean closing;
    private volatile boolean loggedIn;

    TelnetConnection(ShellContext ctx, Executor sessions, TelnetLimits limits, TelnetCounters counters) {
        this.ctx = ctx;
        this.sessions = sessions;
        this.limits = limits;
        this.counters = counters;
        this.negotiation = new OptionNegotiation(limits.negotiations());
    }

    @Override
    public void channelActive(ChannelHandlerContext c) throws IOException {
        channel = c.channel();
        // one I/O thread serves every connection, so these checks and increments do not race
        if (counters.open.get() >= limits.connections() || counters.waitingLogin.get() >= limits.waitingLogin()) {
            counters.refusedFull.increment();
            closing = true;
            channel.writeAndFlush(Unpooled.copiedBuffer(FULL, StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        admitted = true;
        counters.accepted.increment();
        counters.open.incrementAndGet();
        counters.waitingLogin.incrementAndGet();
        waitingLogin.set(true);
        // The server echoes and runs character at a time (RFC 857, 858); ask for the window size (RFC 1073).
        send(TelnetDecoder.IAC, TelnetDecoder.WILL, TelnetDecoder.OPT_ECHO,
                TelnetDecoder.IAC, TelnetDecoder.WILL, TelnetDecoder.OPT_SGA,
                TelnetDecoder.IAC, TelnetDecoder.DO, TelnetDecoder.OPT_NAWS);
        output = new ConnectionOutput(channel, limits, counters);
        // A terminal over the connection's streams with JLine's own line discipline; never a pty.
        ExternalTerminal t = new ExternalTerminal("telnet", "vt100", input, output, StandardCharsets.UTF_8);
        t.setSize(new Size(80, 24));
        terminal = t;
        JLineIo io = new JLineIo(terminal, ctx.processor(), () -> channel.close());
        Session s = new Session(ctx.registry().nextId(), SessionKind.TELNET, io, ctx.clock().instant());
        // the address alone: logins are throttled per source address, whatever its port
        s.peer(channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress()
                : String.valueOf(channel.remoteAddress()));
        io.attach(s);
        try {
            sessions.execute(() -> runSession(s));
        } catch (RejectedExecutionException e) {
            counters.refusedFull.increment();
            channel.close();
        }
    }

    private void runSession(Session s) {
        output.sessionThread(Thread.currentThread());
        try {
            new SessionRunner(ctx, s, this::loggedIn).run();
        } catch (RuntimeException | Error e) {
            // contained: the session ends, the router and the other sessions go on
            counters.sessionFailures.increment();
        } finally {
            channel.close();
        }
    }

    private void loggedIn() {
        loggedIn = true;
        if (waitingLogin.compareAndSet(true, false)) {
            counters.waitingLogin.decrementAndGet();
        }
    }

    private void send(int... bytes) {
        ByteBuf b = Unpooled.buffer(bytes.length);
        for (int x : bytes) {
            b.writeByte(x);
        }
        channel.writeAndFlush(b, channel.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            while (buf.isReadable() && admitted && !closing) {
                decoder.feed(buf.readUnsignedByte());
            }
        } finally {
            buf.release();
        }
    }

    private void closeFor(java.util.concurrent.atomic.LongAdder reason) {
        if (!closing) {
            closing = true;
            reason.increment();
            channel.close();
        }
    }

    @Override
    public void data(int b) {
        if (!input.offer(b)) {
            if (loggedIn) {
                // a paste bigger than the buffer while a command runs: the excess is lost, counted
                counters.inputDropped.increment();
            } else {
                closeFor(counters.closedInput);
            }
        }
    }

    @Override
    public void option(int verb, int option) {
        int reply = negotiation.answer(verb, option);
        if (negotiation.flooded()) {
            closeFor(counters.closedNegotiation);
        } else if (reply != OptionNegotiation.NONE) {
            counters.optionReplies.increment();
            send(TelnetDecoder.IAC, reply, option);
        }
    }

    @Override
    public void windowSize(int width, int height) {
        if (terminal != null && (terminal.getWidth() != width || terminal.getHeight() != height)) {
            terminal.setSize(new Size(width, height));
            terminal.raise(Terminal.Signal.WINCH);
        }
    }

    boolean nawsAgreed() {
        return negotiation.nawsAgreed();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext c) {
        if (output != null) {
            output.wake();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        if (!admitted) {
            return;
        }
        counters.open.decrementAndGet();
        if (waitingLogin.compareAndSet(true, false)) {
            counters.waitingLogin.decrementAndGet();
        }
        output.wake();
        input.close();
        try {
            // wakes a reader blocked in the line editor: the session ends at once
            terminal.close();
        } catch (IOException ignored) {
            // already closing
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        // resets and the like end the session; nothing to report to the user
        c.close();
    }
}
