package io.argate.isakmp.exchange;

import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.wire.Message;
import io.argate.isakmp.wire.VendorIdPayload;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The XAUTH vendor ID (draft-beaulieu-ike-xauth-02 section 4: 09002689dfd6b712), which a side
 * that does XAUTH announces in its first phase 1 message, and which Cisco-style clients expect
 * before they answer an XAUTH REQUEST.
 */
final class XauthVendorId {
    static final byte[] XAUTH = HexFormat.of().parseHex("09002689dfd6b712");

    private XauthVendorId() {
    }

    /** What a policy announces: the XAUTH vendor ID when it is an XAUTH SERVER or CLIENT. */
    static List<VendorIdPayload> ours(IsakmpPolicy p) {
        return p != null && p.access().xauth() != io.argate.isakmp.config.RemoteAccessSettings.Xauth.NONE
                ? List.of(new VendorIdPayload(XAUTH)) : List.of();
    }

    static boolean announced(Message m) {
        for (VendorIdPayload v : m.all(VendorIdPayload.class)) {
            if (Arrays.equals(v.data(), XAUTH)) {
                return true;
            }
        }
        return false;
    }
}
