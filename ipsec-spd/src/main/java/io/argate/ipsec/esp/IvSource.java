package io.argate.ipsec.esp;

import java.security.SecureRandom;

/**
 * Where an ESP packet's IV comes from. CBC needs an unpredictable IV per packet (RFC 3602
 * section 2.3); GCM needs one that never repeats under a key (RFC 4106 section 3.1), which the
 * 64-bit sequence number gives. Known-answer tests supply the IV a standard's vector used.
 */
@FunctionalInterface
public interface IvSource {
    /** Fills {@code iv} (the algorithm's IV length) for the packet with sequence number {@code seq}. */
    void fill(byte[] iv, long seq);

    /** A fresh random IV per packet: the CBC default. */
    static IvSource random() {
        SecureRandom random = new SecureRandom();
        return (iv, seq) -> random.nextBytes(iv);
    }

    /** The full (64-bit) sequence number, big-endian: the GCM default. */
    static IvSource sequence() {
        return (iv, seq) -> {
            for (int i = 0; i < iv.length; i++) {
                iv[i] = (byte) (seq >>> (8 * (iv.length - 1 - i)));
            }
        };
    }
}
