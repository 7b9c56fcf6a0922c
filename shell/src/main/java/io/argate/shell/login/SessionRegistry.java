package io.argate.shell.login;

import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The live sessions: numbering, the telnet login timeout, the idle timeout, and closing
 * everything at shutdown. {@link #tick()} runs once a second on the control plane (tests step
 * the clock); what it says to a session goes through the session's tap, never written from here.
 */
public final class SessionRegistry {
    private final Clock clock;
    private final Supplier<Duration> idleTimeout;
    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    public SessionRegistry(Clock clock, Supplier<Duration> idleTimeout) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    public int nextId() {
        return ids.incrementAndGet();
    }

    public void add(Session s) {
        sessions.put(s.id(), s);
    }

    public void remove(Session s) {
        sessions.remove(s.id());
    }

    public List<Session> list() {
        List<Session> l = new ArrayList<>(sessions.values());
        l.sort(Comparator.comparingInt(Session::id));
        return l;
    }

    /** Closes telnet sessions that did not log in in time and sessions idle too long. */
    public void tick() {
        Instant now = clock.instant();
        Duration idle = idleTimeout.get();
        for (Session s : list()) {
            if (!s.loggedIn() && s.kind() == SessionKind.TELNET
                    && Duration.between(s.opened(), now).compareTo(ShellContext.LOGIN_TIMEOUT) > 0) {
                s.closeWith(List.of("", "Login timed out after " + ShellContext.LOGIN_TIMEOUT.toSeconds() + " seconds."));
                remove(s);
            } else if (s.loggedIn() && !idle.isZero() && (s.kind() == SessionKind.TELNET || s.kind() == SessionKind.CONSOLE)
                    && Duration.between(s.lastActivity(), now).compareTo(idle) > 0) {
                String why = "Session idle for " + idle.toMinutes() + " minutes; logged off.";
                if (s.kind() == SessionKind.TELNET) {
                    s.closeWith(List.of("", why));
                    remove(s);
                } else {
                    s.notice("");
                    s.notice(why);
                    s.request(Session.Request.LOGOFF);
                    s.logoff();
                }
            }
        }
    }

    public void closeAll(String why) {
        for (Session s : list()) {
            s.io().println("");
            s.io().println(why);
            s.io().close();
        }
        sessions.clear();
    }
}
