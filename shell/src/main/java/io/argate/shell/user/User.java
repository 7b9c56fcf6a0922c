package io.argate.shell.user;

import io.argate.shell.cmd.Privilege;

import java.time.Instant;

/**
 * One entry of the user database (fact sheet 1.8).
 *
 * @param name        as typed at ADD USER; logins match it case-insensitively
 * @param hash        {@link PasswordHash} form; never printed or written to a script
 * @param privilege   USER, MANAGER or SECURITY OFFICER
 * @param login       LOGIN=NO users exist only for authentication such as XAUTH
 * @param telnet      whether the user may use the TELNET command
 * @param description 0..24 characters
 * @param logins      successful logins
 * @param failures    consecutive failed logins (reset by a success)
 * @param lastLogin   time of the last successful login, or null
 */
public record User(String name, String hash, Privilege privilege, boolean login, boolean telnet, String description,
                   long logins, int failures, Instant lastLogin) {
}
