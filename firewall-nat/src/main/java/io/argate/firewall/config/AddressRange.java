package io.argate.firewall.config;

/** An inclusive IPv4 range, addresses as unsigned ints ({@code IP=a.b.c.d[-e.f.g.h]}). */
public record AddressRange(int first, int last) {
    public AddressRange {
        if (Integer.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException("range " + text(first) + "-" + text(last) + " is reversed");
        }
    }

    public static AddressRange of(int address) {
        return new AddressRange(address, address);
    }

    public boolean contains(int a) {
        return Integer.compareUnsigned(a, first) >= 0 && Integer.compareUnsigned(a, last) <= 0;
    }

    public boolean single() {
        return first == last;
    }

    public static String text(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }

    @Override
    public String toString() {
        return single() ? text(first) : text(first) + "-" + text(last);
    }
}
