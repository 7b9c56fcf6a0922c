package io.argate.ip.forward;

import io.netty.buffer.ByteBuf;

/**
 * The points where later modules attach to the packet path (DESIGN.md section 4), in order:
 * firewall ingress, post-routing (egress interface known: the firewall's egress/NAT and the
 * IPsec SPD), and local delivery by protocol and UDP port (ICMP is the stack's own; ISAKMP,
 * NAT-T, ESP-over-UDP and ESP/AH/IPComp register here). IPsec re-injects decapsulated packets
 * through {@link Forwarder#reinject}.
 */
public final class Hooks {
    private Hooks() {
    }

    /** What a hook decided about a packet. */
    public enum Verdict {
        /** Carry on along the path. */
        CONTINUE,
        /** The hook took the packet (and its buffer); the path stops here. */
        CONSUMED,
        /** Drop it (counted as FILTERED); the path releases the buffer. */
        DROP
    }

    /** Firewall ingress: sees every packet that arrives on a port. */
    @FunctionalInterface
    public interface Ingress {
        Verdict inspect(String inInterface, ByteBuf packet);
    }

    /** After the route lookup, before fragmentation and transmit. */
    @FunctionalInterface
    public interface PostRouting {
        Verdict inspect(String outInterface, ByteBuf packet);
    }

    /** A local protocol handler; takes ownership of the packet. */
    @FunctionalInterface
    public interface Local {
        void deliver(String inInterface, ByteBuf packet);
    }
}
