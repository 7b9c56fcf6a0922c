package io.argate.isakmp.liveness;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The AR-style ISAKMP heartbeat between two argate routers (HEARTBEATMODE). The AR410's own
 * heartbeat is proprietary and undocumented (fact sheet 2.5 [C:S34]), so argate defines its
 * own, carried like RFC 3706's DPD: a Notification payload in an Informational exchange
 * protected by the ISAKMP SA (RFC 2409 section 5.7), protocol ISAKMP, SPI the two cookies.
 *
 * <p>Notify type {@link #TYPE} lies in RFC 2408 section 3.14.1's "Private Use" status range
 * 32768-40959 (16385-24575 is reserved for future use and 24576-32767 belongs to the DOI),
 * away from DPD's 36136/36137. Notification data, 8 bytes, network order:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Version=1   |     Flags     |     Interval (seconds)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Interval is how often the sender sends, so a receiver knows when one is missed without
 * sharing configuration; flag bit 0 (0x01) says the sender also watches for heartbeats
 * (HEARTBEATMODE=BOTH), for the log of the receiving side. The sequence number increases by one
 * per heartbeat; the receiver drops one that does not increase (a replay). Unknown flag bits are
 * ignored; another version is refused.
 */
public record HeartbeatMessage(int flags, int intervalSeconds, int sequence) {
    /** Private-use status notify type (RFC 2408 section 3.14.1). */
    public static final int TYPE = 40100;
    public static final int VERSION = 1;
    public static final int LENGTH = 8;
    public static final int FLAG_RECEIVES = 0x01;

    public HeartbeatMessage {
        if (intervalSeconds < 1 || intervalSeconds > 0xffff || flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("heartbeat interval 1..65535 s and flags 0..255");
        }
    }

    public byte[] encode() {
        return ByteBuffer.allocate(LENGTH).put((byte) VERSION).put((byte) flags).putShort((short) intervalSeconds).putInt(sequence).array();
    }

    /** The message in a notification's data, or empty when it is not one argate understands. */
    public static Optional<HeartbeatMessage> decode(byte[] data) {
        if (data == null || data.length != LENGTH || (data[0] & 0xff) != VERSION) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        b.get();
        int flags = b.get() & 0xff;
        int interval = b.getShort() & 0xffff;
        int seq = b.getInt();
        if (interval == 0) {
            return Optional.empty();
        }
        return Optional.of(new HeartbeatMessage(flags, interval, seq));
    }

    public boolean senderReceives() {
        return (flags & FLAG_RECEIVES) != 0;
    }
}
