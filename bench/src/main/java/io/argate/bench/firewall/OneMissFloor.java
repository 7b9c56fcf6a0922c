package io.argate.bench.firewall;

import io.argate.firewall.session.SessionTable;

/**
 * A reference for {@link SessionLookupRounds}, not a session table: the whole key (both
 * addresses, ports, protocol) and a reference in each 16-byte slot of one open-addressing array
 * (linear probing, 1.3 slots per key, the session table's hash), so a hit is confirmed where the
 * probe lands and costs one dependent cache miss instead of the table's two (index slot, then
 * the session's record). It shows how fast a one-miss layout could look a session up on this
 * machine; what it leaves out is where it would not fit: 2 keys x 16 B x 1.3 is already 41.6 B
 * per session, leaving under 23 B of the 64-byte budget for state, timers, sequence edges,
 * owner and the way back from a session to its keys.
 */
final class OneMissFloor {
    private final long[] slots;
    private final int count;

    OneMissFloor(int keys) {
        count = (int) (keys * 13L / 10 + 1);
        slots = new long[2 * count];
    }

    private int home(int src, int dst, int ports, int proto) {
        return (int) (((SessionTable.hash(src, dst, ports, proto) & 0xffffffffL) * count) >>> 32);
    }

    void put(int src, int dst, int ports, int proto, int ref) {
        int p = home(src, dst, ports, proto);
        while (slots[2 * p + 1] != 0) {
            p = p + 1 == count ? 0 : p + 1;
        }
        slots[2 * p] = (long) src << 32 | (dst & 0xffffffffL);
        slots[2 * p + 1] = (ports & 0xffffffffL) << 32 | (long) proto << 24 | (ref + 1);
    }

    int find(int src, int dst, int ports, int proto) {
        long addresses = (long) src << 32 | (dst & 0xffffffffL);
        long rest = (ports & 0xffffffffL) << 32 | (long) proto << 24;
        int p = home(src, dst, ports, proto);
        while (true) {
            long a = slots[2 * p];
            long b = slots[2 * p + 1];
            if (b == 0) {
                return -1;
            }
            if (a == addresses && (b & ~0xffffffL) == rest) {
                return (int) (b & 0xffffff) - 1;
            }
            p = p + 1 == count ? 0 : p + 1;
        }
    }

    long footprintBytes() {
        return 8L * slots.length;
    }
}
