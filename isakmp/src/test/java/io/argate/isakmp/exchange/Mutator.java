package io.argate.isakmp.exchange;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of one ISAKMP datagram (on 4500 the four-byte non-ESP marker comes first and
 * is kept unless a mutation aims at it): bit flips, truncation, byte changes, the header's or a
 * payload's length rewritten, payloads reordered, duplicated or removed (for an encrypted body:
 * its cipher blocks), the next-payload chain broken, bytes appended, header fields changed. The
 * payload chain is walked on the raw bytes (RFC 2408 section 3.2: next payload, reserved, length)
 * so that payloads the codecs would refuse are moved as they are.
 */
final class Mutator {
    static final String[] KINDS = {"bit flips", "truncation", "byte changes", "header length", "payload length", "reorder", "duplicate",
            "remove", "chain break", "append", "header fields", "marker"};

    record Mutant(String kind, byte[] datagram) {
    }

    private final SplittableRandom r;

    Mutator(long seed) {
        this.r = new SplittableRandom(seed);
    }

    /** A mutant of {@code datagram} (whose ISAKMP header starts at {@code off}) that differs from it. */
    Mutant mutate(byte[] datagram, int off) {
        for (int tries = 0; ; tries++) {
            int kind = r.nextInt(off > 0 ? KINDS.length : KINDS.length - 1);
            byte[] m = apply(kind, datagram, off);
            if (m != null && !Arrays.equals(m, datagram) || tries > 50) {
                return new Mutant(KINDS[kind], m == null ? Arrays.copyOf(datagram, datagram.length - 1) : m);
            }
        }
    }

    /** Mutation {@code kind} (an index of {@link #KINDS}) of {@code d}, or null when it does not apply. */
    byte[] apply(int kind, byte[] d, int off) {
        byte[] x = d.clone();
        boolean encrypted = d.length > off + 19 && (d[off + 19] & 1) != 0;
        switch (kind) {
            case 0 -> {
                for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                    int bit = off * 8 + r.nextInt((d.length - off) * 8);
                    x[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return x;
            }
            case 1 -> {
                return Arrays.copyOf(d, r.nextInt(d.length));
            }
            case 2 -> {
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                    x[off + r.nextInt(d.length - off)] = (byte) r.nextInt(256);
                }
                return x;
            }
            case 3 -> {
                int len = d.length - off;
                int[] choices = {0, 27, 28, len - 1, len + 1, len + 100, -1, r.nextInt(), len - 4, len + 4};
                putInt(x, off + 24, choices[r.nextInt(choices.length)]);
                return x;
            }
            case 4 -> {
                List<int[]> chain = chain(d, off);
                if (encrypted || chain.isEmpty()) {
                    return apply(3, d, off);
                }
                int[] p = chain.get(r.nextInt(chain.size()));
                int[] choices = {0, 1, 3, 4, p[2] - 1, p[2] + 1, 0xffff, r.nextInt(65536), p[2] + 4, p[2] - 4};
                int v = choices[r.nextInt(choices.length)];
                x[p[1] + 2] = (byte) (v >>> 8);
                x[p[1] + 3] = (byte) v;
                return x;
            }
            case 5, 6, 7 -> {
                return encrypted ? blocks(kind, d, off) : payloads(kind, d, off);
            }
            case 8 -> {
                List<int[]> chain = chain(d, off);
                int at = chain.isEmpty() || r.nextBoolean() ? off + 16 : chain.get(r.nextInt(chain.size()))[1];
                int[] types = {0, 1 + r.nextInt(13), 14 + r.nextInt(7), 128 + r.nextInt(128), r.nextInt(256)};
                x[at] = (byte) types[r.nextInt(types.length)];
                return x;
            }
            case 9 -> {
                byte[] tail = new byte[1 + r.nextInt(64)];
                r.nextBytes(tail);
                byte[] y = Arrays.copyOf(d, d.length + tail.length);
                System.arraycopy(tail, 0, y, d.length, tail.length);
                if (r.nextBoolean() && d.length >= off + 28) {
                    putInt(y, off + 24, y.length - off);
                }
                return y;
            }
            case 10 -> {
                if (d.length < off + 28) {
                    return apply(0, d, off);
                }
                switch (r.nextInt(4)) {
                    case 0 -> x[off + 18] = (byte) r.nextInt(256);
                    case 1 -> x[off + 19] = (byte) r.nextInt(256);
                    case 2 -> putInt(x, off + 20, r.nextInt());
                    default -> x[off + 17] = (byte) r.nextInt(256);
                }
                return x;
            }
            default -> {
                x[r.nextInt(off)] = (byte) (1 + r.nextInt(255));
                return x;
            }
        }
    }

    /** The payloads of a clear message as [type, start, length]; stops where a length does not fit. */
    static List<int[]> chain(byte[] d, int off) {
        if (d.length < off + 28) {
            return new ArrayList<>();
        }
        return walk(d, d[off + 16] & 0xff, off + 28);
    }

    /** The payload chain of {@code d} from {@code at}, the first payload's type {@code next}, as [type, start, length]; stops where a length does not fit. */
    static List<int[]> walk(byte[] d, int next, int at) {
        List<int[]> out = new ArrayList<>();
        while (next != 0 && at + 4 <= d.length) {
            int len = (d[at + 2] & 0xff) << 8 | d[at + 3] & 0xff;
            if (len < 4 || at + len > d.length) {
                break;
            }
            out.add(new int[]{next, at, len});
            next = d[at] & 0xff;
            at += len;
        }
        return out;
    }

    /** Payloads reordered (5), one duplicated (6) or one removed (7), the chain and the header length made consistent again. */
    private byte[] payloads(int kind, byte[] d, int off) {
        List<int[]> chain = chain(d, off);
        if (chain.isEmpty()) {
            return apply(0, d, off);
        }
        List<int[]> ps = new ArrayList<>(chain);
        int i = r.nextInt(ps.size());
        switch (kind) {
            case 5 -> {
                int j = r.nextInt(ps.size());
                int[] t = ps.get(i);
                ps.set(i, ps.get(j));
                ps.set(j, t);
            }
            case 6 -> ps.add(r.nextInt(ps.size() + 1), ps.get(i));
            default -> ps.remove(i);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(d, 0, off + 28);
        for (int k = 0; k < ps.size(); k++) {
            int[] p = ps.get(k);
            byte[] body = Arrays.copyOfRange(d, p[1], p[1] + p[2]);
            body[0] = (byte) (k + 1 < ps.size() ? ps.get(k + 1)[0] : 0);
            out.write(body, 0, body.length);
        }
        byte[] y = out.toByteArray();
        y[off + 16] = (byte) (ps.isEmpty() ? 0 : ps.get(0)[0]);
        putInt(y, off + 24, y.length - off);
        return y;
    }

    /** An encrypted body's blocks (of 8 bytes, the smallest cipher block) swapped (5), one duplicated (6) or one removed (7). */
    private byte[] blocks(int kind, byte[] d, int off) {
        int n = (d.length - off - 28) / 8;
        if (n < 2) {
            return apply(0, d, off);
        }
        List<byte[]> bs = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            bs.add(Arrays.copyOfRange(d, off + 28 + 8 * k, off + 36 + 8 * k));
        }
        int i = r.nextInt(n);
        switch (kind) {
            case 5 -> {
                int j = r.nextInt(n);
                byte[] t = bs.get(i);
                bs.set(i, bs.get(j));
                bs.set(j, t);
            }
            case 6 -> bs.add(i, bs.get(i));
            default -> bs.remove(i);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(d, 0, off + 28);
        bs.forEach(b -> out.write(b, 0, b.length));
        byte[] y = out.toByteArray();
        if (r.nextBoolean()) {
            putInt(y, off + 24, y.length - off);
        }
        return y;
    }

    private static void putInt(byte[] b, int at, int v) {
        if (at + 4 <= b.length) {
            b[at] = (byte) (v >>> 24);
            b[at + 1] = (byte) (v >>> 16);
            b[at + 2] = (byte) (v >>> 8);
            b[at + 3] = (byte) v;
        }
    }
}
