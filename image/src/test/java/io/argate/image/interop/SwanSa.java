package io.argate.image.interop;

import java.util.ArrayList;
import java.util.List;

/**
 * strongSwan's view of its security associations ({@code swanctl --list-sas}): enough to assert
 * a phase 1 SA is ESTABLISHED with the expected algorithms and a phase 2 SA INSTALLED with its
 * SPIs, algorithms, UDP encapsulation and counters.
 */
public final class SwanSa {
    private SwanSa() {
    }

    /**
     * One IKE (ISAKMP) SA. {@code state} is ESTABLISHED once phase 1 (and XAUTH) completed;
     * algorithms use strongSwan's names (AES_CBC + 128, HMAC_SHA1_96, PRF_HMAC_SHA1, MODP_1024).
     * {@code initiatorSpi}/{@code responderSpi} are the ISAKMP cookies in hex.
     */
    public record Ike(String name, int uniqueId, int version, String state, boolean initiator,
                      String localHost, int localPort, String localId, String remoteHost, int remotePort,
                      String remoteId, String initiatorSpi, String responderSpi, String encrAlg, int encrKeySize,
                      String integAlg, String prfAlg, String dhGroup, boolean natAny, List<Child> children) {

        /** The child SA named {@code name}, or an error listing those there are. */
        public Child child(String name) {
            for (Child c : children) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
            throw new AssertionError("no child SA " + name + " in " + children);
        }

        public boolean established() {
            return "ESTABLISHED".equals(state);
        }
    }

    /**
     * One phase 2 (CHILD) SA: {@code state} INSTALLED when in use; {@code mode} TUNNEL or
     * TRANSPORT; {@code encap} true for ESP in UDP; SPIs in hex as strongSwan prints them;
     * {@code dhGroup} empty without PFS.
     */
    public record Child(String name, int uniqueId, String state, String mode, String protocol, boolean encap,
                        String spiIn, String spiOut, String encrAlg, int encrKeySize, String integAlg,
                        String dhGroup, long bytesIn, long packetsIn, long bytesOut, long packetsOut,
                        List<String> localTs, List<String> remoteTs) {
        public boolean installed() {
            return "INSTALLED".equals(state);
        }
    }

    /** Parses {@code swanctl --list-sas --pretty}. */
    public static List<Ike> parse(String pretty) {
        List<Ike> out = new ArrayList<>();
        for (ViciSection event : ViciSection.parse(pretty)) {
            for (ViciSection s : event.sections().values()) {
                out.add(ike(s));
            }
        }
        return out;
    }

    private static Ike ike(ViciSection s) {
        List<Child> children = new ArrayList<>();
        ViciSection cs = s.sections().get("child-sas");
        if (cs != null) {
            for (ViciSection c : cs.sections().values()) {
                children.add(child(c));
            }
        }
        return new Ike(s.name(), num(s.get("uniqueid")), num(s.get("version")), s.get("state"),
                "yes".equals(s.get("initiator")), s.get("local-host"), num(s.get("local-port")), s.get("local-id"),
                s.get("remote-host"), num(s.get("remote-port")), s.get("remote-id"), s.get("initiator-spi"),
                s.get("responder-spi"), s.get("encr-alg"), num(s.get("encr-keysize")), s.get("integ-alg"),
                s.get("prf-alg"), s.get("dh-group"), "yes".equals(s.get("nat-any")), List.copyOf(children));
    }

    private static Child child(ViciSection c) {
        return new Child(c.get("name"), num(c.get("uniqueid")), c.get("state"), c.get("mode"), c.get("protocol"),
                "yes".equals(c.get("encap")), c.get("spi-in"), c.get("spi-out"), c.get("encr-alg"),
                num(c.get("encr-keysize")), c.get("integ-alg"), c.get("dh-group"), lnum(c.get("bytes-in")),
                lnum(c.get("packets-in")), lnum(c.get("bytes-out")), lnum(c.get("packets-out")),
                List.copyOf(c.list("local-ts")), List.copyOf(c.list("remote-ts")));
    }

    private static int num(String s) {
        return (int) lnum(s);
    }

    private static long lnum(String s) {
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
