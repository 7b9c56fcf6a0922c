package io.argate.ip.iface;

import io.argate.ip.route.Route;

/**
 * A logical IP interface (ADD IP INTERFACE, fact sheet 1.9): a port plus a multihoming index
 * ({@code vlan1-1}; no suffix means {@code -0}), with an address and mask. Address 0.0.0.0 makes
 * it unnumbered.
 *
 * @param port    the port it lives on (vlan1, eth0, ppp0)
 * @param index   multihoming index 0..15
 * @param address IPv4 address, 0 when unnumbered
 * @param mask    contiguous netmask
 * @param order   creation order, for the unnumbered source-address rule
 */
public record IpInterface(String port, int index, int address, int mask, long order) {

    /** {@code vlan1-1}: the canonical name. */
    public String name() {
        return port + "-" + index;
    }

    public boolean unnumbered() {
        return address == 0;
    }

    public int network() {
        return address & mask;
    }

    /** The connected route this interface's address creates. */
    public Route connectedRoute() {
        return new Route(network(), Integer.bitCount(mask), name(), 0, 1, true);
    }

    /** Splits {@code vlan1-1} / {@code eth0} into port and index; null when malformed. */
    public static String[] parseName(String typed) {
        String n = typed.toLowerCase(java.util.Locale.ROOT);
        int dash = n.lastIndexOf('-');
        String port = dash < 0 ? n : n.substring(0, dash);
        String idx = dash < 0 ? "0" : n.substring(dash + 1);
        if (!portName(port) || idx.isEmpty() || idx.length() > 2 || !digits(idx, 0) || Integer.parseInt(idx) > 15) {
            return null;
        }
        return new String[]{port, idx};
    }

    /** Letters then digits: eth0, vlan1, ppp12. */
    private static boolean portName(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) >= 'a' && s.charAt(i) <= 'z') {
            i++;
        }
        return i > 0 && i < s.length() && digits(s, i);
    }

    private static boolean digits(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
