package io.argate.ipsec.path;

import io.argate.ip.packet.Checksum;
import io.argate.ip.packet.Ipv4;
import io.argate.ipsec.IpsecCounter;
import io.netty.buffer.ByteBuf;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The many-to-one translation of a Mode Config client's tunnel. A remote-access client has one
 * address, the one the gateway assigned it (draft-dukes-ike-mode-cfg-02 section 2), and Quick
 * Mode offered exactly that address as our side of the tunnel; the gateway accepts nothing else
 * from it. So at the tunnel's inner edge every packet the policy protects takes that address as
 * its source, each (protocol, host, port) of ours on a port of the assigned address of its own
 * (NAPT, RFC 3022 section 2.2), and what comes back to the address is translated back to the
 * host that owns the port before the policy checks it (RFC 4301 section 5.2 step 4), so the
 * SPD keeps speaking of the LAN as the user configured it.
 *
 * <p>TCP and UDP are translated by port, ICMP echo by its identifier (RFC 3022 section 4.1);
 * other protocols and fragments cannot share one address and are dropped and counted. A port
 * keeps its number when it is free. Mappings idle for {@link #IDLE} are reused when the table
 * is full; a table goes when no bundle carries its address any more ({@link #retain}).
 * Called on the data path's threads; one table's work is short and serialized.
 */
public final class AssignedAddressNat {
    /** Mappings one assigned address holds at most (bounded memory, whatever the LAN sends). */
    public static final int MAX_MAPPINGS = 8192;
    /** How long an unused mapping keeps its port against reuse when the table is full. */
    public static final Duration IDLE = Duration.ofMinutes(5);
    /** The first port a moved flow is given (below are the well-known and registered ones a client should not claim). */
    static final int FIRST_PORT = 1024;

    private final Clock clock;
    private final Map<Integer, Table> tables = new ConcurrentHashMap<>();

    public AssignedAddressNat(Clock clock) {
        this.clock = clock;
    }

    /** One live translation: {@code protocol} from {@code inside}:{@code insidePort} uses {@code outsidePort} of the assigned address. */
    public record Mapping(int protocol, int inside, int insidePort, int outsidePort) {
    }

    /**
     * Outbound at the tunnel's inner edge: the source becomes {@code assigned} (a port of its own);
     * null when translated (or already from it), else the counter of why it must be dropped.
     */
    IpsecCounter outbound(int assigned, ByteBuf p, int at) {
        int src = Ipv4.source(p, at);
        if (src == assigned) {
            return null;
        }
        int proto = Ipv4.protocol(p, at);
        int l4 = at + Ipv4.headerLength(p, at);
        int portAt = portOffset(p, at, l4, proto, true);
        if (portAt < 0) {
            return IpsecCounter.OUT_MODECFG_UNTRANSLATABLE;
        }
        int port = p.getUnsignedShort(portAt);
        int outside = tables.computeIfAbsent(assigned, a -> new Table()).outsidePort(proto, src, port, clock.millis());
        if (outside < 0) {
            return IpsecCounter.OUT_MODECFG_PORTS_EXHAUSTED;
        }
        rewrite(p, at, at + 12, src, assigned, l4, proto, portAt, port, outside);
        return null;
    }

    /**
     * Inbound, a decapsulated packet of a tunnel whose address is {@code assigned}: to the host
     * and port that own the destination port. Null when translated (or not addressed to it),
     * else the counter of why it must be dropped.
     */
    IpsecCounter inbound(int assigned, ByteBuf p, int at) {
        if (Ipv4.destination(p, at) != assigned) {
            return null;
        }
        int proto = Ipv4.protocol(p, at);
        int l4 = at + Ipv4.headerLength(p, at);
        int portAt = portOffset(p, at, l4, proto, false);
        Table t = tables.get(assigned);
        Mapping m = portAt < 0 || t == null ? null : t.inside(proto, p.getUnsignedShort(portAt), clock.millis());
        if (m == null) {
            return IpsecCounter.IN_MODECFG_NO_MAPPING;
        }
        rewrite(p, at, at + 16, assigned, m.inside(), l4, proto, portAt, m.outsidePort(), m.insidePort());
        return null;
    }

    /** Drops the tables of addresses no bundle carries any more (their SAs went: the assignment is released). */
    void retain(Set<Integer> live) {
        tables.keySet().retainAll(live);
    }

    /** The live mappings of one assigned address, for SHOW IPSEC POLICY. */
    public List<Mapping> mappings(int assigned) {
        Table t = tables.get(assigned);
        return t == null ? List.of() : t.snapshot();
    }

    /**
     * Where the port (TCP, UDP) or echo identifier (ICMP echo request outbound, reply inbound)
     * is, or -1 when the packet has none a translation can use: a fragment, a short header,
     * another protocol or ICMP message.
     */
    private static int portOffset(ByteBuf p, int at, int l4, int proto, boolean outbound) {
        int fo = Ipv4.flagsAndOffset(p, at);
        if ((fo & 0x3fff) != 0) {
            // MF set or a later fragment: the later ones carry no port to translate by
            return -1;
        }
        int room = p.writerIndex() - l4;
        return switch (proto) {
            case Ipv4.PROTO_TCP -> room >= 20 ? l4 + (outbound ? 0 : 2) : -1;
            case Ipv4.PROTO_UDP -> room >= 8 ? l4 + (outbound ? 0 : 2) : -1;
            case Ipv4.PROTO_ICMP -> room >= 8 && p.getUnsignedByte(l4) == (outbound ? ICMP_ECHO : ICMP_ECHO_REPLY) ? l4 + 4 : -1;
            default -> -1;
        };
    }

    private static final int ICMP_ECHO = 8;
    private static final int ICMP_ECHO_REPLY = 0;

    /** Writes the new address at {@code addrAt} and port at {@code portAt}, and mends the three checksums (RFC 1624). */
    private static void rewrite(ByteBuf p, int at, int addrAt, int oldAddr, int newAddr, int l4, int proto, int portAt, int oldPort, int newPort) {
        p.setInt(addrAt, newAddr);
        Ipv4.updateChecksum(p, at);
        p.setShort(portAt, newPort);
        int sumAt = switch (proto) {
            case Ipv4.PROTO_TCP -> l4 + 16;
            case Ipv4.PROTO_UDP -> l4 + 6;
            default -> l4 + 2;
        };
        int sum = p.getUnsignedShort(sumAt);
        if (proto == Ipv4.PROTO_UDP && sum == 0) {
            // RFC 768: no checksum was computed, and none is made up now
            return;
        }
        if (proto != Ipv4.PROTO_ICMP) {
            // TCP and UDP sum a pseudo-header holding the addresses (RFC 793 section 3.1, RFC 768); ICMP does not
            sum = Checksum.update32(sum, oldAddr, newAddr);
        }
        sum = Checksum.update16(sum, oldPort, newPort);
        if (proto == Ipv4.PROTO_UDP && sum == 0) {
            sum = 0xffff;
        }
        p.setShort(sumAt, sum);
    }

    /** The mappings of one assigned address, both ways. */
    private static final class Table {
        private final Map<Long, Entry> byInside = new HashMap<>();
        private final Map<Integer, Entry> byOutside = new HashMap<>();
        private int cursor = FIRST_PORT;

        private static final class Entry {
            final Mapping m;
            long used;

            Entry(Mapping m, long used) {
                this.m = m;
                this.used = used;
            }
        }

        private static long insideKey(int proto, int inside, int port) {
            return (long) proto << 48 | (inside & 0xffffffffL) << 16 | port;
        }

        private static int outsideKey(int proto, int port) {
            return proto << 16 | port;
        }

        synchronized int outsidePort(int proto, int inside, int port, long now) {
            Entry e = byInside.get(insideKey(proto, inside, port));
            if (e != null) {
                e.used = now;
                return e.m.outsidePort();
            }
            if (byInside.size() >= MAX_MAPPINGS && !expire(now)) {
                return -1;
            }
            int outside = port;
            if (byOutside.containsKey(outsideKey(proto, outside))) {
                // another host's flow holds this port already: ports stay unique on the one address
                outside = free(proto);
            }
            if (outside < 0) {
                return -1;
            }
            e = new Entry(new Mapping(proto, inside, port, outside), now);
            byInside.put(insideKey(proto, inside, port), e);
            byOutside.put(outsideKey(proto, outside), e);
            return outside;
        }

        /** A port of the assigned address no mapping of this protocol holds, from a rolling cursor. */
        private int free(int proto) {
            for (int i = 0; i < 65536 - FIRST_PORT; i++) {
                int candidate = cursor;
                cursor = cursor == 65535 ? FIRST_PORT : cursor + 1;
                if (!byOutside.containsKey(outsideKey(proto, candidate))) {
                    return candidate;
                }
            }
            return -1;
        }

        /** Removes mappings idle longer than {@link #IDLE}; true when that made room. */
        private boolean expire(long now) {
            long limit = now - IDLE.toMillis();
            byInside.values().removeIf(e -> e.used < limit);
            byOutside.values().removeIf(e -> e.used < limit);
            return byInside.size() < MAX_MAPPINGS;
        }

        synchronized Mapping inside(int proto, int outsidePort, long now) {
            Entry e = byOutside.get(outsideKey(proto, outsidePort));
            if (e == null) {
                return null;
            }
            e.used = now;
            return e.m;
        }

        synchronized List<Mapping> snapshot() {
            List<Mapping> out = new ArrayList<>();
            byInside.values().forEach(e -> out.add(e.m));
            return out;
        }
    }
}
