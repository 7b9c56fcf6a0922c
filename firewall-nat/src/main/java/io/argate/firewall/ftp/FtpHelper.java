package io.argate.firewall.ftp;

import io.argate.firewall.FirewallLimits;
import io.argate.firewall.session.Flow;
import io.argate.firewall.session.SessionTable;
import io.argate.ip.packet.Checksum;
import io.argate.firewall.wire.TcpHeader;
import io.argate.firewall.wire.TcpOptions;
import io.argate.ip.packet.Ipv4;
import io.netty.buffer.ByteBuf;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The FTP application-level gateway (RFC 3022 section 4.4 names FTP as the case NAT must handle
 * in the payload): on a tracked control connection (TCP port 21) it reads the lines that announce
 * a data connection, PORT and EPRT from a client inside (active mode, RFC 959 and RFC 2428) and
 * 227 and 229 replies from a server inside (passive mode), rewrites the inside address and port
 * in them to the global ones when NAT translates the control connection, keeps both directions'
 * sequence numbers consistent when the line's length changes, and expects the data connection
 * that will arrive from outside so the firewall admits it as related.
 *
 * <p>A segment's data must start a line; the first announcing complete line in it is read. A
 * line split across segments is held for the sender to retransmit whole ({@link #split}). SACK
 * blocks are corrected with the acknowledgment. Only IPv4 EPRT is translated; EPRT and EPSV for
 * IPv6 pass unchanged and are counted.
 */
public final class FtpHelper {
    /** What {@link #inspect} did with a control segment. */
    public enum Outcome {
        NOTHING, EXPECTED, TRANSLATED,
        /**
         * The segment ends in an announcing line the next segment finishes, or continues such a
         * line: the caller drops it so the sender retransmits, which TCP stacks do with the
         * unacknowledged segments joined (Linux collapses them), and the line then arrives whole.
         */
        SPLIT_HELD,
        /** A split line held {@link FirewallLimits#FTP_SPLIT_HOLDS} times came split again: passed unchanged. */
        SPLIT_PASSED,
        /** EPRT or EPSV for IPv6 (or another family): passed unchanged, nothing expected. */
        OTHER_FAMILY
    }

    private static final class Control {
        final int src;
        final int dst;
        final int ports;
        final SequenceShift[] shift = {new SequenceShift(), new SequenceShift()};
        /** Per direction: a split announcing line is being held, the sequence number it starts at, times held. */
        final boolean[] holding = new boolean[2];
        final int[] heldSeq = new int[2];
        final int[] holds = new int[2];

        Control(int src, int dst, int ports) {
            this.src = src;
            this.dst = dst;
            this.ports = ports;
        }
    }

    private final Map<Integer, Control> controls = new ConcurrentHashMap<>();
    private final Map<Long, DataExpectation> expectations = new ConcurrentHashMap<>();
    private int nextPort = FirewallLimits.NAPT_FIRST_PORT;

    /** Whether session {@code id} is an FTP control connection: to port 21 as sent or as translated. */
    public static boolean isControl(SessionTable t, int id) {
        return (t.origPorts(id) & 0xffff) == FirewallLimits.FTP_CONTROL_PORT
                || (t.transPorts(id) & 0xffff) == FirewallLimits.FTP_CONTROL_PORT;
    }

    private Control control(SessionTable t, int id) {
        Control c = controls.get(id);
        if (c != null && c.src == t.origSrc(id) && c.dst == t.origDst(id) && c.ports == t.origPorts(id)) {
            return c;
        }
        return null;
    }

    /**
     * Before tracking: a segment's acknowledgment of the other direction's stream, back in that
     * stream's own numbering (what its sender and the tracker count in).
     */
    public void beforeTracking(SessionTable t, int id, int dir, Flow f, ByteBuf buf) {
        Control c = control(t, id);
        if (c == null || (f.tcpFlags & TcpHeader.ACK) == 0) {
            return;
        }
        SequenceShift other = c.shift[1 - dir];
        int ack = other.unshift(f.ack);
        if (ack != f.ack) {
            setInt(buf, f, f.l4At + 8, f.ack, ack);
            f.ack = ack;
        }
        // SACK blocks (RFC 2018 section 3) name the same stream as the acknowledgment: left as
        // they are, they would tell the sender that bytes it never sent arrived, or hide a loss
        int sack = TcpOptions.sack(buf, f.l4At);
        if (sack >= 0) {
            for (int i = 0, n = TcpOptions.sackEdges(buf, sack); i < n; i++) {
                int at = sack + 2 + 4 * i;
                int edge = buf.getInt(at);
                int back = other.unshift(edge);
                if (back != edge) {
                    setInt(buf, f, at, edge, back);
                }
            }
        }
    }

    /**
     * After tracking: an announcing line from the inside end is expected and, under NAT, rewritten;
     * then the segment's sequence number moves by what earlier rewrites changed.
     *
     * @param fromInside the segment came from the inside end (it did not arrive on a PUBLIC interface)
     */
    public Outcome inspect(SessionTable t, int id, int dir, Flow f, ByteBuf buf, boolean fromInside, int policyId, int now) {
        Control c = control(t, id);
        Outcome outcome = Outcome.NOTHING;
        int dataAt = f.l4At + TcpHeader.dataOffset(buf, f.l4At);
        int dataLength = f.l4At + f.l4Length - dataAt;
        if (fromInside && dataLength > 0 && dataLength <= FirewallLimits.FTP_MAX_LINE) {
            Outcome split = split(t, id, c, dir, f.seq, buf, dataAt, dataLength);
            if (split == Outcome.SPLIT_HELD) {
                return split; // dropped: neither the stream's numbering nor any expectation moves
            }
            c = control(t, id);
            outcome = split;
            if (FtpEndpointText.otherFamily(buf, dataAt, dataLength)) {
                outcome = Outcome.OTHER_FAMILY;
            }
            FtpEndpointText line = FtpEndpointText.parse(buf, dataAt, dataLength);
            int real = dir == 0 ? t.origSrc(id) : t.transDst(id);
            int seen = dir == 0 ? t.transSrc(id) : t.origDst(id);
            int peer = dir == 0 ? t.transDst(id) : t.origSrc(id);
            if (line != null && (line.kind() == FtpEndpointText.Kind.EPSV_229 || line.address() == real)
                    && expectations.size() < FirewallLimits.FTP_EXPECTATIONS) {
                int port = line.port();
                if (line.kind().active() && seen != real) {
                    DataExpectation before = pending(peer, real, line.port(), now);
                    // a retransmitted line gets the port it got the first time
                    port = before != null ? before.globalPort() : freePort(t, peer, seen, line.port(), now);
                }
                expectations.put(key(seen, port),
                        new DataExpectation(policyId, peer, seen, port, real, line.port(), line.kind().active(),
                                now + FirewallLimits.FTP_EXPECT_SECONDS));
                outcome = Outcome.EXPECTED;
                if (line.kind() != FtpEndpointText.Kind.EPSV_229 && (seen != real || port != line.port())) {
                    if (c == null) {
                        c = new Control(t.origSrc(id), t.origDst(id), t.origPorts(id));
                        controls.put(id, c);
                    }
                    byte[] text = line.encode(seen, port);
                    if (room(buf, f.l4At + f.l4Length + text.length - (line.end() - line.start()))) {
                        int diff = replace(buf, f, dataAt, line, text);
                        if (diff != 0) {
                            c.shift[dir].record(f.seq, diff);
                        }
                        outcome = Outcome.TRANSLATED;
                    }
                }
            }
        }
        int seqOut = c == null ? f.seq : c.shift[dir].shift(f.seq);
        if (seqOut != f.seq) {
            setInt(buf, f, f.l4At + 4, f.seq, seqOut);
            f.seq = seqOut;
        }
        return outcome;
    }

    /**
     * An announcing line split across segments ("PORT 192,168,10,5,156,6" then "5\r\n") cannot be
     * rewritten: the first part would have to change after it left. Such a segment, and any
     * segment that continues it, is held (dropped) until the sender's retransmission brings the
     * line whole, at most {@link FirewallLimits#FTP_SPLIT_HOLDS} times for one starting sequence
     * number; then it passes unchanged (counted) rather than stall the connection. Linux's FTP
     * helper drops a partly matched line for the same reason.
     */
    private Outcome split(SessionTable t, int id, Control c, int dir, int seq, ByteBuf buf, int dataAt, int dataLength) {
        if (c != null && c.holding[dir]) {
            int past = seq - c.heldSeq[dir];
            if (past > 0 && past <= FirewallLimits.FTP_MAX_LINE) {
                return Outcome.SPLIT_HELD; // the rest of the held line, or what follows it
            }
            if (past != 0) {
                c.holding[dir] = false; // the stream went on without it: nothing held any more
            }
        }
        if (!FtpEndpointText.endsUnfinished(buf, dataAt, dataLength)) {
            if (c != null && c.holding[dir]) {
                c.holding[dir] = false; // the retransmission brought the line whole
            }
            return Outcome.NOTHING;
        }
        if (c == null) {
            c = new Control(t.origSrc(id), t.origDst(id), t.origPorts(id));
            controls.put(id, c);
        }
        if (!c.holding[dir] || c.heldSeq[dir] != seq) {
            c.holding[dir] = true;
            c.heldSeq[dir] = seq;
            c.holds[dir] = 0;
        }
        if (++c.holds[dir] <= FirewallLimits.FTP_SPLIT_HOLDS) {
            return Outcome.SPLIT_HELD;
        }
        c.holding[dir] = false;
        return Outcome.SPLIT_PASSED;
    }

    /**
     * The global port for an active-mode data connection: the client's own port when nothing
     * else uses it towards that server, else the next one in the NAPT range that is free.
     */
    private synchronized int freePort(SessionTable t, int server, int global, int wanted, int now) {
        int range = FirewallLimits.NAPT_LAST_PORT - FirewallLimits.NAPT_FIRST_PORT + 1;
        int port = wanted;
        for (int i = 0; i < FirewallLimits.NAPT_PORT_TRIES; i++) {
            if (port >= FirewallLimits.NAPT_FIRST_PORT && !taken(t, server, global, port, now)) {
                return port;
            }
            port = nextPort;
            nextPort = FirewallLimits.NAPT_FIRST_PORT + (nextPort - FirewallLimits.NAPT_FIRST_PORT + 1) % range;
        }
        return port;
    }

    /** The live expectation from {@code peer} for the inside endpoint, if a line announced it already. */
    private DataExpectation pending(int peer, int inside, int insidePort, int now) {
        for (DataExpectation e : expectations.values()) {
            if (e.peer() == peer && e.inside() == inside && e.insidePort() == insidePort && now - e.expires() < 0) {
                return e;
            }
        }
        return null;
    }

    private boolean taken(SessionTable t, int server, int global, int port, int now) {
        DataExpectation e = expectations.get(key(global, port));
        if (e != null && now - e.expires() < 0) {
            return true;
        }
        int ref = t.find(server, global, FirewallLimits.FTP_DATA_PORT << 16 | port, Ipv4.PROTO_TCP);
        return ref >= 0 && !t.expired(ref >>> 1, now);
    }

    /**
     * Whether the packet's buffer can hold {@code end} bytes: a longer line needs the buffer to
     * grow, which a slice of a larger receive buffer cannot (the line then goes out unchanged).
     */
    private static boolean room(ByteBuf buf, int end) {
        if (end <= buf.capacity()) {
            return true;
        }
        if (end > buf.maxCapacity()) {
            return false;
        }
        try {
            buf.capacity(end);
            return true;
        } catch (UnsupportedOperationException e) {
            return false; // a derived buffer (slice, duplicate) has a fixed capacity
        }
    }

    /**
     * Replaces the endpoint text in place: the data after it moves, the IP total length and
     * header checksum follow, and the TCP checksum is updated for the changed bytes and the
     * pseudo-header's length (RFC 1624 equation 3 over the changed tail). Returns the length change.
     */
    private static int replace(ByteBuf buf, Flow f, int dataAt, FtpEndpointText line, byte[] text) {
        int from = dataAt + line.start();
        int oldEnd = dataAt + line.end();
        int segEnd = f.l4At + f.l4Length;
        int diff = text.length - (line.end() - line.start());
        int oddStart = (from - f.l4At) & 1;
        int oldSum = sum(buf, from, segEnd - from, oddStart);
        byte[] tail = new byte[segEnd - oldEnd];
        buf.getBytes(oldEnd, tail);
        int newSegEnd = segEnd + diff;
        buf.setBytes(from, text);
        buf.setBytes(from + text.length, tail);
        if (buf.writerIndex() == segEnd || buf.writerIndex() < newSegEnd) {
            buf.writerIndex(newSegEnd);
        }
        int newSum = sum(buf, from, newSegEnd - from, oddStart);
        int oldTotal = Ipv4.totalLength(buf, f.ipAt);
        Ipv4.setTotalLength(buf, f.ipAt, oldTotal + diff);
        buf.setShort(f.ipAt + 10, Checksum.update16(buf.getUnsignedShort(f.ipAt + 10), oldTotal, oldTotal + diff));
        int sumAt = f.l4At + TcpHeader.CHECKSUM;
        if (f.partialChecksum) {
            // the host sums the data; only the pseudo-header's TCP length is in the field
            buf.setShort(sumAt, Checksum.updatePartial16(buf.getUnsignedShort(sumAt), f.l4Length, f.l4Length + diff));
        } else {
            int tcp = Checksum.update16(buf.getUnsignedShort(sumAt), oldSum, newSum);
            tcp = Checksum.update16(tcp, f.l4Length, f.l4Length + diff); // the pseudo-header's TCP length
            buf.setShort(sumAt, tcp);
        }
        f.l4Length += diff;
        return diff;
    }

    /** The folded one's-complement sum of {@code length} bytes at {@code at}, as words aligned to the segment start. */
    private static int sum(ByteBuf b, int at, int length, int oddStart) {
        int s = ~Ipv4.checksum(b, at, length) & 0xffff;
        return oddStart == 0 ? s : (s << 8 | s >>> 8) & 0xffff;
    }

    /**
     * A TCP header word (sequence, acknowledgment, SACK edge): a partial checksum leaves it to the
     * host, which sums the whole header from csum_start (only the pseudo-header is in the field).
     */
    private static void setInt(ByteBuf buf, Flow f, int at, int old, int now) {
        buf.setInt(at, now);
        if (!f.partialChecksum) {
            int sumAt = f.l4At + TcpHeader.CHECKSUM;
            buf.setShort(sumAt, Checksum.update32(buf.getUnsignedShort(sumAt), old, now));
        }
    }

    private static long key(int global, int port) {
        return (global & 0xffffffffL) << 16 | port;
    }

    /** Whether any data connection is expected (so the data path skips the lookup when none is). */
    public boolean expecting() {
        return !expectations.isEmpty();
    }

    /** The expectation a new TCP connection from {@code src} to {@code dst}:{@code dport} meets, or null. */
    public DataExpectation expected(int src, int dst, int dport, int now) {
        DataExpectation e = expectations.get(key(dst, dport));
        if (e == null || e.peer() != src) {
            return null;
        }
        if (now - e.expires() >= 0) {
            expectations.remove(key(dst, dport), e);
            return null;
        }
        return e;
    }

    /** The data connection arrived: the expectation is used up. */
    public void fulfilled(DataExpectation e) {
        expectations.remove(key(e.global(), e.globalPort()), e);
    }

    /** Expectations waiting, for SHOW. */
    public int expectationCount() {
        return expectations.size();
    }

    /** Drops expired expectations and the state of control connections that are gone (the sweep's tick). */
    public void sweep(SessionTable t, int now) {
        expectations.values().removeIf(e -> now - e.expires() >= 0);
        controls.entrySet().removeIf(en -> !t.live(en.getKey()) || control(t, en.getKey()) == null);
    }

    public void clear() {
        expectations.clear();
        controls.clear();
    }
}
