package io.argate.shell.user;

import io.argate.shell.Authenticator;
import io.argate.store.EventLog;
import io.argate.store.Severity;

import java.time.Clock;
import java.util.Optional;

/**
 * Logins against the user database: logs every success and failure with the port, refuses
 * LOGIN=NO users, and throttles repeated failures (fact sheet 1.2: "after a set number of wrong
 * passwords a log message is written").
 */
public final class UserAuthenticator implements Authenticator {
    private final UserStore users;
    private final EventLog log;
    private final Clock clock;
    private final LoginThrottle throttle;

    public UserAuthenticator(UserStore users, EventLog log, Clock clock) {
        this.users = users;
        this.log = log;
        this.clock = clock;
        this.throttle = new LoginThrottle(clock);
    }

    @Override
    public LoginResult login(String user, String password, String portLabel) {
        long wait = throttle.waitSeconds(user, portLabel);
        if (wait > 0) {
            log.log(Severity.NOTICE, "USER", "USER", "LOCK", "Login by " + user + " on " + portLabel + " refused: locked out for " + wait + " s");
            return LoginResult.failure("too many login failures, try again in " + wait + " s");
        }
        Optional<User> u = users.find(user);
        boolean ok = u.isPresent() && u.get().login() && PasswordHash.verify(password, u.get().hash());
        if (!ok) {
            users.recordLogin(user, false, clock.instant());
            boolean locked = throttle.failed(user, portLabel);
            String why = u.isPresent() && !u.get().login() ? " (user may not log in)" : "";
            log.log(Severity.NOTICE, "USER", "USER", "LOGFAIL", "Login failed for " + user + " on " + portLabel + why);
            if (locked) {
                log.log(Severity.IMPORTANT, "USER", "USER", "LOCK", "Repeated login failures for " + user + " on " + portLabel + "; logins delayed");
            }
            return LoginResult.failure("Login incorrect");
        }
        throttle.succeeded(user, portLabel);
        users.recordLogin(user, true, clock.instant());
        log.log(Severity.INFO, "USER", "USER", "LOGIN", u.get().name() + " logged in on " + portLabel);
        return LoginResult.success(u.get().name(), u.get().privilege());
    }

    /** Checks a password without a login (security timer, XAUTH later); LOGIN=NO users pass too. */
    public boolean verify(String user, String password) {
        return users.find(user).map(u -> PasswordHash.verify(password, u.hash())).orElse(false);
    }
}
