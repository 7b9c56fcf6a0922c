package io.argate.shell.telnet;

import io.argate.shell.console.JLineIo;
import io.argate.shell.login.SessionRunner;
import io.argate.shell.login.ShellContext;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;

/**
 * One telnet connection: negotiates echo, suppress-go-ahead and window size, feeds decoded
 * input to a JLine terminal, and runs the session on its own thread.
 */
final class TelnetConnection extends ChannelInboundHandlerAdapter implements TelnetDecoder.Listener {
    private final ShellContext ctx;
    private final ExecutorService sessions;
    private final InputQueue input = new InputQueue();
    private final TelnetDecoder decoder = new TelnetDecoder(this);
    private Channel channel;
    private Terminal terminal;
    private boolean nawsAgreed;

    TelnetConnection(ShellContext ctx, ExecutorService sessions) {
        this.ctx = ctx;
        this.sessions = sessions;
    }

    @Override
    public void channelActive(ChannelHandlerContext c) throws IOException {
        channel = c.channel();
        // The server echoes and runs character at a time (RFC 857, 858); ask for the window size (RFC 1073).
        send(TelnetDecoder.IAC, TelnetDecoder.WILL, TelnetDecoder.OPT_ECHO,
                TelnetDecoder.IAC, TelnetDecoder.WILL, TelnetDecoder.OPT_SGA,
                TelnetDecoder.IAC, TelnetDecoder.DO, TelnetDecoder.OPT_NAWS);
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                ByteBuf buf = Unpooled.buffer(len + 8);
                for (int i = off; i < off + len; i++) {
                    buf.writeByte(b[i]);
                    if ((b[i] & 0xff) == TelnetDecoder.IAC) {
                        buf.writeByte(TelnetDecoder.IAC);
                    }
                }
                channel.writeAndFlush(buf);
            }
        };
        // A terminal over the connection's streams with JLine's own line discipline; never a pty.
        ExternalTerminal t = new ExternalTerminal("telnet", "vt100", input, out, StandardCharsets.UTF_8);
        t.setSize(new Size(80, 24));
        terminal = t;
        JLineIo io = new JLineIo(terminal, ctx.processor(), () -> channel.close());
        Session s = new Session(ctx.registry().nextId(), SessionKind.TELNET, io, ctx.clock().instant());
        // the address alone: logins are throttled per source address, whatever its port
        s.peer(channel.remoteAddress() instanceof java.net.InetSocketAddress a ? a.getAddress().getHostAddress()
                : String.valueOf(channel.remoteAddress()));
        io.attach(s);
        sessions.execute(new SessionRunner(ctx, s));
    }

    private void send(int... bytes) {
        ByteBuf b = Unpooled.buffer(bytes.length);
        for (int x : bytes) {
            b.writeByte(x);
        }
        channel.writeAndFlush(b);
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            while (buf.isReadable()) {
                decoder.feed(buf.readUnsignedByte());
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void data(int b) {
        input.offer(b);
    }

    @Override
    public void option(int verb, int option) {
        // Answer only requests that change state, never acknowledgements, so no loop (RFC 854).
        switch (verb) {
            case TelnetDecoder.DO -> {
                if (option != TelnetDecoder.OPT_ECHO && option != TelnetDecoder.OPT_SGA) {
                    send(TelnetDecoder.IAC, TelnetDecoder.WONT, option);
                }
            }
            case TelnetDecoder.WILL -> {
                if (option == TelnetDecoder.OPT_NAWS) {
                    nawsAgreed = true;
                } else if (option != TelnetDecoder.OPT_SGA) {
                    send(TelnetDecoder.IAC, TelnetDecoder.DONT, option);
                }
            }
            default -> {
                // WONT/DONT: the client refuses; nothing to answer
            }
        }
    }

    @Override
    public void windowSize(int width, int height) {
        if (terminal != null) {
            terminal.setSize(new Size(width, height));
            terminal.raise(Terminal.Signal.WINCH);
        }
    }

    boolean nawsAgreed() {
        return nawsAgreed;
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        input.close();
        if (terminal != null) {
            try {
                // wakes a reader blocked in the line editor: the session ends at once
                terminal.close();
            } catch (IOException ignored) {
                // already closing
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        // resets and the like end the session; nothing to report to the user
        c.close();
    }
}
