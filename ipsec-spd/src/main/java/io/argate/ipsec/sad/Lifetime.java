package io.argate.ipsec.sad;

import java.time.Duration;

/**
 * Hard limits of an SA (bundle EXPIRYSECONDS / EXPIRYKBYTES) and the soft limits derived from
 * them. The soft limit fires first so ISAKMP can negotiate the replacement while the old SA still
 * carries traffic; 90% of the hard limit leaves a tenth of the lifetime for the exchange (at the
 * 300 s minimum that is 30 s, enough for a Quick Mode with retransmissions).
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
        return hardSeconds * 9 / 10;
    }

    public long softBytes() {
        return hardBytes * 9 / 10;
    }

    public Duration hard() {
        return Duration.ofSeconds(hardSeconds);
    }
}
