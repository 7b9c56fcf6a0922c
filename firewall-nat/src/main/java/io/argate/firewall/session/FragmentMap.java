package io.argate.firewall.session;

import io.argate.firewall.FirewallLimits;

/**
 * What the firewall decided about the first fragment of a datagram, for its later fragments,
 * which carry no ports to find a session by: keyed by source, destination, protocol and IP
 * identification (the fields that name a datagram, RFC 791 section 3.2), it holds the addresses
 * the first fragment was translated to. Direct-mapped and bounded; an entry lives as long as a
 * reassembly would wait. Fragments are rare next to whole packets, so this small table takes a
 * lock rather than the session table's lock-free reads.
 */
public final class FragmentMap {
    private final int[] src = new int[FirewallLimits.FRAGMENT_SLOTS];
    private final int[] dst = new int[FirewallLimits.FRAGMENT_SLOTS];
    private final int[] idProto = new int[FirewallLimits.FRAGMENT_SLOTS];
    private final int[] newSrc = new int[FirewallLimits.FRAGMENT_SLOTS];
    private final int[] newDst = new int[FirewallLimits.FRAGMENT_SLOTS];
    private final int[] expires = new int[FirewallLimits.FRAGMENT_SLOTS];
    private final boolean[] used = new boolean[FirewallLimits.FRAGMENT_SLOTS];

    private static int slot(int s, int d, int key) {
        int h = s * 0x9E3779B1 ^ d * 0x85EBCA77 ^ key * 0xC2B2AE3D;
        h ^= h >>> 15;
        return (h & 0x7fffffff) % FirewallLimits.FRAGMENT_SLOTS;
    }

    /** Records that the datagram's fragments go out as {@code toSrc -> toDst}. */
    public synchronized void record(int s, int d, int id, int proto, int toSrc, int toDst, int now) {
        int key = id << 8 | proto;
        int i = slot(s, d, key);
        src[i] = s;
        dst[i] = d;
        idProto[i] = key;
        newSrc[i] = toSrc;
        newDst[i] = toDst;
        expires[i] = now + FirewallLimits.FRAGMENT_SECONDS;
        used[i] = true;
    }

    /** The translated source and destination (as {@code long} src << 32 | dst) of a later fragment, or -1 when its first was not seen. */
    public synchronized long find(int s, int d, int id, int proto, int now) {
        int key = id << 8 | proto;
        int i = slot(s, d, key);
        if (!used[i] || src[i] != s || dst[i] != d || idProto[i] != key || now - expires[i] >= 0) {
            return -1;
        }
        return (long) newSrc[i] << 32 | (newDst[i] & 0xffffffffL);
    }

    public synchronized void clear() {
        java.util.Arrays.fill(used, false);
    }
}
