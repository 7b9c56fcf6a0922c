package io.argate.isakmp.exchange;

import io.argate.isakmp.wire.PayloadType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of a decrypted ISAKMP body (the payload chain behind encryption, for
 * {@link CleartextTap}): the structural ones of {@link Mutator} (bit flips, truncation, byte
 * changes, a payload's length, payloads reordered, duplicated or removed, the next-payload chain
 * broken, bytes appended), and ones aimed at what the parsers and the state logic read: counts
 * larger than what follows (transforms in a proposal, SPIs in a delete, SPI sizes), proposal and
 * transform numbers and protocol/transform IDs out of line (RFC 2408 sections 3.5, 3.6), and
 * identities changed (RFC 2407 section 4.6.2: type, protocol, port, data).
 */
final class PlaintextMutator {
    /** Mutator's kinds that apply to a body (not the header's length or fields, not the marker). */
    private static final String[] STRUCTURAL = {"bit flips", "truncation", "byte changes", "payload length", "reorder", "duplicate", "remove",
            "chain break", "append"};
    static final String[] KINDS = {"bit flips", "truncation", "byte changes", "payload length", "reorder", "duplicate", "remove",
            "chain break", "append", "oversized count", "proposal numbers", "wrong ID"};

    record Mutant(String kind, CleartextTap.Body body) {
    }

    private final SplittableRandom r;
    private final Mutator structural;

    PlaintextMutator(long seed) {
        this.r = new SplittableRandom(seed);
        this.structural = new Mutator(seed ^ 0x5eed);
    }

    /** A mutant of {@code body} of mutation kind {@code KINDS[kind]} (another kind when that one does not apply). */
    Mutant mutate(CleartextTap.Body body, int kind) {
        for (int tries = 0; tries < 20; tries++, kind = r.nextInt(KINDS.length)) {
            CleartextTap.Body m = kind < STRUCTURAL.length ? viaMutator(body, kind) : semantic(body, kind);
            if (m != null && (m.nextPayload() != body.nextPayload() || !Arrays.equals(m.chain(), body.chain()))) {
                return new Mutant(KINDS[kind], m);
            }
        }
        return new Mutant("truncation", new CleartextTap.Body(body.nextPayload(), Arrays.copyOf(body.chain(), body.chain().length - 1)));
    }

    /** The body framed as a clear message with a bare header, mutated by {@link Mutator}, taken apart again. */
    private CleartextTap.Body viaMutator(CleartextTap.Body body, int kind) {
        byte[] framed = new byte[28 + body.chain().length];
        framed[16] = (byte) body.nextPayload();
        System.arraycopy(body.chain(), 0, framed, 28, body.chain().length);
        int mutatorKind = Arrays.asList(Mutator.KINDS).indexOf(STRUCTURAL[kind]);
        byte[] m = structural.apply(mutatorKind, framed, 0);
        if (m == null) {
            return null;
        }
        if (m.length < 28) {
            // cut into the header: the body is gone
            return new CleartextTap.Body(body.nextPayload(), new byte[0]);
        }
        return new CleartextTap.Body(m[16] & 0xff, Arrays.copyOfRange(m, 28, m.length));
    }

    private CleartextTap.Body semantic(CleartextTap.Body body, int kind) {
        List<int[]> chain = chain(body);
        byte[] b = body.chain().clone();
        List<int[]> targets = new ArrayList<>();
        for (int[] p : chain) {
            if (kind == 9 && (p[0] == PayloadType.SA || p[0] == PayloadType.DELETE || p[0] == PayloadType.NOTIFY)
                    || kind == 10 && p[0] == PayloadType.SA || kind == 11 && p[0] == PayloadType.ID) {
                targets.add(p);
            }
        }
        if (targets.isEmpty()) {
            return null;
        }
        int[] p = targets.get(r.nextInt(targets.size()));
        int at = p[1];
        int len = p[2];
        switch (kind) {
            case 9 -> {
                if (p[0] == PayloadType.DELETE && len >= 16) {
                    // #SPIs (two bytes after DOI, protocol, SPI size) or the SPI size
                    if (r.nextBoolean()) {
                        int n = new int[]{0xffff, 0, ((b[at + 10] & 0xff) << 8 | b[at + 11] & 0xff) + 1, 0x8000}[r.nextInt(4)];
                        b[at + 10] = (byte) (n >>> 8);
                        b[at + 11] = (byte) n;
                    } else {
                        b[at + 9] = (byte) new int[]{0, 255, 17, 3}[r.nextInt(4)];
                    }
                } else if (p[0] == PayloadType.NOTIFY && len >= 12) {
                    b[at + 9] = (byte) new int[]{255, 16, 200, 3}[r.nextInt(4)];
                } else if (p[0] == PayloadType.SA && len >= 20) {
                    // the first proposal: SPI size or number of transforms (RFC 2408 section 3.5)
                    int prop = at + 12;
                    if (r.nextBoolean()) {
                        b[prop + 7] = (byte) new int[]{255, (b[prop + 7] & 0xff) + 1, 0, 128}[r.nextInt(4)];
                    } else {
                        b[prop + 6] = (byte) new int[]{255, 0, 16, 8}[r.nextInt(4)];
                    }
                } else {
                    return null;
                }
            }
            case 10 -> {
                int prop = at + 12;
                if (len < 20 || prop + 8 > at + len) {
                    return null;
                }
                int spiSize = b[prop + 6] & 0xff;
                int transform = prop + 8 + spiSize;
                switch (r.nextInt(5)) {
                    case 0 -> b[prop + 4] = (byte) new int[]{0, 255, 2}[r.nextInt(3)];
                    case 1 -> b[prop + 5] = (byte) new int[]{0, 1, 4, 255}[r.nextInt(4)];
                    case 2 -> {
                        if (transform + 8 > at + len) {
                            return null;
                        }
                        b[transform + 4] = (byte) new int[]{0, 255, 2}[r.nextInt(3)];
                    }
                    case 3 -> {
                        if (transform + 8 > at + len) {
                            return null;
                        }
                        b[transform + 5] = (byte) new int[]{0, 255, 1, 12}[r.nextInt(4)];
                    }
                    default -> {
                        // the SA's DOI or situation (RFC 2407 section 4.6.1)
                        b[at + 4 + (r.nextBoolean() ? 3 : 7)] = (byte) new int[]{0, 2, 255}[r.nextInt(3)];
                    }
                }
            }
            default -> {
                if (len < 8) {
                    return null;
                }
                switch (r.nextInt(5)) {
                    case 0 -> b[at + 4] = (byte) new int[]{0, 1, 2, 3, 4, 5, 7, 9, 11, 200}[r.nextInt(10)];
                    case 1 -> b[at + 5] = (byte) new int[]{6, 17, 255, 1}[r.nextInt(4)];
                    case 2 -> {
                        int port = new int[]{500, 65535, 1}[r.nextInt(3)];
                        b[at + 6] = (byte) (port >>> 8);
                        b[at + 7] = (byte) port;
                    }
                    case 3 -> {
                        if (len > 8) {
                            b[at + 8 + r.nextInt(len - 8)] ^= (byte) (1 + r.nextInt(255));
                        }
                    }
                    default -> {
                        // identification data one byte short or four bytes long, the length made to fit
                        return resize(body, p, r.nextBoolean() ? -1 : 4);
                    }
                }
            }
        }
        return new CleartextTap.Body(body.nextPayload(), b);
    }

    /** The payload at {@code p} grown (zeros) or shrunk at its end by {@code delta}, its length field made to fit. */
    private static CleartextTap.Body resize(CleartextTap.Body body, int[] p, int delta) {
        byte[] b = body.chain();
        int newLen = p[2] + delta;
        if (newLen < 8) {
            return null;
        }
        byte[] out = new byte[b.length + delta];
        System.arraycopy(b, 0, out, 0, p[1] + Math.min(p[2], newLen));
        System.arraycopy(b, p[1] + p[2], out, p[1] + newLen, b.length - p[1] - p[2]);
        out[p[1] + 2] = (byte) (newLen >>> 8);
        out[p[1] + 3] = (byte) newLen;
        return new CleartextTap.Body(body.nextPayload(), out);
    }

    /** The payloads of a body as [type, start, length]; stops where a length does not fit. */
    static List<int[]> chain(CleartextTap.Body body) {
        return Mutator.walk(body.chain(), body.nextPayload(), 0);
    }
}
