package io.argate.shell;

import io.argate.shell.cmd.Privilege;

/**
 * Checks a login for a session (console, telnet, batch). Implemented by the user database;
 * it logs successes and failures and throttles repeated failures.
 */
public interface Authenticator {

    /** Tries a login from {@code portLabel} (e.g. {@code TELNET 1}). */
    LoginResult login(String user, String password, String portLabel);

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
