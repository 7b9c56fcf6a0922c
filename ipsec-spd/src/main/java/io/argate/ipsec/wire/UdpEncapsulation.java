package io.argate.ipsec.wire;

import io.netty.buffer.ByteBuf;

/**
 * ESP inside UDP, shared by NAT-T (RFC 3948, port 4500) and the AR's UDP tunnelling (port 2746).
 *
 * <p>RFC 3948 section 2.2: a UDP payload that starts with four zero bytes (the "non-ESP
 * marker") is IKE, anything else with at least 8 bytes is ESP (whose SPI is never 0); a single
 * 0xFF byte is a NAT-keepalive (section 2.3) and is discarded. The AR's UDP heartbeat on 2746
 * (seed 003: "sent every 30 s ... received, it is not specially processed") is likewise a short
 * datagram that is ignored.
 */
public final class UdpEncapsulation {
    /** What a datagram on an ESP-in-UDP port carries. */
    public enum Kind {
        ESP, IKE, KEEPALIVE, RUNT
    }

    public static final int NAT_T_PORT = io.argate.ip.packet.Ports.NAT_T;
    public static final int AR_UDP_TUNNEL_PORT = 2746;
    public static final int NON_ESP_MARKER = 4;

    private UdpEncapsulation() {
    }

    /** Classifies a UDP payload of {@code length} bytes at {@code at}. */
    public static Kind classify(ByteBuf b, int at, int length) {
        if (length == 1 && b.getUnsignedByte(at) == 0xFF) {
            return Kind.KEEPALIVE;
        }
        if (length >= NON_ESP_MARKER && b.getInt(at) == 0) {
            return Kind.IKE;
        }
        if (length >= EspLayout.HEADER) {
            return Kind.ESP;
        }
        return Kind.RUNT;
    }
}
