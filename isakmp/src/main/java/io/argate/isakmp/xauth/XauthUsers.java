package io.argate.isakmp.xauth;

/**
 * Where an XAUTH server checks a user name and password (seed 003: "ADD USER=client1
 * PASSWORD=passclie1 LOGIN=NO"): the router's user database, which also throttles repeated
 * failures per user and per address as it does network logins, and logs each failure.
 */
@FunctionalInterface
public interface XauthUsers {
    enum Outcome {
        /** The name and password are right. */
        ACCEPTED,
        /** Wrong name or password. */
        REFUSED,
        /** Too many recent failures for this name or address: not checked at all. */
        DELAYED
    }

    record Verdict(Outcome outcome, String detail) {
        public boolean accepted() {
            return outcome == Outcome.ACCEPTED;
        }
    }

    /** @param peer the peer's address (host order), the throttle's source */
    Verdict check(String user, String password, int peer);

    /** No user database: every attempt is refused (a router always has one; tests may not). */
    XauthUsers NONE = (u, p, peer) -> new Verdict(Outcome.REFUSED, "no user database");
}
