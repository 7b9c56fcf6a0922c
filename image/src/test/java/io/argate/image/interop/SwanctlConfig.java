package io.argate.image.interop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strongSwan swanctl.conf from one of the harness's templates, with every parameter given a
 * default so a test only states what its scenario is about. One IKE connection {@link #IKE}
 * with one child {@link #CHILD}: {@code peer.initiate(SwanctlConfig.CHILD, SwanctlConfig.IKE)}.
 * <p>
 * Parameters (template placeholders): LOCAL_ADDRS, REMOTE_ADDRS ({@code %any} to accept any
 * peer), LOCAL_ID, REMOTE_ID ({@code %any}, an address, {@code @fqdn}, {@code user@fqdn}),
 * PSK, IKE_PROPOSALS and ESP_PROPOSALS (strongSwan syntax, comma separated, in order of
 * preference: see {@link SwanProposals}; a DH group in an ESP proposal means PFS), LOCAL_TS,
 * REMOTE_TS, ENCAP (yes forces NAT-T), DPD_DELAY (0 = off), IKE_REKEY_TIME (phase 1
 * re-authentication in IKEv1), CHILD_REKEY_TIME, CHILD_LIFE_TIME, START_ACTION (none, trap,
 * start), XAUTH_USER, XAUTH_PASSWORD (the xauth templates).
 */
public final class SwanctlConfig {
    /** The connection name in every template. */
    public static final String IKE = "ia";
    /** The child SA name in every template. */
    public static final String CHILD = "net";
    /** The pre-shared key every scenario uses unless it says otherwise. */
    public static final String DEFAULT_PSK = "ia-secret-123";

    /** The templates under {@code interop/strongswan/}. */
    public enum Kind {
        MAIN_PSK("main-psk.conf"),
        MAIN_PUBKEY("main-pubkey.conf"),
        AGGRESSIVE_PSK("aggressive-psk.conf"),
        XAUTH_PSK_CLIENT("xauth-psk-client.conf"),
        XAUTH_PSK_SERVER("xauth-psk-server.conf");

        final String file;

        Kind(String file) {
            this.file = file;
        }
    }

    private final Kind kind;
    private final Map<String, String> values = new LinkedHashMap<>();

    private SwanctlConfig(Kind kind) {
        this.kind = kind;
        values.put("IKE", IKE);
        values.put("CHILD", CHILD);
        values.put("LOCAL_ADDRS", "%any");
        values.put("REMOTE_ADDRS", "%any");
        values.put("LOCAL_ID", "%any");
        values.put("REMOTE_ID", "%any");
        values.put("PSK", DEFAULT_PSK);
        values.put("IKE_PROPOSALS", SwanProposals.AES128_SHA1_MODP1024);
        values.put("ESP_PROPOSALS", SwanProposals.AES128_SHA1_MODP1024);
        values.put("LOCAL_TS", "dynamic");
        values.put("REMOTE_TS", "dynamic");
        values.put("ENCAP", "no");
        values.put("DPD_DELAY", "0");
        values.put("IKE_REKEY_TIME", "4h");
        values.put("CHILD_REKEY_TIME", "1h");
        values.put("CHILD_LIFE_TIME", "66m");
        values.put("START_ACTION", "none");
        values.put("XAUTH_USER", "ia-user");
        values.put("XAUTH_PASSWORD", "ia-password");
    }

    public static SwanctlConfig of(Kind kind) {
        return new SwanctlConfig(kind);
    }

    /**
     * The usual gateway in a {@link Topology}: this side's WAN address as local address and ID,
     * the other side's address as it is seen from here as remote address (remote ID any), the
     * two LANs as traffic selectors. A responder that should accept any peer sets REMOTE_ADDRS
     * back to {@code %any}.
     */
    public static SwanctlConfig gateway(Kind kind, Topology.Side self, Topology.Side other) {
        return of(kind)
                .set("LOCAL_ADDRS", self.wan())
                .set("REMOTE_ADDRS", other.seenAs())
                .set("LOCAL_ID", self.wan())
                .set("LOCAL_TS", self.lanSubnet())
                .set("REMOTE_TS", other.lanSubnet());
    }

    /** Sets a template parameter (see the class comment for the names). */
    public SwanctlConfig set(String name, String value) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no swanctl template parameter " + name);
        }
        values.put(name, value);
        return this;
    }

    public SwanctlConfig proposals(String ike, String esp) {
        return set("IKE_PROPOSALS", ike).set("ESP_PROPOSALS", esp);
    }

    public SwanctlConfig ids(String local, String remote) {
        return set("LOCAL_ID", local).set("REMOTE_ID", remote);
    }

    public SwanctlConfig psk(String psk) {
        return set("PSK", psk);
    }

    /** Forces NAT-T (UDP 4500, ESP in UDP) even without a NAT. */
    public SwanctlConfig natTraversal(boolean forced) {
        return set("ENCAP", forced ? "yes" : "no");
    }

    public String get(String name) {
        return values.get(name);
    }

    public Kind kind() {
        return kind;
    }

    /** The swanctl.conf text. */
    public String render() {
        return Template.render("strongswan/" + kind.file, values);
    }
}
