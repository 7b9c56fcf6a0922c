package io.argate.shell.telnet;

import io.argate.shell.login.ShellContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The telnet port: a Netty server; each connection gets its own session thread. */
public final class TelnetServer implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1, (ThreadFactory) r -> daemon(r, "telnet-io"));
    private final ExecutorService sessions;
    private final Channel server;

    public TelnetServer(ShellContext ctx, InetSocketAddress address) throws InterruptedException {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> daemon(r, "telnet-session-" + n.incrementAndGet());
        this.sessions = Executors.newCachedThreadPool(tf);
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new TelnetConnection(ctx, sessions));
                    }
                }).bind(address).sync().channel();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        // no interrupts: a session thread may be in the middle of a command writing NVS
        sessions.shutdown();
        try {
            sessions.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
