package io.argate.ip.packet;

/**
 * Incremental update of an Internet checksum when one field of the covered data changes
 * (RFC 1624 equation 3: {@code HC' = ~(~HC + ~m + m')}), so NAT rewrites an address or a port
 * without summing the whole packet again. Works for the IP header checksum and for the TCP, UDP
 * and ICMP checksums, whose pseudo-header (RFC 793 section 3.1, RFC 768) holds the addresses.
 */
public final class Checksum {
    private Checksum() {
    }

    /** The checksum after a 16-bit word of the covered data changed from {@code old} to {@code now}. */
    public static int update16(int checksum, int old, int now) {
        int sum = (~checksum & 0xffff) + (~old & 0xffff) + (now & 0xffff);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        return ~sum & 0xffff;
    }

    /** The checksum after a 32-bit field (an address) changed: two 16-bit words at once. */
    public static int update32(int checksum, int old, int now) {
        long sum = (~checksum & 0xffffL)
                + (~(old >>> 16) & 0xffff) + (~old & 0xffff)
                + (now >>> 16 & 0xffff) + (now & 0xffff);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /**
     * A partial checksum (virtio-net NEEDS_CSUM: the host finishes it from csum_start on) holds
     * the pseudo-header's sum, not a complement, so a pseudo-header field's change moves it the
     * other way round from {@link #update16}; fields after csum_start (ports, sequence numbers,
     * payload) are summed by the host and leave it alone.
     */
    public static int updatePartial16(int partial, int old, int now) {
        return ~update16(~partial & 0xffff, old, now) & 0xffff;
    }

    /** {@link #updatePartial16} for a 32-bit pseudo-header field (an address). */
    public static int updatePartial32(int partial, int old, int now) {
        return ~update32(~partial & 0xffff, old, now) & 0xffff;
    }
}
