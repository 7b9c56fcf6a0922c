package io.argate.firewall.session;

import io.argate.firewall.FirewallLimits;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntConsumer;

/**
 * The firewall's sessions: a bounded table in primitive arrays that the data path reads without
 * locks, under 64 bytes per session.
 *
 * <p>A session is 12 ints in one array (48 bytes, mostly one cache line): its tuple as it first
 * arrived, the same tuple as it left (after NAT), protocol and state, last activity, expiry,
 * the highest TCP sequence each direction sent, and its owner (policy and rule). Two keys find
 * it: the original tuple (direction 0) and the reply tuple as the far side sends it, which is
 * the translated tuple reversed (direction 1). The keys live in one open-addressing index of
 * ints (linear probing; slot = 5-bit hash tag | 5-bit distance from its home slot | session id and
 * direction; the distance lets deletion shift keys back without reading their sessions), sized 1.3 slots per
 * key, so the index costs about 10 bytes per session.
 *
 * <p>A hit costs two dependent cache misses (the slot, then the session to confirm the key). A
 * slot holding the whole key (16 bytes) would confirm it where the probe lands, and in one run
 * with {@code bench}'s {@code SessionLookupRounds} such a probe alone was about 1.5-2.4x faster
 * at a million sessions; but two keys of 16 bytes at 1.3 slots each are 41.6 bytes, leaving
 * under 23 of the 64 for a session's state, timers, sequence edges and owner (24 bytes today)
 * and the positions of its keys, which it would need to find them once they no longer live in
 * it. Tried and measured slower or no faster: two four-slot buckets per key read together
 * (cuckoo), 1.6 slots per key, a branch-free key check.
 *
 * <p>Concurrency: any thread may read; structural changes (open, remove) hold this object's
 * monitor and bump {@code version} to odd before and even after. A reader publishes nothing: it
 * reads a slot with acquire semantics (the writer stored it with release after writing the
 * session), compares the key, and re-reads the slot to make sure it did not change meanwhile.
 * A miss is only believed when {@code version} was even and unchanged around it, because
 * backward-shift deletion may move a key past a reader; otherwise the reader retries. Freed
 * session ids are reused in FIFO order, so an id comes back only after every other free one.
 *
 * <p>Expiry is an incremental sweep ({@link #sweep}), run from a control-loop timer: each call
 * visits a fixed share of the ids, so the data path never scans, and a lookup treats an expired
 * session as gone even before the sweep removes it.
 */
public final class SessionTable {
    static final int STRIDE = 12;
    static final int O_SRC = 0;
    static final int O_DST = 1;
    static final int O_PORTS = 2;
    /**
     * proto(8) | state(8) | fins(8) | packet counts, 4 bits per direction (8). It sits between the
     * two keys so a lookup's key check (the key and the protocol) reads 16 contiguous bytes: at the
     * 48-byte stride those of the original key never cross a cache line, and the reply key's cross
     * one in four sessions (with META after both keys, each direction crossed in one of four).
     */
    static final int META = 3;
    static final int T_SRC = 4;
    static final int T_DST = 5;
    static final int T_PORTS = 6;
    static final int LAST = 7;
    static final int EXPIRES = 8;
    static final int END_ORIG = 9;
    static final int END_REPLY = 10;
    static final int OWNER = 11;

    private static final int REF_BITS = 22;
    private static final int REF_MASK = (1 << REF_BITS) - 1;
    private static final int DIST_SHIFT = REF_BITS;
    /** A distance this large or more is stored as this, and then found again from the key. */
    private static final int DIST_MAX = 31;
    private static final int TAG_SHIFT = 27;
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(SessionTable.class, "version", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Why {@link #open} gave no session. */
    public static final int FULL = -1;
    public static final int NO_TRANSLATION = -2;

    private final int capacity;
    private final int[] s;
    private final int[] index;
    private final int slots;
    /** Free ids form a FIFO queue linked through their own O_SRC field, so it costs no array. */
    private int freeHead;
    private int freeTail;
    private int freeCount;
    private int live;
    private volatile int version;
    private int sweepCursor;
    private int random;

    /** A table whose NAPT ports are drawn from a secure seed. */
    public SessionTable(int capacity) {
        this(capacity, new java.security.SecureRandom().nextInt());
    }

    /** A table whose NAPT port sequence follows {@code seed} (tests, benchmarks). */
    public SessionTable(int capacity, int seed) {
        this.random = seed == 0 ? 1 : seed;
        if (capacity < 1 || capacity > FirewallLimits.MAX_SESSIONS) {
            throw new IllegalArgumentException("capacity must be 1.." + FirewallLimits.MAX_SESSIONS + ": " + capacity);
        }
        this.capacity = capacity;
        this.s = new int[capacity * STRIDE];
        this.slots = (int) Math.min(Integer.MAX_VALUE - 8, (long) capacity * 2 * 13 / 10 + 1);
        this.index = new int[slots];
        for (int i = 0; i < capacity; i++) {
            s[i * STRIDE + O_SRC] = i + 1;
        }
        this.freeHead = 0;
        this.freeTail = capacity - 1;
        this.freeCount = capacity;
    }

    public int capacity() {
        return capacity;
    }

    /** Sessions in the table now (expired ones the sweep has not reached yet included). */
    public synchronized int size() {
        return live;
    }

    /** Bytes the table's arrays take, for the benchmark's bytes-per-session figure. */
    public long footprintBytes() {
        return 4L * s.length + 4L * index.length;
    }

    // ---- keys

    public static int swap(int ports) {
        return ports << 16 | ports >>> 16;
    }

    /**
     * The key's hash: the two addresses as one 64-bit word and ports with protocol as another,
     * each multiplied by an odd constant (the two multiplications run side by side), and the
     * product's halves folded. The home slot takes the high bits of the result (multiply-shift)
     * and the tag its low five, both of which the fold mixes from the products' well-mixed high
     * half. On the lookup path this is a few cycles where a chain of five dependent
     * multiplications with a finalizer was about twenty-five. Public so the benchmarks' one-miss
     * reference layout hashes keys the same way.
     */
    public static int hash(int src, int dst, int ports, int proto) {
        long a = ((long) src << 32 | (dst & 0xffffffffL)) * 0x9E3779B97F4A7C15L;
        long b = ((ports & 0xffffffffL) << 8 | proto) * 0xC2B2AE3D27D4EB4FL;
        long h = a ^ b;
        return (int) (h >>> 32) ^ (int) h;
    }

    private int home(int h) {
        return (int) (((h & 0xffffffffL) * slots) >>> 32);
    }

    private static int tag(int h) {
        return h & 0x1f;
    }

    private boolean keyMatches(int ref, int src, int dst, int ports, int proto) {
        int base = (ref >>> 1) * STRIDE;
        if ((s[base + META] & 0xff) != proto) {
            return false;
        }
        if ((ref & 1) == 0) {
            return s[base + O_SRC] == src && s[base + O_DST] == dst && s[base + O_PORTS] == ports;
        }
        return s[base + T_DST] == src && s[base + T_SRC] == dst && swap(s[base + T_PORTS]) == ports;
    }

    private int probe(int src, int dst, int ports, int proto) {
        int h = hash(src, dst, ports, proto);
        int tag = tag(h);
        int pos = home(h);
        for (int n = 0; n < slots; n++) {
            int v = (int) INTS.getAcquire(index, pos);
            if (v == 0) {
                return -1;
            }
            if (v >>> TAG_SHIFT == tag) {
                int ref = (v & REF_MASK) - 1;
                if (keyMatches(ref, src, dst, ports, proto) && (int) INTS.getAcquire(index, pos) == v) {
                    return ref;
                }
            }
            pos = pos + 1 == slots ? 0 : pos + 1;
        }
        return -1;
    }

    /**
     * The session a packet with this tuple belongs to: {@code id << 1 | direction} (0 original,
     * 1 reply), or -1. Lock-free; expired sessions are still returned (see {@link #expired}).
     */
    public int find(int src, int dst, int ports, int proto) {
        for (int attempt = 0; attempt < 3; attempt++) {
            int before = (int) VERSION.getAcquire(this);
            int ref = probe(src, dst, ports, proto);
            if (ref >= 0) {
                return ref;
            }
            VarHandle.loadLoadFence();
            if ((before & 1) == 0 && (int) VERSION.getAcquire(this) == before) {
                return -1;
            }
            Thread.onSpinWait();
        }
        synchronized (this) {
            return probe(src, dst, ports, proto);
        }
    }

    // ---- reading one session (any thread; values may be a packet old)

    public int proto(int id) {
        return s[id * STRIDE + META] & 0xff;
    }

    public SessionState state(int id) {
        return SessionState.of(stateCode(id));
    }

    int stateCode(int id) {
        return (int) INTS.getOpaque(s, id * STRIDE + META) >>> 8 & 0xff;
    }

    /** FIN bits (1 original direction, 2 reply direction) and the last ACK flag (4). */
    public int fins(int id) {
        return (int) INTS.getOpaque(s, id * STRIDE + META) >>> 16 & 0xff;
    }

    public int origSrc(int id) {
        return s[id * STRIDE + O_SRC];
    }

    public int origDst(int id) {
        return s[id * STRIDE + O_DST];
    }

    public int origPorts(int id) {
        return s[id * STRIDE + O_PORTS];
    }

    public int transSrc(int id) {
        return s[id * STRIDE + T_SRC];
    }

    public int transDst(int id) {
        return s[id * STRIDE + T_DST];
    }

    public int transPorts(int id) {
        return s[id * STRIDE + T_PORTS];
    }

    public int lastSeen(int id) {
        return (int) INTS.getOpaque(s, id * STRIDE + LAST);
    }

    public int expires(int id) {
        return (int) INTS.getOpaque(s, id * STRIDE + EXPIRES);
    }

    public int owner(int id) {
        return s[id * STRIDE + OWNER];
    }

    /** The highest sequence number plus length each direction sent (TCP window sanity). */
    public int end(int id, int direction) {
        return (int) INTS.getOpaque(s, id * STRIDE + (direction == 0 ? END_ORIG : END_REPLY));
    }

    public boolean expired(int id, int now) {
        return now - expires(id) >= 0;
    }

    public boolean live(int id) {
        return stateCode(id) != 0;
    }

    // ---- data-path updates of one live session

    /** Marks activity: last seen {@code now}, expiry {@code now + timeout}. */
    public void touch(int id, int now, int timeoutSeconds) {
        int base = id * STRIDE;
        INTS.setOpaque(s, base + LAST, now);
        INTS.setOpaque(s, base + EXPIRES, now + timeoutSeconds);
    }

    /** Moves the state from {@code from} to {@code to} (and ORs in FIN bits); false when it moved meanwhile. */
    public boolean transition(int id, SessionState from, SessionState to, int finBits) {
        int at = id * STRIDE + META;
        int old = (int) INTS.getVolatile(s, at);
        if ((old >>> 8 & 0xff) != from.code()) {
            return false;
        }
        int now = (old & 0xff000000) | (old & 0xff) | to.code() << 8 | ((old >>> 16 & 0xff) | finBits) << 16;
        return INTS.compareAndSet(s, at, old, now);
    }

    /**
     * Counts a packet of {@code direction} (saturating at 15 per direction, which is all the
     * five-packet rule needs) and returns both counts as they were before it: original in bits
     * 0-3, reply in bits 4-7.
     */
    public int count(int id, int direction) {
        int at = id * STRIDE + META;
        while (true) {
            int old = (int) INTS.getVolatile(s, at);
            int counts = old >>> 24;
            int mine = direction == 0 ? counts & 0xf : counts >>> 4;
            if (mine == 15) {
                return counts;
            }
            int now = old + (1 << (24 + 4 * direction));
            if (INTS.compareAndSet(s, at, old, now)) {
                return counts;
            }
        }
    }

    /** A new SYN on a closed connection's tuple starts it again (port reuse, RFC 793 section 3.5). */
    public void restart(int id, int end) {
        int base = id * STRIDE;
        INTS.setRelease(s, base + META, (s[base + META] & 0xff) | SessionState.SYN_SENT.code() << 8);
        INTS.setOpaque(s, base + END_ORIG, end);
        INTS.setOpaque(s, base + END_REPLY, 0);
    }

    /** Sets where {@code direction}'s sequence space stands, backwards too (its SYN starts it). */
    public void advanceEndFrom(int id, int direction, int end) {
        INTS.setOpaque(s, id * STRIDE + (direction == 0 ? END_ORIG : END_REPLY), end);
    }

    /** Records that {@code direction} sent up to {@code end} (only ever moves forward, mod 2^32). */
    public void advanceEnd(int id, int direction, int end) {
        int at = id * STRIDE + (direction == 0 ? END_ORIG : END_REPLY);
        int old = (int) INTS.getOpaque(s, at);
        if (end - old > 0) {
            INTS.setOpaque(s, at, end);
        }
    }

    // ---- structural changes

    /**
     * Opens a session for the packet in {@code f} (its tuple as it arrived), translated to
     * {@code f.t*}: when {@code searchPort} is set, the translated source port (or ICMP
     * identifier) is chosen here so that the reply key is unique, keeping the original port when
     * it is free (RFC 4787 REQ-3 "port preservation" where possible); the translated source
     * address may be any of {@code tSrcFirst..tSrcLast}. Returns the session id, or {@link #FULL}
     * or {@link #NO_TRANSLATION}. An existing live session with the same original tuple (another
     * thread opened it first) is returned instead of a second one.
     */
    public synchronized int open(Flow f, int tSrcFirst, int tSrcLast, boolean searchPort, int owner, int now, int timeout) {
        int ref = probe(f.src, f.dst, f.ports(), f.proto);
        if (ref >= 0) {
            int id = ref >>> 1;
            if (!expired(id, now)) {
                return id;
            }
            removeLocked(id);
        }
        if (freeCount == 0) {
            return FULL;
        }
        if (!chooseTranslation(f, tSrcFirst, tSrcLast, searchPort, now)) {
            return NO_TRANSLATION;
        }
        int id = freeHead;
        freeHead = s[id * STRIDE + O_SRC];
        freeCount--;
        int base = id * STRIDE;
        s[base + O_SRC] = f.src;
        s[base + O_DST] = f.dst;
        s[base + O_PORTS] = f.ports();
        s[base + T_SRC] = f.tSrc;
        s[base + T_DST] = f.tDst;
        s[base + T_PORTS] = f.tPorts();
        s[base + LAST] = now;
        s[base + EXPIRES] = now + timeout;
        s[base + END_ORIG] = f.seq + f.segmentLength;
        s[base + END_REPLY] = 0;
        s[base + OWNER] = owner;
        s[base + META] = f.proto | f.initialState.code() << 8;
        beginChange();
        insertKey(id << 1, f.src, f.dst, f.ports(), f.proto);
        int rSrc = f.tDst;
        int rDst = f.tSrc;
        int rPorts = swap(f.tPorts());
        if (rSrc != f.src || rDst != f.dst || rPorts != f.ports()) {
            insertKey(id << 1 | 1, rSrc, rDst, rPorts, f.proto);
        }
        endChange();
        live++;
        return id;
    }

    private boolean keyTaken(int src, int dst, int ports, int proto, int now) {
        int ref = probe(src, dst, ports, proto);
        if (ref < 0) {
            return false;
        }
        int id = ref >>> 1;
        if (expired(id, now)) {
            removeLocked(id);
            return false;
        }
        return true;
    }

    /**
     * Picks the translated source: the original port on each global address first (RFC 4787
     * REQ-3, port preservation), then random ports (RFC 6056 section 3.3.1) on the addresses in
     * turn. Random candidates find a free port in a few tries even when most are taken, where a
     * sequential cursor would walk dense runs; the tries are bounded, so a flow to a server whose
     * ports are all taken costs a fixed amount before it is refused.
     */
    private boolean chooseTranslation(Flow f, int first, int last, boolean searchPort, int now) {
        long addresses = (last - first & 0xffffffffL) + 1;
        if (!searchPort) {
            for (int a = 0; a < Math.min(addresses, FirewallLimits.NAPT_PORT_TRIES); a++) {
                f.tSrc = first + a;
                if (!keyTaken(f.tDst, f.tSrc, swap(f.tPorts()), f.proto, now)) {
                    return true;
                }
            }
            return false;
        }
        if (f.sport >= FirewallLimits.NAPT_FIRST_PORT) {
            for (int a = 0; a < Math.min(addresses, 4); a++) {
                if (tryPort(f, first + a, f.sport, now)) {
                    return true;
                }
            }
        }
        int range = FirewallLimits.NAPT_LAST_PORT - FirewallLimits.NAPT_FIRST_PORT + 1;
        for (int i = 0; i < FirewallLimits.NAPT_PORT_TRIES; i++) {
            int r = nextRandom();
            int port = FirewallLimits.NAPT_FIRST_PORT + (int) (((r & 0xffffffffL) * range) >>> 32);
            if (tryPort(f, first + (int) (i % addresses), port, now)) {
                return true;
            }
        }
        return false;
    }

    /** xorshift32: cheap and good enough to spread ports; called under the table's lock. */
    private int nextRandom() {
        int x = random;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        random = x;
        return x;
    }

    private boolean tryPort(Flow f, int addr, int port, int now) {
        f.tSrc = addr;
        f.tSport = port;
        if (f.icmpQuery) {
            f.tDport = port;
        }
        return !keyTaken(f.tDst, addr, swap(f.tPorts()), f.proto, now);
    }

    /**
     * A seqlock's write side: the odd version is ordered before the changes that follow it
     * (a store-store fence, free on x86), the even one after them (release), so no full fence is
     * paid per change.
     */
    private void beginChange() {
        VERSION.setOpaque(this, version + 1);
        VarHandle.storeStoreFence();
    }

    private void endChange() {
        VERSION.setRelease(this, version + 1);
    }

    private void insertKey(int ref, int src, int dst, int ports, int proto) {
        int h = hash(src, dst, ports, proto);
        int home = home(h);
        int pos = home;
        int dist = 0;
        while ((int) INTS.getAcquire(index, pos) != 0) {
            pos = pos + 1 == slots ? 0 : pos + 1;
            dist++;
        }
        INTS.setRelease(index, pos, slot(tag(h), Math.min(dist, DIST_MAX), ref));
    }

    private static int slot(int tag, int dist, int ref) {
        return tag << TAG_SHIFT | dist << DIST_SHIFT | (ref + 1);
    }

    /** Removes a session (a sweep, a RESET, a configuration change). */
    public synchronized void remove(int id) {
        if (live(id)) {
            removeLocked(id);
        }
    }

    private void removeLocked(int id) {
        int base = id * STRIDE;
        int proto = s[base + META] & 0xff;
        beginChange();
        deleteKey(id << 1, s[base + O_SRC], s[base + O_DST], s[base + O_PORTS], proto);
        deleteKey(id << 1 | 1, s[base + T_DST], s[base + T_SRC], swap(s[base + T_PORTS]), proto);
        INTS.setRelease(s, base + META, 0);
        endChange();
        s[base + O_SRC] = -1;
        if (freeCount == 0) {
            freeHead = id;
        } else {
            s[freeTail * STRIDE + O_SRC] = id;
        }
        freeTail = id;
        freeCount++;
        live--;
    }

    private int keyHash(int ref) {
        int base = (ref >>> 1) * STRIDE;
        int proto = s[base + META] & 0xff;
        if ((ref & 1) == 0) {
            return hash(s[base + O_SRC], s[base + O_DST], s[base + O_PORTS], proto);
        }
        return hash(s[base + T_DST], s[base + T_SRC], swap(s[base + T_PORTS]), proto);
    }

    /** Backward-shift deletion (Knuth 6.4 algorithm R), so no tombstones ever slow lookups. */
    private void deleteKey(int ref, int src, int dst, int ports, int proto) {
        int h = hash(src, dst, ports, proto);
        int i = home(h);
        int tag = tag(h);
        while (true) {
            int v = index[i];
            if (v == 0) {
                return; // a reply key equal to the original one was never inserted
            }
            if (v >>> TAG_SHIFT == tag && (v & REF_MASK) == ref + 1) {
                break;
            }
            i = i + 1 == slots ? 0 : i + 1;
        }
        int j = i;
        while (true) {
            j = j + 1 == slots ? 0 : j + 1;
            int v = index[j];
            if (v == 0) {
                break;
            }
            int d = v >>> DIST_SHIFT & DIST_MAX;
            int k = d < DIST_MAX ? (j - d < 0 ? j - d + slots : j - d) : home(keyHash((v & REF_MASK) - 1));
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                int nd = i - k < 0 ? i - k + slots : i - k;
                INTS.setRelease(index, i, slot(v >>> TAG_SHIFT, Math.min(nd, DIST_MAX), (v & REF_MASK) - 1));
                i = j;
            }
        }
        INTS.setRelease(index, i, 0);
    }

    /**
     * Visits the next {@code capacity / SWEEP_ROUNDS} ids and removes the sessions that expired
     * by {@code now}, telling {@code removed} about each before it goes. Returns how many went.
     */
    public int sweep(int now, IntConsumer removed) {
        int share = Math.max(1, (capacity + FirewallLimits.SWEEP_ROUNDS - 1) / FirewallLimits.SWEEP_ROUNDS);
        int count = 0;
        for (int n = 0; n < share; n++) {
            int id = sweepCursor;
            sweepCursor = id + 1 == capacity ? 0 : id + 1;
            if (live(id) && expired(id, now)) {
                synchronized (this) {
                    if (live(id) && expired(id, now)) {
                        removed.accept(id);
                        removeLocked(id);
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** Every live session id, in id order (for SHOW; the set may change while it runs). */
    public void forEach(IntConsumer action) {
        for (int id = 0; id < capacity; id++) {
            if (live(id)) {
                action.accept(id);
            }
        }
    }

    /** Removes every session. */
    public synchronized void clear() {
        for (int id = 0; id < capacity; id++) {
            if (live(id)) {
                removeLocked(id);
            }
        }
    }
}
