package io.argate.enco.board;

import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.Capability;
import io.argate.enco.spi.CipherChannel;
import io.argate.enco.spi.DriverFailure;
import io.argate.enco.spi.EncoDriver;
import io.argate.enco.spi.MacChannel;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model of an AR011-class crypto board: a fixed number of channels, work submitted to the
 * board's own engine thread and completed asynchronously (the caller waits for the completion
 * with a timeout), and injectable faults: the next N operations fail, operations fail after N
 * more succeed, the next operation never completes, or the next cipher operations stop half-way
 * through writing their result back into the caller's buffer. Used by tests to exercise asynchronous
 * offload, channel exhaustion and the fall-back to software. The engine computes with the
 * software algorithms, so results are exact.
 */
public final class Ar011Board implements EncoDriver, AutoCloseable {
    public static final String NAME = "ar011";
    private static final List<Algorithm> OFFERED = List.of(Algorithm.DES_CBC, Algorithm.TDES_CBC, Algorithm.AES_CBC_128,
            Algorithm.AES_CBC_192, Algorithm.AES_CBC_256, Algorithm.HMAC_MD5_96, Algorithm.HMAC_SHA1_96);

    private final int channelCount;
    private final Semaphore channels;
    private final Duration timeout;
    private final SoftwareDriver engine = new SoftwareDriver();
    private final ExecutorService board = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ar011-engine");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger failAfter = new AtomicInteger(-1);
    private final AtomicInteger hangNext = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger halfWayNext = new AtomicInteger();

    public Ar011Board(int channelCount, Duration timeout) {
        this.channelCount = channelCount;
        this.channels = new Semaphore(channelCount);
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Capability> capabilities() {
        return OFFERED.stream().map(a -> new Capability(a, true, 100)).toList();
    }

    /** The next {@code n} operations fail with a board error. */
    public void failNext(int n) {
        failNext.set(n);
    }

    /** After {@code n} more successful operations, every operation fails. */
    public void failAfter(int n) {
        failAfter.set(n);
    }

    /** The next {@code n} operations never complete (the caller times out). */
    public void hangNext(int n) {
        hangNext.set(n);
    }

    /**
     * The next {@code n} cipher operations fail half-way: the board has written the first half
     * of its result into the caller's buffer (a DMA transfer cut off) when it reports the error.
     */
    public void failHalfWayNext(int n) {
        halfWayNext.set(n);
    }

    public int freeChannels() {
        return channels.availablePermits();
    }

    public int operationsCompleted() {
        return completed.get();
    }

    private void takeChannel() throws DriverFailure {
        if (!channels.tryAcquire()) {
            throw new DriverFailure("all " + channelCount + " board channels are in use");
        }
    }

    /** Submits work to the board and waits for its completion. */
    private <T> T submit(Callable<T> work) throws DriverFailure {
        if (hangNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new DriverFailure("board did not complete the operation within " + timeout.toMillis() + " ms");
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new DriverFailure("board reported an engine error");
        }
        if (failAfter.get() == 0) {
            throw new DriverFailure("board reported an engine error");
        }
        failAfter.getAndUpdate(n -> n > 0 ? n - 1 : n);
        Future<T> f = board.submit(work);
        try {
            T r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            completed.incrementAndGet();
            return r;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new DriverFailure("board did not complete the operation within " + timeout.toMillis() + " ms");
        } catch (Exception e) {
            throw new DriverFailure("board engine error: " + e.getMessage(), e);
        }
    }

    @Override
    public CipherChannel cipher(Algorithm a, byte[] key) throws DriverFailure {
        if (!OFFERED.contains(a) || a.kind() != Algorithm.Kind.CIPHER) {
            throw new UnsupportedOperationException(NAME + " has no " + a);
        }
        CipherChannel inner = engine.cipher(a, key);
        takeChannel();
        return new CipherChannel() {
            public Algorithm algorithm() {
                return a;
            }

            public void encrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
                // the board works on its own copy and writes the result back (DMA)
                ByteBuffer work = copy(data);
                submit(() -> {
                    inner.encrypt(iv, work);
                    return null;
                });
                writeBack(work, data);
            }

            public void decrypt(byte[] iv, ByteBuffer data) throws DriverFailure {
                ByteBuffer work = copy(data);
                submit(() -> {
                    inner.decrypt(iv, work);
                    return null;
                });
                writeBack(work, data);
            }

            public void close() {
                channels.release();
            }
        };
    }

    @Override
    public MacChannel mac(Algorithm a, byte[] key) throws DriverFailure {
        if (!OFFERED.contains(a) || a.kind() != Algorithm.Kind.MAC) {
            throw new UnsupportedOperationException(NAME + " has no " + a);
        }
        MacChannel inner = engine.mac(a, key);
        takeChannel();
        return new MacChannel() {
            public Algorithm algorithm() {
                return a;
            }

            public int length() {
                return inner.length();
            }

            public void compute(byte[] out, int off, ByteBuffer... parts) throws DriverFailure {
                ByteBuffer[] copies = new ByteBuffer[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    copies[i] = copy(parts[i]);
                }
                byte[] icv = submit(() -> {
                    byte[] r = new byte[inner.length()];
                    inner.compute(r, 0, copies);
                    return r;
                });
                System.arraycopy(icv, 0, out, off, icv.length);
            }

            public void close() {
                channels.release();
            }
        };
    }

    /** Copies the result into the caller's buffer; a half-way fault stops after half of it. */
    private void writeBack(ByteBuffer result, ByteBuffer data) throws DriverFailure {
        result.rewind();
        if (halfWayNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            data.duplicate().put(result.limit(result.remaining() / 2));
            throw new DriverFailure("board transfer stopped half-way");
        }
        data.duplicate().put(result);
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    @Override
    public void close() {
        board.shutdownNow();
    }
}
