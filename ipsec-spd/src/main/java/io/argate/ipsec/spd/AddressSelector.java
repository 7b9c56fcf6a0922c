package io.argate.ipsec.spd;

import java.util.ArrayList;
import java.util.List;

/**
 * One side's address selector of an IPsec policy: ANY, an address with a mask, or an inclusive
 * range {@code a-b} (LADDRESS/LMASK, RADDRESS/RMASK). Addresses are IPv4 as unsigned ints.
 *
 * @param first lowest address matched
 * @param last  highest address matched
 */
public record AddressSelector(int first, int last) {
    public static final AddressSelector ANY = new AddressSelector(0, -1);

    public AddressSelector {
        if (Integer.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException("range first above last");
        }
    }

    /** Address and mask (RMASK omitted means a host mask: pass -1). */
    public static AddressSelector masked(int address, int mask) {
        int net = address & mask;
        return new AddressSelector(net, net | ~mask);
    }

    public static AddressSelector range(int first, int last) {
        return new AddressSelector(first, last);
    }

    public boolean isAny() {
        return first == 0 && last == -1;
    }

    public boolean contains(int address) {
        return Integer.compareUnsigned(address, first) >= 0 && Integer.compareUnsigned(address, last) <= 0;
    }

    /** True when the selector is exactly one prefix (what LADDRESS+LMASK gives). */
    public boolean isPrefix() {
        return prefixes().size() == 1;
    }

    /**
     * The smallest set of prefixes covering exactly the range, as {value, length} pairs; a range
     * of N addresses needs at most 62 of them.
     */
    public List<int[]> prefixes() {
        List<int[]> out = new ArrayList<>();
        long lo = Integer.toUnsignedLong(first);
        long hi = Integer.toUnsignedLong(last);
        while (lo <= hi) {
            // largest aligned block starting at lo that does not pass hi
            int size = lo == 0 ? 32 : Long.numberOfTrailingZeros(lo);
            while (size > 0 && lo + (1L << size) - 1 > hi) {
                size--;
            }
            out.add(new int[]{(int) lo, 32 - size});
            lo += 1L << size;
        }
        return out;
    }
}
