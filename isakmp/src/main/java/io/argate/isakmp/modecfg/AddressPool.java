package io.argate.isakmp.modecfg;

import java.util.List;

/**
 * One Mode Config address pool (CREATE ISAKMP POOL, an argate extension beyond the AR410): the
 * range a server leases client addresses from, and the DNS and WINS servers and split-include
 * networks it tells every client (draft-dukes-ike-mode-cfg-02 section 3.3; the split list is
 * Cisco Unity's UNITY_SPLIT_INCLUDE, which strongSwan and the Cisco-style clients request).
 *
 * @param first first address of RANGE (host order)
 * @param last  last address of RANGE, not below {@code first}
 * @param netmask the netmask clients are given (INTERNAL_IP4_NETMASK); 255.255.255.255 by default
 */
public record AddressPool(String name, int first, int last, int netmask, List<Integer> dns, List<Integer> wins, List<Subnet> split) {
    /** Most addresses one pool may hold, so a typo in RANGE cannot reserve a /8 of lease slots. */
    public static final int MAX_SIZE = 65536;
    /** Most DNS or WINS servers, and split networks, per pool. */
    public static final int MAX_SERVERS = 4;
    public static final int MAX_SPLIT = 16;

    public AddressPool {
        dns = List.copyOf(dns);
        wins = List.copyOf(wins);
        split = List.copyOf(split);
    }

    /** A network and its mask, as UNITY_SPLIT_INCLUDE carries it. */
    public record Subnet(int address, int mask) {
        @Override
        public String toString() {
            return dotted(address) + "/" + Integer.bitCount(mask);
        }
    }

    public long size() {
        return (last & 0xffffffffL) - (first & 0xffffffffL) + 1;
    }

    public boolean contains(int a) {
        long v = a & 0xffffffffL;
        return v >= (first & 0xffffffffL) && v <= (last & 0xffffffffL);
    }

    public static String dotted(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }
}
