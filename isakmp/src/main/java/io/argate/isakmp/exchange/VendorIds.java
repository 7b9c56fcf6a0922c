package io.argate.isakmp.exchange;

import io.argate.isakmp.wire.Message;
import io.argate.isakmp.wire.VendorIdPayload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The vendor ID task: which extensions we announce in the first phase 1 messages and which the
 * peer announced. NAT-T vendor IDs are the MD5 of their names (RFC 3947 section 3.1: "RFC 3947";
 * the drafts: their draft names, -02 also with a trailing newline as some peers sent it); DPD's
 * is RFC 3706 section 4's fixed value.
 */
final class VendorIds {
    static final byte[] RFC3947 = md5("RFC 3947");
    static final byte[] DRAFT_08 = md5("draft-ietf-ipsec-nat-t-ike-08");
    static final byte[] DRAFT_03 = md5("draft-ietf-ipsec-nat-t-ike-03");
    static final byte[] DRAFT_02N = md5("draft-ietf-ipsec-nat-t-ike-02\n");
    static final byte[] DRAFT_02 = md5("draft-ietf-ipsec-nat-t-ike-02");
    /** RFC 3706 section 4: afcad71368a1f1c96b8696fc77570100. */
    static final byte[] DPD = java.util.HexFormat.of().parseHex("afcad71368a1f1c96b8696fc77570100");

    private VendorIds() {
    }

    static byte[] md5(String s) {
        try {
            return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What we send in Main Mode message 1/2 or Aggressive Mode message 1/2; DPD's unless DPDMODE=NONE (RFC 3706 section 5.1). */
    static List<VendorIdPayload> ours(boolean natT, NatTraversal chosen, boolean initiator, boolean dpd) {
        List<VendorIdPayload> out = new ArrayList<>();
        if (natT) {
            if (initiator) {
                for (byte[] v : new byte[][]{RFC3947, DRAFT_08, DRAFT_03, DRAFT_02N, DRAFT_02}) {
                    out.add(new VendorIdPayload(v));
                }
            } else if (chosen != NatTraversal.NONE) {
                out.add(new VendorIdPayload(vid(chosen)));
            }
        }
        if (dpd) {
            out.add(new VendorIdPayload(DPD));
        }
        return out;
    }

    static byte[] vid(NatTraversal n) {
        return switch (n) {
            case RFC3947 -> RFC3947;
            case DRAFT_08 -> DRAFT_08;
            case DRAFT_03 -> DRAFT_03;
            case DRAFT_02N -> DRAFT_02N;
            case DRAFT_02 -> DRAFT_02;
            case NONE -> throw new IllegalArgumentException("no vendor ID for NONE");
        };
    }

    /** The best NAT-T dialect the peer announced (the RFC before the newest draft), NONE when none. */
    static NatTraversal natT(Message m) {
        NatTraversal best = NatTraversal.NONE;
        for (VendorIdPayload v : m.all(VendorIdPayload.class)) {
            byte[] d = v.data();
            NatTraversal n = Arrays.equals(d, RFC3947) ? NatTraversal.RFC3947 : Arrays.equals(d, DRAFT_08) ? NatTraversal.DRAFT_08
                    : Arrays.equals(d, DRAFT_03) ? NatTraversal.DRAFT_03 : Arrays.equals(d, DRAFT_02N) ? NatTraversal.DRAFT_02N
                    : Arrays.equals(d, DRAFT_02) ? NatTraversal.DRAFT_02 : NatTraversal.NONE;
            if (n.ordinal() > best.ordinal()) {
                best = n;
            }
        }
        return best;
    }

    /** True when the peer announced DPD (RFC 3706); the version bytes after the first 14 may differ. */
    static boolean dpd(Message m) {
        for (VendorIdPayload v : m.all(VendorIdPayload.class)) {
            byte[] d = v.data();
            if (d.length == DPD.length && Arrays.equals(Arrays.copyOf(d, 14), Arrays.copyOf(DPD, 14))) {
                return true;
            }
        }
        return false;
    }
}
