package io.argate.ipsec;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every global IPsec counter, each drop with its named reason (STYLE.md practice 3). The data
 * path increments them; SHOW IPSEC COUNTERS prints them and RESET IPSEC COUNTERS clears them.
 */
public enum IpsecCounter {
    OUT_PACKETS("outPackets"),
    OUT_PROTECTED("outProtected"),
    OUT_PERMITTED("outPermitted"),
    OUT_DENIED("outDenied"),
    OUT_IMPLICIT_DENY("outImplicitDeny"),
    OUT_ACQUIRE("outAcquire"),
    OUT_HELD("outHeld"),
    OUT_HOLD_OVERFLOW("outHoldOverflow"),
    OUT_HOLD_SENT("outHoldSent"),
    OUT_HOLD_EXPIRED("outHoldExpired"),
    OUT_HOLD_DROPPED("outHoldDropped"),
    OUT_NO_SA("outNoSa"),
    OUT_SEQUENCE_EXHAUSTED("outSeqExhausted"),
    OUT_COMPRESSED("outCompressed"),
    OUT_NOT_COMPRESSED("outNotCompressed"),
    OUT_CRYPTO_FAILED("outCryptoFailed"),
    OUT_TOO_BIG("outTooBig"),
    OUT_FRAGMENTED_BEFORE("outFragmentedBefore"),
    /** No route to the tunnel peer (or the transport destination): dropped before any crypto. */
    OUT_NO_ROUTE("outNoRoute"),
    /** A packet's source was translated to the tunnel's Mode Config address (AssignedAddressNat). */
    OUT_MODECFG_TRANSLATED("outModeCfgTranslated"),
    /** Not TCP, UDP or an ICMP echo, or a fragment: it cannot share the one Mode Config address. */
    OUT_MODECFG_UNTRANSLATABLE("outModeCfgUntranslatable"),
    /** Every port of the Mode Config address is in use by a live mapping. */
    OUT_MODECFG_PORTS_EXHAUSTED("outModeCfgPortsExhausted"),
    IN_PACKETS("inPackets"),
    IN_DECAPSULATED("inDecapsulated"),
    IN_PERMITTED("inPermitted"),
    IN_DENIED("inDenied"),
    IN_IMPLICIT_DENY("inImplicitDeny"),
    IN_UNKNOWN_SPI("inUnknownSpi"),
    IN_TRUNCATED("inTruncated"),
    IN_REPLAY_DUPLICATE("inReplayDuplicate"),
    IN_REPLAY_OLD("inReplayTooOld"),
    IN_BAD_ICV("inBadIcv"),
    IN_BAD_PADDING("inBadPadding"),
    IN_BAD_LENGTH("inBadLength"),
    IN_DECOMPRESS_FAILED("inDecompressFailed"),
    IN_WRONG_POLICY("inWrongPolicy"),
    /** A packet to our Mode Config address was translated back to the host that owns its port. */
    IN_MODECFG_TRANSLATED("inModeCfgTranslated"),
    /** A packet to our Mode Config address that no mapping owns (no flow from behind us opened it). */
    IN_MODECFG_NO_MAPPING("inModeCfgNoMapping"),
    IN_NOT_PROTECTED("inPlaintextForIpsec"),
    IN_BAD_INNER("inBadInnerPacket"),
    IN_UDP_HEARTBEAT("inUdpHeartbeat"),
    IN_NAT_KEEPALIVE("inNatKeepalive"),
    IN_NAT_T_IKE_UNHANDLED("inNatTIkeUnhandled"),
    /** ESP, AH or IPComp arrived while the IPSEC module is disabled. */
    IN_DISABLED("inIpsecDisabled");

    private final String display;

    IpsecCounter(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }

    /** One set of all counters. */
    public static final class Set {
        private final Map<IpsecCounter, LongAdder> values = new EnumMap<>(IpsecCounter.class);
        private final LongAdder[] byOrdinal = new LongAdder[values().length];

        public Set() {
            for (IpsecCounter c : values()) {
                LongAdder a = new LongAdder();
                values.put(c, a);
                byOrdinal[c.ordinal()] = a;
            }
        }

        public void inc(IpsecCounter c) {
            byOrdinal[c.ordinal()].increment();
        }

        public long get(IpsecCounter c) {
            return byOrdinal[c.ordinal()].sum();
        }

        public void reset() {
            for (LongAdder a : byOrdinal) {
                a.reset();
            }
        }
    }
}
