package io.argate.ipsec.sad;

import io.argate.ipsec.spec.IpsecProtocol;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The Security Association Database: inbound SAs by (protocol, SPI) for the receive path, the
 * current bundle of each policy for the send path, SPI reservation for ISAKMP, lifetimes, and
 * the events the key manager listens to. The data path reads the concurrent maps without locks;
 * installs and removals come from the control plane.
 *
 * <p>This is the API the ISAKMP module fills: {@link #reserveSpi}, {@link #install},
 * {@link #deleteBySpi}, {@link #onEvent}; manual keying installs bundles the same way.
 *
 * @param <T> transform type of the SAs
 */
public final class Sad<T> {
    /** SPIs 0..255 are reserved by IANA (RFC 4303 section 2.1); manual SPIs start at 256 too. */
    public static final int MIN_SPI = 256;
    /** SHOW IPSEC SA ids are 0..65535. */
    public static final int MAX_BUNDLES = 65536;
    /** The highest CPI a key manager may negotiate; above are the private-use ones (RFC 3173 section 3.3). */
    public static final int MAX_NEGOTIATED_CPI = 61439;
    /** How long a reserved inbound SPI waits for its SA before it is released. */
    public static final Duration RESERVATION = Duration.ofSeconds(120);

    private final Clock clock;
    private final RandomGenerator random;
    private final Map<Long, Sa<T>> inbound = new ConcurrentHashMap<>();
    /** Inbound IPComp SAs by peer and CPI: the well-known CPIs repeat for every peer (RFC 3173 section 3.3). */
    private final Map<Long, Sa<T>> ipcomp = new ConcurrentHashMap<>();
    /** {@link #inbound} and {@link #ipcomp} as the receive path reads them, on primitive keys; changed with them, under this SAD's lock. */
    private final LongKeyTable<Sa<T>> inboundIndex = new LongKeyTable<>();
    private final LongKeyTable<Sa<T>> ipcompIndex = new LongKeyTable<>();
    private final Map<String, List<SaBundle<T>>> byPolicy = new ConcurrentHashMap<>();
    private final Map<Integer, SaBundle<T>> byId = new ConcurrentHashMap<>();
    private final Map<Long, Instant> reserved = new ConcurrentHashMap<>();
    private final List<Consumer<SadEvent>> listeners = new CopyOnWriteArrayList<>();
    private int nextId;
    private int nextSaId;

    public Sad(Clock clock) {
        this(clock, new SecureRandom());
    }

    public Sad(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    private static long key(IpsecProtocol p, int spi) {
        return (long) p.ipProtocol() << 32 | (spi & 0xFFFF_FFFFL);
    }

    public void onEvent(Consumer<SadEvent> listener) {
        listeners.add(listener);
    }

    public void raise(SadEvent e) {
        for (Consumer<SadEvent> l : listeners) {
            l.accept(e);
        }
    }

    private static long compKey(int peer, int cpi) {
        return (peer & 0xFFFF_FFFFL) << 16 | (cpi & 0xFFFF);
    }

    /**
     * Receive path for IPComp as the outermost header, by the sender's address and the CPI.
     * (IPComp inside ESP or AH is the carrying bundle's own IPComp SA; no lookup is needed.)
     */
    public Sa<T> inboundIpcomp(int peer, int cpi) {
        return ipcompIndex.get(compKey(peer, cpi));
    }

    /** Receive path: the ESP or AH SA for an arriving header, or null (counted by the caller). */
    public Sa<T> inbound(IpsecProtocol protocol, int spi) {
        return inboundIndex.get(key(protocol, spi));
    }

    /**
     * Send path: the bundle to use for a policy, the newest valid one (during a rekey the old
     * bundle still receives until it expires, but the new one sends).
     */
    public SaBundle<T> outbound(String policy) {
        List<SaBundle<T>> list = byPolicy.get(policy);
        if (list == null) {
            return null;
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            SaBundle<T> b = list.get(i);
            if (b.state() == SaState.VALID) {
                return b;
            }
        }
        return null;
    }

    /** Picks an unused random inbound SPI for ISAKMP and holds it for {@link #RESERVATION}. */
    public synchronized int reserveSpi(IpsecProtocol protocol) {
        while (true) {
            // an IPComp CPI is 16 bits, 256..61439 for negotiated ones (RFC 3173 section 3.3)
            int spi = protocol == IpsecProtocol.COMP ? MIN_SPI + random.nextInt(MAX_NEGOTIATED_CPI - MIN_SPI + 1) : random.nextInt();
            if (Integer.compareUnsigned(spi, MIN_SPI) < 0) {
                continue;
            }
            long k = key(protocol, spi);
            if (!inbound.containsKey(k) && !reserved.containsKey(k) && !(protocol == IpsecProtocol.COMP && cpiInUse(spi))) {
                reserved.put(k, clock.instant().plus(RESERVATION));
                return spi;
            }
        }
    }

    private boolean cpiInUse(int cpi) {
        for (Sa<T> sa : ipcomp.values()) {
            if (sa.spi() == cpi) {
                return true;
            }
        }
        return false;
    }

    /** True when the SPI is in use or reserved (manual SA specs must not collide). */
    public boolean spiInUse(IpsecProtocol protocol, int spi) {
        long k = key(protocol, spi);
        return inbound.containsKey(k) || reserved.containsKey(k);
    }

    /** A free bundle id for SHOW IPSEC SA, round-robin so a fresh bundle rarely reuses a recent id. */
    public synchronized int allocateId() {
        for (int i = 0; i < MAX_BUNDLES; i++) {
            int id = (nextId + i) % MAX_BUNDLES;
            if (!byId.containsKey(id)) {
                nextId = (id + 1) % MAX_BUNDLES;
                return id;
            }
        }
        throw new IllegalStateException("all " + MAX_BUNDLES + " SA bundle ids are in use");
    }

    /**
     * A free SA id (SHOW IPSEC SA); ids are shared with bundle numbering space but kept apart
     * from live SAs so a row's id is unique.
     */
    public synchronized int allocateSaId() {
        for (int i = 0; i < MAX_BUNDLES; i++) {
            int id = (nextSaId + i) % MAX_BUNDLES;
            if (!saIdInUse(id)) {
                nextSaId = (id + 1) % MAX_BUNDLES;
                return id;
            }
        }
        throw new IllegalStateException("all " + MAX_BUNDLES + " SA ids are in use");
    }

    private boolean saIdInUse(int id) {
        for (SaBundle<T> b : byId.values()) {
            for (Sa<T> sa : b.outbound()) {
                if (sa.id() == id) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Installs a bundle: its inbound SPIs become live (a reservation is consumed) and it becomes
     * the policy's sending bundle; then listeners hear {@link SadEvent.Installed} (outside the
     * lock, so a listener may send through the new bundle). Refused when an inbound SPI is
     * already used by another SA.
     */
    public void install(SaBundle<T> bundle) {
        installLocked(bundle);
        raise(new SadEvent.Installed(bundle.id(), bundle.policy()));
    }

    /**
     * Installs a bundle that receives but does not send yet: its inbound SPIs become live while
     * it stays {@link SaState#CREATING}, so {@link #outbound} does not pick it. A Quick Mode
     * responder installs this way when it sends its second message, because the initiator may
     * send on the new SAs as soon as it has that message (RFC 2409 section 5.5); the responder's
     * own sending waits for the third message ({@link #activate}).
     */
    public void installInbound(SaBundle<T> bundle) {
        bundle.state(SaState.CREATING);
        installLocked(bundle);
    }

    /**
     * A bundle installed by {@link #installInbound} starts sending: it becomes the policy's
     * sending bundle and listeners hear {@link SadEvent.Installed}. False when it is no longer
     * in the SAD (deleted or expired meanwhile).
     */
    public boolean activate(SaBundle<T> bundle) {
        synchronized (this) {
            if (byId.get(bundle.id()) != bundle || bundle.state() != SaState.CREATING) {
                return false;
            }
            bundle.state(SaState.VALID);
        }
        raise(new SadEvent.Installed(bundle.id(), bundle.policy()));
        return true;
    }

    private synchronized void installLocked(SaBundle<T> bundle) {
        for (Sa<T> sa : bundle.inbound()) {
            if (sa.protocol() != IpsecProtocol.COMP && inbound.containsKey(key(sa.protocol(), sa.spi()))) {
                throw new IllegalStateException("inbound " + sa.protocol().display() + " SPI " + sa.spiUnsigned() + " is already in use");
            }
        }
        for (Sa<T> sa : bundle.inbound()) {
            if (sa.protocol() == IpsecProtocol.COMP) {
                reserved.remove(key(sa.protocol(), sa.spi()));
                // a rekeyed bundle to the same peer reuses the CPI: the newest takes over (decompression has no per-SA state)
                ipcomp.put(compKey(bundle.peer(), sa.spi()), sa);
                ipcompIndex.put(compKey(bundle.peer(), sa.spi()), sa);
                continue;
            }
            long k = key(sa.protocol(), sa.spi());
            reserved.remove(k);
            inbound.put(k, sa);
            inboundIndex.put(k, sa);
        }
        byId.put(bundle.id(), bundle);
        byPolicy.compute(bundle.policy(), (p, list) -> {
            List<SaBundle<T>> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.add(bundle);
            return List.copyOf(next);
        });
    }

    /** Removes the bundle holding this inbound or outbound SPI; returns it if found. */
    public synchronized Optional<SaBundle<T>> deleteBySpi(IpsecProtocol protocol, int spi) {
        for (SaBundle<T> b : byId.values()) {
            for (Sa<T> sa : b.inbound()) {
                if (sa.protocol() == protocol && sa.spi() == spi) {
                    remove(b);
                    return Optional.of(b);
                }
            }
            for (Sa<T> sa : b.outbound()) {
                if (sa.protocol() == protocol && sa.spi() == spi) {
                    remove(b);
                    return Optional.of(b);
                }
            }
        }
        return Optional.empty();
    }

    /** Removes a bundle and its inbound SPIs. */
    public synchronized void remove(SaBundle<T> b) {
        unindex(b);
        byPolicy.computeIfPresent(b.policy(), (p, list) -> {
            List<SaBundle<T>> next = new ArrayList<>(list);
            next.remove(b);
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }

    /**
     * Takes a bundle out of every index but its policy's list, which a caller removing a whole
     * policy (or everything) drops once rather than copying it once per bundle.
     */
    private void unindex(SaBundle<T> b) {
        b.state(SaState.REMOVING);
        for (Sa<T> sa : b.inbound()) {
            if (sa.protocol() == IpsecProtocol.COMP) {
                ipcomp.remove(compKey(b.peer(), sa.spi()), sa);
                ipcompIndex.remove(compKey(b.peer(), sa.spi()), sa);
            } else {
                inbound.remove(key(sa.protocol(), sa.spi()), sa);
                inboundIndex.remove(key(sa.protocol(), sa.spi()), sa);
            }
        }
        byId.remove(b.id());
    }

    /** Removes every bundle of a policy (policy destroyed or changed). */
    public synchronized void removePolicy(String policy) {
        List<SaBundle<T>> list = byPolicy.remove(policy);
        if (list != null) {
            for (SaBundle<T> b : list) {
                unindex(b);
            }
        }
    }

    /** PURGE IPSEC: every bundle goes; listeners hear {@link SadEvent.Purging} for each while it still exists. */
    public synchronized void clear() {
        for (SaBundle<T> b : List.copyOf(byId.values())) {
            raise(new SadEvent.Purging(b.id(), b.policy(), b.peer()));
        }
        for (SaBundle<T> b : List.copyOf(byId.values())) {
            unindex(b);
        }
        byPolicy.clear();
        reserved.clear();
    }

    public Optional<SaBundle<T>> bundle(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** All bundles by id, for SHOW IPSEC SA. */
    public List<SaBundle<T>> bundles() {
        List<SaBundle<T>> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingInt(SaBundle::id));
        return all;
    }

    public List<SaBundle<T>> bundlesOf(String policy) {
        return byPolicy.getOrDefault(policy, List.of());
    }

    /**
     * Data path: counts bytes on an SA of the bundle and raises soft/hard expiry when the
     * volume limit is crossed. Returns false when the bundle hit its hard limit (drop).
     */
    public boolean countBytes(SaBundle<T> b, Sa<T> sa, int length) {
        long total = sa.count(length);
        Lifetime lt = b.lifetime();
        if (lt.hardBytes() == 0) {
            return true;
        }
        if (total >= lt.hardBytes()) {
            if (b.fireHard()) {
                remove(b);
                raise(new SadEvent.HardExpiry(b.id(), b.policy(), "volume limit of " + lt.hardBytes() / 1024 + " kbytes reached"));
            }
            return false;
        }
        if (total >= lt.softBytes() && b.fireSoft()) {
            raise(new SadEvent.SoftExpiry(b.id(), b.policy(), "95% of the " + lt.hardBytes() / 1024 + " kbyte volume limit carried"));
        }
        return true;
    }

    /** Control plane timer: time-based soft/hard expiry and stale SPI reservations. */
    public void tick() {
        Instant now = clock.instant();
        reserved.entrySet().removeIf(e -> e.getValue().isBefore(now));
        for (SaBundle<T> b : List.copyOf(byId.values())) {
            Lifetime lt = b.lifetime();
            if (lt.hardSeconds() == 0) {
                continue;
            }
            long age = Duration.between(b.created(), now).getSeconds();
            if (age >= lt.hardSeconds()) {
                if (b.fireHard()) {
                    remove(b);
                    raise(new SadEvent.HardExpiry(b.id(), b.policy(), "lifetime of " + lt.hardSeconds() + " s ended"));
                }
            } else if (age >= lt.softSeconds() && b.fireSoft()) {
                raise(new SadEvent.SoftExpiry(b.id(), b.policy(), "95% of the " + lt.hardSeconds() + " s lifetime passed"));
            }
        }
    }

    /** How long a bundle has existed (the "used" seconds of SHOW IPSEC POLICY SABUNDLE). */
    public Duration age(SaBundle<T> b) {
        return Duration.between(b.created(), clock.instant());
    }

    public Collection<Sa<T>> inboundSas() {
        return inbound.values();
    }
}
