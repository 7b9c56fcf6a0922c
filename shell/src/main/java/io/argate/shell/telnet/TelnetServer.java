package io.argate.shell.telnet;

import io.argate.shell.login.ShellContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The telnet port: a Netty server on one I/O thread; each admitted connection runs its session
 * on a thread of a pool no larger than {@link TelnetLimits#connections()}. What connections may
 * hold is bounded by {@link TelnetLimits}; what happened to them is in {@link TelnetCounters}.
 */
public final class TelnetServer implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1, (ThreadFactory) r -> daemon(r, "telnet-io"));
    private final ThreadPoolExecutor sessions;
    private final TelnetCounters counters;
    private final Channel server;

    public TelnetServer(ShellContext ctx, InetSocketAddress address) throws InterruptedException {
        this(ctx, address, TelnetLimits.DEFAULT, new TelnetCounters());
    }

    public TelnetServer(ShellContext ctx, InetSocketAddress address, TelnetCounters counters) throws InterruptedException {
        this(ctx, address, TelnetLimits.DEFAULT, counters);
    }

    public TelnetServer(ShellContext ctx, InetSocketAddress address, TelnetLimits limits, TelnetCounters counters)
            throws InterruptedException {
        this.counters = counters;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> daemon(r, "telnet-session-" + n.incrementAndGet());
        // a closed connection's thread may still be finishing its command: room for a few more
        this.sessions = new ThreadPoolExecutor(0, limits.connections() + limits.waitingLogin(), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), tf);
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // a fixed kernel send buffer: Linux would otherwise grow it for a client that
                // stops reading up to net.ipv4.tcp_wmem's maximum (4 MB by default) before the
                // write-buffer mark is ever reached; fixed, it also turns that growth off
                .childOption(ChannelOption.SO_SNDBUF, limits.writeHigh())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(limits.writeLow(), limits.writeHigh()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new TelnetConnection(ctx, sessions, limits, counters));
                    }
                }).bind(address).sync().channel();
        counters.started(address(), limits);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    public TelnetCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        counters.stopped();
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        // no interrupts: a session thread may be in the middle of a command writing NVS
        sessions.shutdown();
        try {
            sessions.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
