package io.argate.firewall.config;

/**
 * NATTYPE, NATMASK and GBLREMOTEIP of an {@code ACTION=NAT} rule ([C:S39] gives the syntax only;
 * the reading is [I]):
 * <ul>
 * <li>ENHANCED (what a NAT rule without NATTYPE does): address and port (NAPT) to GBLIP, or the
 *     public interface's address.</li>
 * <li>STANDARD: the source address only, to GBLIP.</li>
 * <li>DOUBLE: the source as STANDARD does, and the destination from the REMOTEIP the private host
 *     addressed to GBLREMOTEIP (two networks with overlapping addresses reach each other by
 *     stand-in addresses).</li>
 * <li>REVERSE: on a PUBLIC interface, the destination of a flow from outside, GBLIP as it arrives
 *     to IP inside.</li>
 * </ul>
 * With a NATMASK the translation keeps each address's host bits and replaces its network bits
 * (a whole subnet one to one: 192.168.1.7 with GBLIP=10.9.1.0 NATMASK=255.255.255.0 is 10.9.1.7);
 * without one a range maps by offset and a single address takes every packet.
 *
 * @param mask the NATMASK as an int, or 0 for none
 */
public record RuleNat(RuleNatType type, int mask, AddressRange gblRemoteIp) {
    /** Address {@code a} moved onto {@code target}'s network under {@code mask}. */
    public static int masked(int a, int target, int mask) {
        return target & mask | a & ~mask;
    }

    /** Whether {@code mask} is contiguous ones followed by zeros (and not all zeros). */
    public static boolean contiguous(int mask) {
        return mask != 0 && (~mask & (~mask + 1)) == 0;
    }

    public String text() {
        StringBuilder b = new StringBuilder(" nattype=").append(type.name().toLowerCase(java.util.Locale.ROOT));
        if (mask != 0) {
            b.append(" natmask=").append(AddressRange.text(mask));
        }
        if (gblRemoteIp != null) {
            b.append(" gblremoteip=").append(gblRemoteIp);
        }
        return b.toString();
    }
}
