package io.argate.isakmp.modecfg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The addresses leased from the pools: one per client ISAKMP SA, returned when the SA goes
 * (draft-dukes-ike-mode-cfg-02 section 3.3: the address is the client's while its SA lives).
 * Memory is bounded by the pools' sizes: a pool that is full leases nothing.
 */
public final class PoolLeases {
    /** One lease, for SHOW ISAKMP POOL. */
    public record Lease(String pool, int address, int peer, String user) {
    }

    private final Map<Integer, Lease> byAddress = new LinkedHashMap<>();

    /**
     * Leases the lowest free address of {@code pool} to {@code peer} (XAUTH's {@code user}, or
     * null); 0 when the pool is full.
     */
    public int lease(AddressPool pool, int peer, String user) {
        long first = pool.first() & 0xffffffffL;
        long last = pool.last() & 0xffffffffL;
        for (long a = first; a <= last; a++) {
            Lease l = byAddress.get((int) a);
            if (l == null) {
                byAddress.put((int) a, new Lease(pool.name(), (int) a, peer, user));
                return (int) a;
            }
        }
        return 0;
    }

    public void release(int address) {
        byAddress.remove(address);
    }

    public List<Lease> leases(String pool) {
        List<Lease> out = new ArrayList<>();
        for (Lease l : byAddress.values()) {
            if (l.pool().equalsIgnoreCase(pool)) {
                out.add(l);
            }
        }
        return out;
    }

    public int count(String pool) {
        return leases(pool).size();
    }

    public void clear() {
        byAddress.clear();
    }
}
