package io.argate.firewall.session;

import io.argate.firewall.wire.IcmpHeader;
import io.argate.firewall.wire.TcpHeader;
import io.argate.firewall.wire.UdpHeader;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;

/**
 * One packet's tuple and the facts tracking needs, read once from its headers, and the
 * translated tuple a new session gets. One instance per receive thread, reused for every packet
 * so the path allocates nothing. For ICMP queries both "ports" are the identifier, so a query
 * and its reply find each other like a UDP exchange (RFC 5508 section 3.1).
 */
public final class Flow {
    /** What {@link #parse} found. */
    public enum Parse {
        OK,
        /** The transport header is cut short. */
        TRUNCATED,
        /** A fragment other than the first: no transport header to read. */
        LATER_FRAGMENT
    }

    public int ipAt;
    public int l4At;
    public int l4Length;
    public int src;
    public int dst;
    public int proto;
    public int sport;
    public int dport;
    /** IP identification, and whether this is the first fragment of a fragmented datagram. */
    public int ipId;
    public boolean firstFragment;
    /** TCP: flags, sequence number, acknowledgment, window and the segment's length in sequence space. */
    public int tcpFlags;
    public int seq;
    public int ack;
    public int segmentLength;
    /** ICMP: type and code; {@link #icmpQuery} when it carries an identifier. */
    public int icmpType;
    public int icmpCode;
    public boolean icmpQuery;
    public boolean icmpError;
    /**
     * ESP: the SPI the packet carries (RFC 4303 section 2.1: chosen by the receiver, so each
     * direction of one tunnel has its own). 0 for every other protocol (SPIs 1-255 are reserved).
     */
    public int spi;

    /**
     * The TCP/UDP checksum field holds only the pseudo-header's sum for the host to finish (the
     * receiving TUN port's kernel left it partial): NAT updates it as such ({@code Checksum.updatePartial32}).
     */
    public boolean partialChecksum;

    public int tSrc;
    public int tDst;
    public int tSport;
    public int tDport;
    public SessionState initialState;

    /** ESP's SPI and sequence number (RFC 4303 section 2). */
    static final int ESP_HEADER = 8;

    public int ports() {
        return sport << 16 | dport;
    }

    public int tPorts() {
        return tSport << 16 | tDport;
    }

    /** Translation starts as the identity. */
    public void untranslated() {
        tSrc = src;
        tDst = dst;
        tSport = sport;
        tDport = dport;
    }

    /** Reads the packet whose IP header starts at {@code at} (header and lengths checked by INPUT). */
    public Parse parse(ByteBuf b, int at) {
        ipAt = at;
        int ihl = Ipv4.headerLength(b, at);
        l4At = at + ihl;
        l4Length = Ipv4.totalLength(b, at) - ihl;
        src = Ipv4.source(b, at);
        dst = Ipv4.destination(b, at);
        proto = Ipv4.protocol(b, at);
        sport = 0;
        dport = 0;
        tcpFlags = 0;
        seq = 0;
        ack = 0;
        segmentLength = 0;
        icmpType = -1;
        icmpCode = 0;
        icmpQuery = false;
        icmpError = false;
        spi = 0;
        ipId = Ipv4.identification(b, at);
        int frag = Ipv4.flagsAndOffset(b, at);
        firstFragment = (frag & Ipv4.FLAG_MF) != 0 && (frag & 0x1fff) == 0;
        if ((frag & 0x1fff) != 0) {
            return Parse.LATER_FRAGMENT;
        }
        switch (proto) {
            case Ipv4.PROTO_TCP -> {
                if (l4Length < TcpHeader.MIN_LENGTH) {
                    return Parse.TRUNCATED;
                }
                sport = TcpHeader.sourcePort(b, l4At);
                dport = TcpHeader.destinationPort(b, l4At);
                tcpFlags = TcpHeader.flags(b, l4At);
                seq = TcpHeader.sequence(b, l4At);
                ack = TcpHeader.acknowledgment(b, l4At);
                int off = TcpHeader.dataOffset(b, l4At);
                if (off < TcpHeader.MIN_LENGTH || off > l4Length) {
                    return Parse.TRUNCATED;
                }
                // SYN and FIN each take one sequence number (RFC 793 section 3.3)
                segmentLength = l4Length - off + ((tcpFlags & TcpHeader.SYN) != 0 ? 1 : 0)
                        + ((tcpFlags & TcpHeader.FIN) != 0 ? 1 : 0);
            }
            case Ipv4.PROTO_UDP -> {
                if (l4Length < UdpHeader.LENGTH) {
                    return Parse.TRUNCATED;
                }
                sport = UdpHeader.sourcePort(b, l4At);
                dport = UdpHeader.destinationPort(b, l4At);
            }
            case Ipv4.PROTO_ICMP -> {
                if (l4Length < IcmpHeader.LENGTH) {
                    return Parse.TRUNCATED;
                }
                icmpType = IcmpHeader.type(b, l4At);
                icmpCode = IcmpHeader.code(b, l4At);
                if (IcmpHeader.isQuery(icmpType)) {
                    icmpQuery = true;
                    sport = IcmpHeader.identifier(b, l4At);
                    dport = sport;
                } else if (IcmpHeader.isError(icmpType)) {
                    icmpError = true;
                }
            }
            case Ipv4.PROTO_ESP -> {
                // SPI and sequence number come before anything encrypted (RFC 4303 section 2)
                if (l4Length < ESP_HEADER) {
                    return Parse.TRUNCATED;
                }
                spi = b.getInt(l4At);
            }
            default -> {
            }
        }
        return Parse.OK;
    }

    /**
     * Keys an ESP flow by its SPI where other protocols have ports: the session's "ports" are the
     * SPI's two halves, untranslated. NAPT uses this to tell several LAN hosts' tunnels to one
     * peer apart (ESP has no ports; the SPI is the only thing that differs).
     */
    public void keyBySpi() {
        sport = spi >>> 16;
        dport = spi & 0xffff;
        tSport = sport;
        tDport = dport;
    }

    /** True when the protocol has ports (or an ICMP identifier) NAPT can translate. */
    public boolean hasPorts() {
        return proto == Ipv4.PROTO_TCP || proto == Ipv4.PROTO_UDP || icmpQuery;
    }
}
