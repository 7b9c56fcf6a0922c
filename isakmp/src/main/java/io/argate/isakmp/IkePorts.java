package io.argate.isakmp;

import io.argate.ip.forward.Forwarder;
import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Ports;
import io.argate.ip.packet.Udp;
import io.argate.ipsec.path.IpsecEngine;
import io.argate.isakmp.exchange.IsakmpDaemon;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.concurrent.atomic.LongAdder;

/**
 * ISAKMP on the router's own UDP ports: 500 is bound in the path's LOCAL stage; IKE on 4500
 * arrives from the IPsec engine, which owns that port because ESP in UDP arrives there too (the
 * non-ESP marker is still on: the daemon takes it off). Each datagram is posted to the daemon on
 * the control plane, never handled on the receive thread; a full backlog drops and counts.
 * Sending goes through the path like any packet the router makes, so the egress interface's SPD
 * applies to IKE as the reference expects (its configurations PERMIT UDP 500).
 */
public final class IkePorts implements IkeNetwork {
    private final Forwarder forwarder;
    private final ByteBufAllocator alloc;
    /** Datagrams that could not be read as UDP, or found the control plane's backlog full. */
    public final LongAdder dropped = new LongAdder();

    public IkePorts(Forwarder forwarder, ByteBufAllocator alloc) {
        this.forwarder = forwarder;
        this.alloc = alloc;
    }

    /** Starts delivering IKE datagrams on 500 and 4500 to {@code daemon}. */
    public void attach(IsakmpDaemon daemon, IpsecEngine engine) {
        forwarder.onUdpPort(Ports.ISAKMP, (c, p) -> deliver(daemon, p));
        engine.onNatTraversalIke((c, p) -> deliver(daemon, p));
    }

    private ByteBuf deliver(IsakmpDaemon daemon, ByteBuf p) {
        try {
            int at = p.readerIndex();
            int udp = at + Ipv4.headerLength(p, at);
            int len = Udp.checkedLength(p, udp, p.writerIndex());
            if (len < 0) {
                dropped.increment();
                return null;
            }
            byte[] payload = new byte[len - Udp.HEADER];
            p.getBytes(udp + Udp.HEADER, payload);
            Datagram d = new Datagram(Ipv4.source(p, at), Udp.sourcePort(p, udp), Ipv4.destination(p, at), Udp.destinationPort(p, udp),
                    payload);
            if (!daemon.post(d)) {
                dropped.increment();
            }
            return null;
        } finally {
            p.release();
        }
    }

    @Override
    public void send(int localAddress, int localPort, int remoteAddress, int remotePort, byte[] payload) {
        int len = Ipv4.MIN_HEADER + Udp.HEADER + payload.length;
        ByteBuf b = alloc.buffer(len).writerIndex(len);
        Ipv4.write(b, 0, 0, len, forwarder.nextIpId(), 0, 64, Ipv4.PROTO_UDP, localAddress, remoteAddress);
        Udp.write(b, Ipv4.MIN_HEADER, localPort, remotePort, Udp.HEADER + payload.length);
        b.setBytes(Ipv4.MIN_HEADER + Udp.HEADER, payload);
        // the checksum covers the source address, which originate() picks when it is 0
        forwarder.originate(b, x -> Udp.checksum(x, x.readerIndex()));
    }

    @Override
    public int sourceFor(int remoteAddress) {
        return forwarder.sourceFor(remoteAddress);
    }

    @Override
    public int addressOf(String iface) {
        return forwarder.addressOf(iface);
    }
}
