package io.argate.shell;

import io.argate.shell.cmd.Privilege;

/**
 * Checks a login for a session (console, telnet, batch). Implemented by the user database;
 * it logs successes and failures and throttles repeated failures from the network.
 */
public interface Authenticator {

    /** Tries a login arriving over {@code origin}. */
    LoginResult login(String user, String password, Origin origin);

    /**
     * Where a login comes from: the port label ({@code TELNET 1}, {@code CONSOLE 0}) and, for a
     * network session, the remote address. Local logins (console, batch) have no address.
     */
    record Origin(String port, String address) {
        public static Origin local(String port) {
            return new Origin(port, "");
        }

        public static Origin network(String port, String address) {
            return new Origin(port, address == null ? "" : address);
        }

        /** True for a login over the network (telnet), the only kind that is throttled. */
        public boolean network() {
            return !address.isEmpty();
        }

        /** {@code TELNET 1 from 192.0.2.9}, or the port alone for a local login. */
        @Override
        public String toString() {
            return network() ? port + " from " + address : port;
        }
    }

    /** The outcome of a login attempt. */
    record LoginResult(boolean ok, String user, Privilege privilege, String reason) {
        public static LoginResult success(String user, Privilege privilege) {
            return new LoginResult(true, user, privilege, null);
        }

        public static LoginResult failure(String reason) {
            return new LoginResult(false, null, null, reason);
        }
    }
}
