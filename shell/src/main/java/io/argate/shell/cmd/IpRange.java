package io.argate.shell.cmd;

import java.net.Inet4Address;

/** An inclusive IPv4 address range as typed in {@code LADDRESS=a-b}. */
public record IpRange(Inet4Address from, Inet4Address to) {
    public boolean single() {
        return from.equals(to);
    }

    @Override
    public String toString() {
        return single() ? from.getHostAddress() : from.getHostAddress() + "-" + to.getHostAddress();
    }
}
