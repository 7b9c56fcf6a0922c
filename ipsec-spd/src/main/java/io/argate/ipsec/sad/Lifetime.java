package io.argate.ipsec.sad;

import java.time.Duration;

/**
 * Hard limits of an SA (bundle EXPIRYSECONDS / EXPIRYKBYTES) and the soft limits derived from
 * them. The soft limit fires first so ISAKMP can negotiate the replacement while the old SA still
 * carries traffic. The soft limit is 95% of the hard one, as the reference's SHOW output has it
 * (seed 003: "28800/27360" seconds hard/soft for IPsec, "86400/82080" for ISAKMP); at the 300 s
 * minimum that leaves 15 s, enough for a Quick Mode with a retransmission.
 *
 * @param hardSeconds seconds until the SA is removed (0: no time limit)
 * @param hardBytes   bytes until the SA is removed (0: no volume limit)
 */
public record Lifetime(long hardSeconds, long hardBytes) {
    public static final Lifetime UNLIMITED = new Lifetime(0, 0);

    public static Lifetime of(long seconds, long kilobytes) {
        return new Lifetime(seconds, kilobytes * 1024);
    }

    public long softSeconds() {
        return hardSeconds * 95 / 100;
    }

    public long softBytes() {
        return hardBytes * 95 / 100;
    }

    public Duration hard() {
        return Duration.ofSeconds(hardSeconds);
    }
}
