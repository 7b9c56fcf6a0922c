package io.argate.enco;

import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.AeadChannel;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.Capability;
import io.argate.enco.spi.CipherChannel;
import io.argate.enco.spi.DhGroup;
import io.argate.enco.spi.DriverFailure;
import io.argate.enco.spi.EncoDriver;
import io.argate.enco.spi.HashEngine;
import io.argate.enco.spi.MacChannel;
import io.argate.store.EventLog;
import io.argate.store.Severity;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ENCO service: admits each driver's algorithms after their known-answer tests, binds each
 * channel (per SA, per user module) to the best admitted driver (hardware first, then the
 * lowest cost hint, software last), and when that driver fails mid-flight moves the channel to
 * software, logging and counting it. The software driver is always present.
 */
public final class Enco {
    private final List<DriverStatus> drivers = new ArrayList<>();
    private final SoftwareDriver software;
    private final EventLog log;
    private final EncoCounters counters = new EncoCounters();
    private final Map<Integer, ChannelInfo> channels = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean debug;

    public Enco(SoftwareDriver software, List<EncoDriver> others, EventLog log) {
        this.software = software;
        this.log = log;
        List<EncoDriver> all = new ArrayList<>();
        all.add(software);
        all.addAll(others);
        for (EncoDriver d : all) {
            Map<Algorithm, Capability> ok = new EnumMap<>(Algorithm.class);
            Map<Algorithm, String> refused = new EnumMap<>(Algorithm.class);
            for (Capability c : d.capabilities()) {
                String why = KnownAnswers.check(d, c.algorithm());
                if (why == null) {
                    ok.put(c.algorithm(), c);
                } else {
                    refused.put(c.algorithm(), why);
                    log.log(Severity.IMPORTANT, "ENCO", "DRV", "KAT", "Driver " + d.name() + " failed its " + c.algorithm()
                            + " self-test and will not be used for it: " + why);
                }
            }
            drivers.add(new DriverStatus(d, ok, refused));
            log.log(Severity.INFO, "ENCO", "DRV", "ADMIT", "Driver " + d.name() + ": " + ok.size() + " algorithms admitted, "
                    + refused.size() + " refused");
        }
    }

    public List<DriverStatus> drivers() {
        return List.copyOf(drivers);
    }

    public EncoCounters counters() {
        return counters;
    }

    public List<ChannelInfo> channels() {
        return channels.values().stream().sorted(Comparator.comparingInt(ChannelInfo::id)).toList();
    }

    public void debug(boolean on) {
        this.debug = on;
    }

    public boolean debug() {
        return debug;
    }

    /** Drivers admitted for {@code a}, best first. */
    List<EncoDriver> candidates(Algorithm a) {
        return drivers.stream().filter(s -> s.admitted().containsKey(a))
                .sorted(Comparator.<DriverStatus, Boolean>comparing(s -> !s.admitted().get(a).hardware())
                        .thenComparing(s -> s.driver() == software)
                        .thenComparingInt(s -> s.admitted().get(a).cost()))
                .map(DriverStatus::driver).toList();
    }

    /** The driver SHOW ENCO names as serving {@code a}. */
    public String driverFor(Algorithm a) {
        List<EncoDriver> c = candidates(a);
        return c.isEmpty() ? "none" : c.get(0).name();
    }

    private interface Opener<C> {
        C open(EncoDriver d) throws DriverFailure;
    }

    /** Opens on the best driver; a driver out of channels or failing at open gives way to the next. */
    private <C> Bound<C> open(String module, Algorithm a, Opener<C> opener) throws DriverFailure {
        DriverFailure last = null;
        for (EncoDriver d : candidates(a)) {
            try {
                C c = opener.open(d);
                counters.of(d.name()).channelsOpened.increment();
                int id = ids.incrementAndGet();
                channels.put(id, new ChannelInfo(id, module, a, d.name(), false));
                if (debug) {
                    log.log(Severity.DEBUG, "ENCO", "CHAN", "OPEN", "Channel " + id + " for " + module + " " + a + " on " + d.name());
                }
                return new Bound<>(id, module, a, d, c, opener);
            } catch (DriverFailure e) {
                last = e;
                counters.of(d.name()).exhausted.increment();
                log.log(Severity.NOTICE, "ENCO", "CHAN", "BUSY", "Driver " + d.name() + " could not open " + a + " for " + module + ": " + e.getMessage());
            }
        }
        throw last != null ? last : new DriverFailure("no admitted driver offers " + a);
    }

    /** One channel's binding, moved to software when its driver fails. */
    private final class Bound<C> {
        final int id;
        final String module;
        final Algorithm algorithm;
        final Opener<C> opener;
        EncoDriver driver;
        C channel;
        private byte[] kept = new byte[0];
        private int keptPosition;
        private int keptLimit;
        private int keptLength = -1;

        Bound(int id, String module, Algorithm a, EncoDriver d, C c, Opener<C> opener) {
            this.id = id;
            this.module = module;
            this.algorithm = a;
            this.driver = d;
            this.channel = c;
            this.opener = opener;
        }

        /** After a failure: counts it, and when not already on software, moves there. */
        C fallBack(DriverFailure e) throws DriverFailure {
            counters.of(driver.name()).failures.increment();
            if (driver == software) {
                throw e;
            }
            log.log(Severity.IMPORTANT, "ENCO", "CHAN", "FALLBK", "Channel " + id + " (" + module + " " + algorithm + ") failed on "
                    + driver.name() + " (" + e.getMessage() + "); continuing in software");
            counters.of(driver.name()).fallbacks.increment();
            driver = software;
            channel = opener.open(software);
            channels.put(id, new ChannelInfo(id, module, algorithm, software.name(), true));
            return channel;
        }

        /**
         * Before an in-place operation: keeps the bytes it starts from (position to limit), so
         * that when the driver fails part-way (a board that has already written some of its
         * result back) the software retry starts from the original bytes, not a mixture. On the
         * software driver nothing is kept, since its failure is not retried. The copy reuses one
         * array per channel, which is safe because a channel is used by one thread at a time.
         */
        void keep(ByteBuffer data) {
            keptPosition = data.position();
            keptLimit = data.limit();
            if (driver == software) {
                keptLength = -1;
                return;
            }
            keptLength = data.remaining();
            if (kept.length < keptLength) {
                kept = new byte[keptLength];
            }
            data.get(keptPosition, kept, 0, keptLength);
        }

        /** After a failure: the buffer as {@link #keep} found it, contents included. */
        void putBack(ByteBuffer data) {
            data.limit(keptLimit).position(keptPosition);
            if (keptLength > 0) {
                data.put(keptPosition, kept, 0, keptLength);
            }
        }

        void close() {
            channels.remove(id);
            if (channel instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing a channel cannot fail in a way the caller could act on
                }
            }
        }
    }

    public CipherChannel cipher(String module, Algorithm a, byte[] key) throws DriverFailure {
        byte[] k = key.clone();
        Bound<CipherChannel> b = open(module, a, d -> d.cipher(a, k));
        return new CipherChannel() {
            public Algorithm algorithm() {
                return a;
            }

            public void encrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
                b.keep(data);
                try {
                    b.channel.encrypt(iv, data);
                } catch (DriverFailure e) {
                    b.putBack(data);
                    b.fallBack(e).encrypt(iv, data);
                }
            }

            public void decrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
                b.keep(data);
                try {
                    b.channel.decrypt(iv, data);
                } catch (DriverFailure e) {
                    b.putBack(data);
                    b.fallBack(e).decrypt(iv, data);
                }
            }

            public CipherChannel fork() throws DriverFailure {
                return cipher(module, a, k);
            }

            public void close() {
                b.close();
            }
        };
    }

    public AeadChannel aead(String module, Algorithm a, byte[] key, int tagLength) throws DriverFailure {
        byte[] k = key.clone();
        Bound<AeadChannel> b = open(module, a, d -> d.aead(a, k, tagLength));
        return new AeadChannel() {
            public Algorithm algorithm() {
                return a;
            }

            public int tagLength() {
                return tagLength;
            }

            public void seal(byte[] nonce, byte[] aad, ByteBuffer buf, int length) throws DriverFailure {
                b.keep(buf);
                try {
                    b.channel.seal(nonce, aad, buf, length);
                } catch (DriverFailure e) {
                    b.putBack(buf);
                    b.fallBack(e).seal(nonce, aad, buf, length);
                }
            }

            public boolean open(byte[] nonce, byte[] aad, ByteBuffer buf, int length) throws DriverFailure {
                b.keep(buf);
                try {
                    return b.channel.open(nonce, aad, buf, length);
                } catch (DriverFailure e) {
                    b.putBack(buf);
                    return b.fallBack(e).open(nonce, aad, buf, length);
                }
            }

            public AeadChannel fork() throws DriverFailure {
                return aead(module, a, k, tagLength);
            }

            public void close() {
                b.close();
            }
        };
    }

    public MacChannel mac(String module, Algorithm a, byte[] key) throws DriverFailure {
        byte[] k = key.clone();
        Bound<MacChannel> b = open(module, a, d -> d.mac(a, k));
        return new MacChannel() {
            /** The ICV computed for verify: one per channel, which one thread uses at a time. */
            private final byte[] mine = new byte[a.outputLength()];

            public Algorithm algorithm() {
                return a;
            }

            public boolean verify(byte[] icv, int offset, ByteBuffer... parts) throws DriverFailure {
                compute(mine, 0, parts);
                int diff = 0;
                for (int i = 0; i < mine.length; i++) {
                    diff |= mine[i] ^ icv[offset + i];
                }
                return diff == 0;
            }

            public int length() {
                return a.outputLength();
            }

            public void compute(byte[] out, int off, ByteBuffer... parts) throws DriverFailure {
                try {
                    b.channel.compute(out, off, parts);
                } catch (DriverFailure e) {
                    b.fallBack(e).compute(out, off, parts);
                }
            }

            public MacChannel fork() throws DriverFailure {
                return mac(module, a, k);
            }

            public void close() {
                b.close();
            }
        };
    }

    /** A compression channel for an IPComp SA on the best driver (software LZS/DEFLATE here). */
    public io.argate.enco.spi.CompressionChannel compression(String module, Algorithm a) throws DriverFailure {
        Bound<io.argate.enco.spi.CompressionChannel> b = open(module, a, d -> d.compression(a));
        return new io.argate.enco.spi.CompressionChannel() {
            public Algorithm algorithm() {
                return a;
            }

            public int compress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) throws DriverFailure {
                try {
                    return b.channel.compress(in, off, len, out, outOff, outMax);
                } catch (DriverFailure e) {
                    return b.fallBack(e).compress(in, off, len, out, outOff, outMax);
                }
            }

            public int decompress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) throws DriverFailure {
                // a malformed packet is the packet's fault, not the driver's: no fallback
                return b.channel.decompress(in, off, len, out, outOff, outMax);
            }

            public io.argate.enco.spi.CompressionChannel fork() throws DriverFailure {
                return compression(module, a);
            }

            public void close() {
                b.close();
            }
        };
    }

    public HashEngine hash(Algorithm a) throws DriverFailure {
        return candidates(a).isEmpty() ? software.hash(a) : candidates(a).get(0).hash(a);
    }

    public DhGroup dh(Algorithm a) throws DriverFailure {
        return candidates(a).isEmpty() ? software.dh(a) : candidates(a).get(0).dh(a);
    }

    public void random(byte[] out) throws DriverFailure {
        List<EncoDriver> c = candidates(Algorithm.RANDOM);
        try {
            (c.isEmpty() ? software : c.get(0)).random(out);
        } catch (DriverFailure e) {
            software.random(out);
        }
    }
}
