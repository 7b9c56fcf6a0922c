package io.argate.ip.port;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;

/**
 * Turns on UDP GRO (the UDP_GRO socket option, Linux 5.0) on a registered, not yet bound epoll
 * datagram channel, and sizes its reads for it: a coalesced read is up to 64 KB, and it is read
 * with recvmsg, one coalesced read per call (up to 64 datagrams), not recvmmsg. Netty 4.1's
 * recvmmsg does not collect the segment size the kernel gives with a coalesced datagram (found
 * here: the datagrams then arrive merged into one), its recvmsg does and splits them. Left as it
 * was when the kernel or the transport refuses the option.
 */
final class UdpGro {
    private UdpGro() {
    }

    /** True when GRO is on; {@code slot} bytes per read. */
    static boolean enable(Channel c, int slot) {
        ChannelConfig config = c.config();
        try {
            if (!config.setOption(EpollChannelOption.UDP_GRO, true) || !Boolean.TRUE.equals(config.getOption(EpollChannelOption.UDP_GRO))) {
                return false;
            }
        } catch (RuntimeException refused) {
            // ChannelException from setsockopt: a kernel without UDP_GRO
            return false;
        }
        // one slot the size of the buffer: Netty reads it with recvmsg
        config.setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
        config.setOption(io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot));
        return true;
    }
}
