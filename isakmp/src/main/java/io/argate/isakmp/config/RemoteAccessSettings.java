package io.argate.isakmp.config;

/**
 * The remote-access part of an ISAKMP policy: XAUTH (draft-beaulieu-ike-xauth-02; fact sheet
 * 2.5: XAUTH, XAUTHNAME, XAUTHPASSWORD, XAUTHTYPE, HYBRIDXAUTH; seed 003 "XAUTH") and Mode Config
 * (draft-dukes-ike-mode-cfg-02, an argate extension beyond the AR410: POOL and MODECFG).
 *
 * @param xauthName     XAUTHNAME, what a CLIENT answers as its user name; null when unset
 * @param xauthPassword XAUTHPASSWORD, case-sensitive; null when unset
 * @param hybridXauth   HYBRIDXAUTH, stored (hybrid authentication needs certificates, which this release does not have)
 * @param pool          POOL, the address pool a Mode Config server assigns from; null when none
 */
public record RemoteAccessSettings(Xauth xauth, String xauthName, String xauthPassword, boolean hybridXauth, String pool, ModeCfg modeCfg) {

    /** XAUTH={CLIENT|SERVER|NONE}: SERVER asks the peer for a user name and password after phase 1. */
    public enum Xauth {
        NONE, SERVER, CLIENT
    }

    /**
     * MODECFG: NONE; PULL (a server that answers the client's REQUEST from POOL), PUSH (a server
     * that SETs the address unasked), CLIENT (we ask for an address and take what is pushed).
     */
    public enum ModeCfg {
        NONE, PULL, PUSH, CLIENT
    }

    public static final RemoteAccessSettings NONE = new RemoteAccessSettings(Xauth.NONE, null, null, false, null, ModeCfg.NONE);

    public boolean xauthServer() {
        return xauth == Xauth.SERVER;
    }

    public boolean xauthClient() {
        return xauth == Xauth.CLIENT;
    }

    /** A Mode Config server role: PULL or PUSH with a pool. */
    public boolean modeCfgServer() {
        return (modeCfg == ModeCfg.PULL || modeCfg == ModeCfg.PUSH) && pool != null;
    }

    public RemoteAccessSettings withXauth(Xauth x) {
        return new RemoteAccessSettings(x, xauthName, xauthPassword, hybridXauth, pool, modeCfg);
    }

    public RemoteAccessSettings withXauthName(String n) {
        return new RemoteAccessSettings(xauth, n, xauthPassword, hybridXauth, pool, modeCfg);
    }

    public RemoteAccessSettings withXauthPassword(String p) {
        return new RemoteAccessSettings(xauth, xauthName, p, hybridXauth, pool, modeCfg);
    }

    public RemoteAccessSettings withHybridXauth(boolean h) {
        return new RemoteAccessSettings(xauth, xauthName, xauthPassword, h, pool, modeCfg);
    }

    public RemoteAccessSettings withPool(String p) {
        return new RemoteAccessSettings(xauth, xauthName, xauthPassword, hybridXauth, p, modeCfg);
    }

    public RemoteAccessSettings withModeCfg(ModeCfg m) {
        return new RemoteAccessSettings(xauth, xauthName, xauthPassword, hybridXauth, pool, m);
    }
}
