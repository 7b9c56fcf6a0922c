package io.argate.shell;

import java.time.Duration;

/**
 * What the command processor needs to know about security mode (fact sheet 1.2): whether it is
 * on, how long the security timer runs, and how to check a password when the timer expired.
 */
public interface SecurityContext {

    boolean securityMode();

    /** Security-command inactivity after which the password is asked again (default 60 s). */
    Duration securityTimeout();

    /** True when {@code password} is the password of {@code user}. */
    boolean checkPassword(String user, String password);
}
