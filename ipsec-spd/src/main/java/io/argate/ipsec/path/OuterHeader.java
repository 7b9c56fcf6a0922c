package io.argate.ipsec.path;

import io.argate.ip.forward.Forwarder;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.esp.Sealing;
import io.netty.buffer.ByteBuf;

/**
 * The IP header in front of a packet IPsec protects, set for each packet and written where the
 * bundle says ({@link Sealing.HeaderWriter}): in tunnel mode a new outer header from the tunnel's
 * source to the peer (RFC 4301 section 5.1.2.1: TOS copied from the inner header, DF by the
 * policy's DFBIT), in transport mode the packet's own header with the protocol and length of
 * what now follows it (RFC 4303 section 3.1.1). One per receive thread, with its
 * {@link Sealing}, so protecting a packet makes no object (issue 15).
 */
final class OuterHeader implements Sealing.HeaderWriter {
    private final Forwarder forwarder;
    private boolean tunnel;
    private int tos;
    private int df;
    private int source;
    private int destination;
    /** Transport mode: the packet's own header as it was before protection. */
    private final byte[] original = new byte[Ipv4.MAX_HEADER];
    private int originalLength;

    OuterHeader(Forwarder forwarder) {
        this.forwarder = forwarder;
    }

    /** Tunnel mode: an outer header from {@code source} to {@code destination}. */
    OuterHeader tunnel(int tos, int df, int source, int destination) {
        this.tunnel = true;
        this.tos = tos;
        this.df = df;
        this.source = source;
        this.destination = destination;
        return this;
    }

    /** Transport mode: the header of {@code p} at {@code at}, of {@code length} bytes, saved to be written again. */
    OuterHeader transport(ByteBuf p, int at, int length) {
        this.tunnel = false;
        p.getBytes(at, original, 0, length);
        this.originalLength = length;
        return this;
    }

    @Override
    public void write(ByteBuf buf, int at, int protocol, int totalLength) {
        if (tunnel) {
            // the identification is taken when the header is written, as for any datagram the router sends
            Ipv4.write(buf, at, tos, totalLength, forwarder.nextIpId(), df, 64, protocol, source, destination);
            return;
        }
        buf.setBytes(at, original, 0, originalLength);
        Ipv4.setProtocol(buf, at, protocol);
        Ipv4.setTotalLength(buf, at, totalLength);
        Ipv4.updateChecksum(buf, at);
    }
}
