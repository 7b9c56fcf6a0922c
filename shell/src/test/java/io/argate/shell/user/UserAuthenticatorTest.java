package io.argate.shell.user;

import io.argate.shell.Authenticator.LoginResult;
import io.argate.shell.Authenticator.Origin;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.testing.StepClock;
import io.argate.store.EventLog;
import io.argate.store.LogEntry;
import io.argate.store.LogFilter;
import io.argate.store.Nvs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 11 items 2 and 4: login throttling that never locks the console, and what a failure reveals. */
class UserAuthenticatorTest {
    @TempDir
    Path data;
    private Nvs nvs;
    private EventLog log;
    private UserStore users;
    private UserAuthenticator auth;
    private final StepClock clock = new StepClock();

    @BeforeEach
    void open() {
        nvs = Nvs.open(data);
        log = new EventLog(nvs, clock);
        users = new UserStore(nvs, new PasswordHash(1000));
        auth = new UserAuthenticator(users, log, clock);
    }

    @AfterEach
    void close() {
        nvs.close();
    }

    private static Origin telnet(String address) {
        return Origin.network("TELNET 1", address);
    }

    private String logText() {
        return log.query(LogFilter.all()).stream().map(LogEntry::message).collect(Collectors.joining("\n"));
    }

    @Test
    void theConsoleIsNeverLockedOut() {
        for (int i = 0; i < 40; i++) {
            assertFalse(auth.login("manager", "guess" + i, telnet("192.0.2." + (i % 7 + 1))).ok());
        }
        LoginResult console = auth.login("manager", "friend", Origin.local("CONSOLE 0"));
        assertTrue(console.ok(), "the console logs in whatever the network did: " + console.reason());
    }

    @Test
    void aSourceAddressIsThrottledAloneAndItsDelayEnds() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertEquals("Login incorrect", auth.login("manager", "wrong", telnet("192.0.2.7")).reason());
        }
        LoginResult refused = auth.login("manager", "friend", telnet("192.0.2.7"));
        assertFalse(refused.ok(), "the guessing address waits even with the right password");
        assertEquals("too many login failures, try again in 5 s", refused.reason());
        assertTrue(auth.login("manager", "friend", telnet("198.51.100.1")).ok(), "another address is not held up by this one");
        clock.advanceSeconds(5);
        assertTrue(auth.login("manager", "friend", telnet("192.0.2.7")).ok(), "the delay ends");
    }

    private static long waitOf(LoginResult r) {
        return Long.parseLong(r.reason().replaceAll("\\D", ""));
    }

    @Test
    void aUserNameGuessedFromManyAddressesWaitsBrieflyOnly() {
        // two wrong passwords from each of many addresses, as fast as the router lets them in:
        // no address is throttled, the name is
        boolean slowed = false;
        for (int i = 0; i < 400; i++) {
            LoginResult r = auth.login("manager", "wrong", telnet("10.0." + (i / 500) + "." + (i / 2 % 250 + 1)));
            if (r.reason().startsWith("too many")) {
                slowed = true;
                assertTrue(waitOf(r) <= LoginThrottle.USER_MAX_DELAY.toSeconds(),
                        "a user name is never held for long, so nobody can keep the manager out: " + r.reason());
                clock.advanceSeconds(waitOf(r));
            }
        }
        assertTrue(slowed, "guessing one name from many addresses is slowed");
        LoginResult r = auth.login("manager", "friend", telnet("10.1.0.1"));
        if (!r.ok()) {
            assertTrue(waitOf(r) <= LoginThrottle.USER_MAX_DELAY.toSeconds(), r.reason());
            clock.advanceSeconds(waitOf(r));
            assertTrue(auth.login("manager", "friend", telnet("10.1.0.1")).ok());
        }
    }

    @Test
    void anUnknownUserCostsTheSameHashWorkAndGetsTheSameAnswer() {
        users.add(new User("xauth", users.hash("secret"), Privilege.USER, false, false, "", 0, 0, null));
        long before = PasswordHash.derivations();
        LoginResult wrong = auth.login("manager", "wrong", Origin.local("CONSOLE 0"));
        long known = PasswordHash.derivations() - before;
        LoginResult unknown = auth.login("nobody", "wrong", Origin.local("CONSOLE 0"));
        long unknownCost = PasswordHash.derivations() - before - known;
        LoginResult noLogin = auth.login("xauth", "secret", Origin.local("CONSOLE 0"));
        long noLoginCost = PasswordHash.derivations() - before - known - unknownCost;
        assertEquals(1, known);
        assertEquals(known, unknownCost, "an unknown name is hashed like a known one, so timing does not tell them apart");
        assertEquals(known, noLoginCost);
        assertEquals(List.of("Login incorrect", "Login incorrect", "Login incorrect"),
                List.of(wrong.reason(), unknown.reason(), noLogin.reason()));
        assertFalse(auth.verify("nobody", "x"));
        assertEquals(known, PasswordHash.derivations() - before - known - unknownCost - noLoginCost, "verify too");
    }

    @Test
    void aPasswordTypedAtLoginIsNeverLogged() {
        auth.login("Tr0ub4dor&3", "manager", telnet("192.0.2.9"));
        auth.login("manager", "wrong", telnet("192.0.2.9"));
        String text = logText();
        assertFalse(text.contains("Tr0ub4dor"), "a name no user has may be a password typed one prompt early: " + text);
        assertTrue(text.contains("Login failed for an unknown user on TELNET 1 from 192.0.2.9"), text);
        assertTrue(text.contains("Login failed for manager on TELNET 1 from 192.0.2.9"), text);
    }

    /** Issue 13: XAUTH checks LOGIN=NO users, throttles per address and per user as network logins, and logs the user. */
    @Test
    void xauthTakesLoginNoUsersAndIsThrottledLikeANetworkLogin() {
        users.add(new User("client1", users.hash("passclie1"), Privilege.USER, false, false, "", 0, 0, null));
        Origin peer = Origin.network("ISAKMP", "198.51.100.7");
        assertEquals(UserAuthenticator.XauthResult.Outcome.ACCEPTED, auth.xauth("client1", "passclie1", peer).outcome());
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertEquals(UserAuthenticator.XauthResult.Outcome.REFUSED, auth.xauth("client1", "guess" + i, peer).outcome());
        }
        assertTrue(logText().contains("XAUTH failed for client1 on ISAKMP from 198.51.100.7"), logText());
        // the address now waits, even with the right password: nothing is checked meanwhile
        assertEquals(UserAuthenticator.XauthResult.Outcome.DELAYED, auth.xauth("client1", "passclie1", peer).outcome());
        // one name guessed from many addresses is slowed too, for at most USER_MAX_DELAY
        for (int i = 0; i < LoginThrottle.USER_FREE_FAILURES; i++) {
            auth.xauth("client1", "guess", Origin.network("ISAKMP", "203.0.113." + (i + 1)));
        }
        assertEquals(UserAuthenticator.XauthResult.Outcome.DELAYED, auth.xauth("client1", "passclie1", Origin.network("ISAKMP", "192.0.2.200")).outcome());
        clock.advance(LoginThrottle.MAX_DELAY.plusSeconds(1));
        assertEquals(UserAuthenticator.XauthResult.Outcome.ACCEPTED, auth.xauth("client1", "passclie1", peer).outcome());
    }
}
