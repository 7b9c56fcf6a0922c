package io.argate.ipsec.sad;

/**
 * What the SPD and SAD tell the key manager (ISAKMP): a packet needs an SA that does not exist
 * (ACQUIRE), an SA reached its soft or hard limit, or a packet arrived for an unknown SPI
 * (RESPONDBADSPI).
 */
public sealed interface SadEvent {

    /** An outbound packet matched an ACTION=IPSEC, KEYMAN=ISAKMP policy with no SA bundle. */
    record Acquire(String policy, int source, int destination, int protocol) implements SadEvent {
    }

    /** A bundle was installed: packets held for its policy can go. */
    record Installed(int bundleId, String policy) implements SadEvent {
    }

    /** Time to negotiate a replacement; the bundle keeps working. */
    record SoftExpiry(int bundleId, String policy, String reason) implements SadEvent {
    }

    /** The bundle was removed. */
    record HardExpiry(int bundleId, String policy, String reason) implements SadEvent {
    }

    /**
     * The operator is removing the bundle (PURGE IPSEC). Raised while the bundle is still in the
     * SAD, so the key manager that negotiated it can name its SPIs in a delete notification to
     * the peer (RFC 2408 section 3.15) before it goes.
     */
    record Purging(int bundleId, String policy, int peer) implements SadEvent {
    }

    /** ESP/AH arrived for an SPI the SAD does not hold. */
    record UnknownSpi(int spi, int protocol, int source, int destination) implements SadEvent {
    }
}
