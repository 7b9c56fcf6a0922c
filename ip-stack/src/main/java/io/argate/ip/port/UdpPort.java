package io.argate.ip.port;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * A wire made of UDP: one IP packet per datagram between a local and a fixed remote address
 * (Netty, one event loop thread per port for run-to-completion). Lets two argate processes, or a
 * test, be connected without root.
 */
public final class UdpPort implements Port {
    private final String name;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final int mtu;
    private final PortCounters counters = new PortCounters();
    private final EventLoopGroup loop;
    private Channel channel;

    public UdpPort(String name, InetSocketAddress local, InetSocketAddress remote, int mtu) {
        this.name = name;
        this.local = local;
        this.remote = remote;
        this.mtu = mtu;
        this.loop = new NioEventLoopGroup(1, (ThreadFactory) r -> {
            Thread t = new Thread(r, "rx-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String driver() {
        return "udp";
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public boolean linkUp() {
        return channel != null && channel.isActive();
    }

    @Override
    public void start(PacketSink sink) {
        try {
            // Netty reads datagrams into 2,048-byte buffers unless told otherwise, cutting anything
            // longer; one byte more than the MTU lets a datagram too long for the port be seen
            // (and counted) instead of arriving cut short
            channel = new Bootstrap().group(loop).channel(NioDatagramChannel.class).option(ChannelOption.ALLOCATOR, PacketBuffers.ALLOC)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(mtu + 1))
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>(false) {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket d) {
                            ByteBuf b = d.content();
                            if (b.readableBytes() > mtu) {
                                counters.rxDrops.increment();
                                b.release();
                                return;
                            }
                            counters.received(b.readableBytes());
                            sink.receive(UdpPort.this, b);
                        }
                    }).bind(local).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("port " + name + ": cannot bind UDP " + local + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean transmit(ByteBuf packet) {
        if (!linkUp() || packet.readableBytes() > mtu) {
            counters.txDrops.increment();
            packet.release();
            return false;
        }
        counters.sent(packet.readableBytes());
        channel.writeAndFlush(new DatagramPacket(packet, remote));
        return true;
    }

    /** The socket's receive-buffer overflows, which the host counts and argate never sees. */
    @Override
    public HostDrops hostDrops() {
        return channel == null ? null : HostStatistics.udp(local);
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
