package io.argate.shell.user;

import io.argate.shell.Authenticator;
import io.argate.store.EventLog;
import io.argate.store.Severity;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * Logins against the user database: logs every success and failure with the port, refuses
 * LOGIN=NO users, and throttles repeated failures from the network (fact sheet 1.2: "after a
 * set number of wrong passwords a log message is written"); see {@link LoginThrottle}.
 *
 * <p>A failure reveals nothing about the name: the answer is the same, and an unknown name (or
 * a LOGIN=NO user) costs the same password-hash work as a wrong password, checked against a
 * decoy hash made with the store's own iteration count. A name no user has is not logged, since
 * it is often a password typed one prompt too early.
 */
public final class UserAuthenticator implements Authenticator {
    static final String INCORRECT = "Login incorrect";

    private final UserStore users;
    private final EventLog log;
    private final Clock clock;
    private final LoginThrottle throttle;
    private final String decoyHash;

    public UserAuthenticator(UserStore users, EventLog log, Clock clock) {
        this.users = users;
        this.log = log;
        this.clock = clock;
        this.throttle = new LoginThrottle(clock);
        byte[] noPassword = new byte[18];
        new SecureRandom().nextBytes(noPassword);
        this.decoyHash = users.hash(Base64.getEncoder().encodeToString(noPassword));
    }

    @Override
    public LoginResult login(String user, String password, Origin origin) {
        if (origin.network()) {
            long wait = throttle.waitSeconds(user, origin.address());
            if (wait > 0) {
                // the same text for every refusal from one address, so a flood is summarised (EventLog)
                log.log(Severity.NOTICE, "USER", "USER", "LOCK", "Login from " + origin.address() + " refused: logins from it are delayed");
                return LoginResult.failure("too many login failures, try again in " + wait + " s");
            }
        }
        Optional<User> u = users.find(user);
        boolean passwordOk = PasswordHash.verify(password, u.map(User::hash).orElse(decoyHash));
        if (!passwordOk || !u.get().login()) {
            failed(user, u, origin);
            return LoginResult.failure(INCORRECT);
        }
        if (origin.network()) {
            throttle.succeeded(user, origin.address());
        }
        users.recordLogin(user, true, clock.instant());
        log.log(Severity.INFO, "USER", "USER", "LOGIN", u.get().name() + " logged in on " + origin);
        return LoginResult.success(u.get().name(), u.get().privilege());
    }

    private void failed(String user, Optional<User> u, Origin origin) {
        u.ifPresent(known -> users.recordLogin(known.name(), false, clock.instant()));
        String who = u.map(User::name).orElse("an unknown user");
        String why = u.isPresent() && !u.get().login() ? " (user may not log in)" : "";
        log.log(Severity.NOTICE, "USER", "USER", "LOGFAIL", "Login failed for " + who + " on " + origin + why);
        if (origin.network() && throttle.failed(user, origin.address())) {
            log.log(Severity.IMPORTANT, "USER", "USER", "LOCK", "Repeated login failures from " + origin.address() + "; logins from it delayed");
        }
    }

    /**
     * An XAUTH check for the ISAKMP module (seed 003: users for XAUTH are added with LOGIN=NO):
     * the password is checked as a login's is, LOGIN=NO users pass, and repeated failures are
     * throttled per user and per peer address as network logins are, and logged the same way.
     */
    public XauthResult xauth(String user, String password, Origin origin) {
        long wait = throttle.waitSeconds(user, origin.address());
        if (wait > 0) {
            log.log(Severity.NOTICE, "USER", "USER", "LOCK", "XAUTH for " + user + " from " + origin.address() + " refused: attempts are delayed");
            return new XauthResult(XauthResult.Outcome.DELAYED, "too many failures for this user or address, try again in " + wait + " s");
        }
        Optional<User> u = users.find(user);
        boolean ok = PasswordHash.verify(password, u.map(User::hash).orElse(decoyHash)) && u.isPresent();
        if (!ok) {
            u.ifPresent(known -> users.recordLogin(known.name(), false, clock.instant()));
            log.log(Severity.NOTICE, "USER", "USER", "LOGFAIL", "XAUTH failed for " + u.map(User::name).orElse("an unknown user")
                    + " on " + origin);
            if (throttle.failed(user, origin.address())) {
                log.log(Severity.IMPORTANT, "USER", "USER", "LOCK", "Repeated XAUTH failures for " + user + " or from " + origin.address()
                        + "; attempts delayed");
            }
            return new XauthResult(XauthResult.Outcome.REFUSED, "wrong user name or password");
        }
        throttle.succeeded(user, origin.address());
        users.recordLogin(u.get().name(), true, clock.instant());
        return new XauthResult(XauthResult.Outcome.ACCEPTED, null);
    }

    /** An XAUTH check's outcome: DELAYED means the throttle refused it before any password check. */
    public record XauthResult(Outcome outcome, String reason) {
        public enum Outcome {
            ACCEPTED, REFUSED, DELAYED
        }
    }

    /** Checks a password without a login (security timer); LOGIN=NO users pass too. */
    public boolean verify(String user, String password) {
        Optional<User> u = users.find(user);
        return PasswordHash.verify(password, u.map(User::hash).orElse(decoyHash)) && u.isPresent();
    }
}
