package io.argate.shell.login;

import io.argate.shell.Authenticator;
import io.argate.shell.CommandProcessor;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What every session needs from the router: the command processor, logins, the system name
 * for the prompt, the clock and the idle timeout, and the registry of live sessions.
 */
public record ShellContext(CommandProcessor processor, Authenticator auth, Supplier<String> systemName, Clock clock,
                           Supplier<Duration> idleTimeout, SessionRegistry registry) {
    /** A telnet session must log in within this time (fact sheet 1.1). */
    public static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(60);
}
