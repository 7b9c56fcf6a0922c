package io.argate.ipsec.spd;

/**
 * A policy address selector as the user typed it, kept so SHOW and the configuration script
 * print it back the same way: ANY, an address with an optional mask (omitted = host mask, as
 * the seed says for RMASK), or a range.
 *
 * @param kind    which form
 * @param first   the address, or the range start
 * @param last    the range end (RANGE only)
 * @param mask    the mask (ADDRESS only; -1 = host)
 * @param maskSet whether a mask was typed (so the script writes it back)
 */
public record AddressSpec(Kind kind, int first, int last, int mask, boolean maskSet) {
    public enum Kind {
        ANY, ADDRESS, RANGE
    }

    public static final AddressSpec ANY = new AddressSpec(Kind.ANY, 0, 0, 0, false);

    public static AddressSpec address(int a) {
        return new AddressSpec(Kind.ADDRESS, a, a, -1, false);
    }

    public static AddressSpec range(int a, int b) {
        return new AddressSpec(Kind.RANGE, a, b, -1, false);
    }

    public AddressSpec withMask(int m) {
        return new AddressSpec(Kind.ADDRESS, first, first, m, true);
    }

    public AddressSelector selector() {
        return switch (kind) {
            case ANY -> AddressSelector.ANY;
            case ADDRESS -> AddressSelector.masked(first, mask);
            case RANGE -> AddressSelector.range(first, last);
        };
    }

    public static String dotted(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }

    /** Address part for SHOW and scripts: {@code ANY}, {@code 10.0.0.1} or {@code 10.0.0.1-10.0.0.9}. */
    public String addressText() {
        return switch (kind) {
            case ANY -> "ANY";
            case ADDRESS -> dotted(first);
            case RANGE -> dotted(first) + "-" + dotted(last);
        };
    }
}
