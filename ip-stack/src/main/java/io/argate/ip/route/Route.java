package io.argate.ip.route;

/**
 * One route: destination prefix, the interface it leaves by, the next hop (0 for a connected
 * route: the destination itself is the next hop) and the metric (ADD IP ROUTE ... METRIC=).
 *
 * @param network   destination network (IPv4 as int, host bits zero)
 * @param length    prefix length 0..32
 * @param iface     egress interface name
 * @param nextHop   gateway address, 0 when directly connected
 * @param metric    1..16, lower preferred among routes to the same prefix
 * @param connected true for the routes interfaces' addresses create
 */
public record Route(int network, int length, String iface, int nextHop, int metric, boolean connected) {
    public Route {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length " + length);
        }
        if ((network & ~mask(length)) != 0) {
            throw new IllegalArgumentException("host bits set in " + Integer.toHexString(network) + "/" + length);
        }
    }

    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    public boolean matches(int address) {
        return (address & mask(length)) == network;
    }
}
