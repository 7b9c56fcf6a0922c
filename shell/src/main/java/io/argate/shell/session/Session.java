package io.argate.shell.session;

import io.argate.shell.cmd.Privilege;
import io.argate.shell.tap.Tap;

import java.time.Instant;
import java.util.List;

/**
 * One login context: who is logged in at what privilege, over which kind of port, and the
 * per-session state the command processor keeps (the security timer).
 */
public final class Session {
    private final int id;
    private final SessionKind kind;
    private final SessionIo io;
    private String user;
    private Privilege privilege = Privilege.USER;
    private Instant lastSecurityCommand;
    private Instant lastActivity = Instant.EPOCH;
    private final Instant opened;
    private volatile Request request = Request.NONE;
    private volatile String peer = "";
    private Tap tap;
    private Thread tapDrainer;
    private volatile boolean ended;
    private volatile List<String> farewell;

    /** What LOGIN/LOGOFF asked the session's runner to do after the command. */
    public enum Request {
        NONE, LOGOFF, LOGIN
    }

    public Session(int id, SessionKind kind, SessionIo io) {
        this(id, kind, io, Instant.EPOCH);
    }

    public Session(int id, SessionKind kind, SessionIo io, Instant opened) {
        this.id = id;
        this.kind = kind;
        this.io = io;
        this.opened = opened;
        this.lastActivity = opened;
    }

    public Instant opened() {
        return opened;
    }

    public void request(Request r) {
        this.request = r;
    }

    /** Returns and clears the pending request. */
    public Request takeRequest() {
        Request r = request;
        request = Request.NONE;
        return r;
    }

    /** Remote address of a telnet session ("" otherwise). */
    public String peer() {
        return peer;
    }

    public void peer(String p) {
        this.peer = p;
    }

    public int id() {
        return id;
    }

    public SessionKind kind() {
        return kind;
    }

    public SessionIo io() {
        return io;
    }

    /** The logged-in user's name, or null when nobody is logged in. */
    public String user() {
        return user;
    }

    public boolean loggedIn() {
        return user != null;
    }

    public Privilege privilege() {
        return privilege;
    }

    public void login(String userName, Privilege level, Instant now) {
        this.user = userName;
        this.privilege = level;
        // the password was just given, so the security timer starts now
        this.lastSecurityCommand = now;
        this.lastActivity = now;
    }

    public void logoff() {
        this.user = null;
        this.privilege = Privilege.USER;
        this.lastSecurityCommand = null;
    }

    /** Time of the last security command run in this session (null: none yet). */
    public Instant lastSecurityCommand() {
        return lastSecurityCommand;
    }

    public void securityCommandRun(Instant now) {
        this.lastSecurityCommand = now;
    }

    public Instant lastActivity() {
        return lastActivity;
    }

    public void touch(Instant now) {
        this.lastActivity = now;
    }

    /**
     * This session's debug tap (created on first use, with a small thread that writes it to the
     * terminal): the data path and the control plane offer lines to it and never wait for the
     * terminal (DESIGN.md section 5).
     */
    public synchronized Tap tap() {
        if (tap == null) {
            tap = new Tap();
            Tap t = tap;
            tapDrainer = new Thread(() -> drain(t), "tap-" + portLabel().replace(' ', '-').toLowerCase(java.util.Locale.ROOT));
            tapDrainer.setDaemon(true);
            tapDrainer.start();
        }
        return tap;
    }

    /**
     * A message for this session's terminal from elsewhere (the idle timer, the router
     * shutting down): queued on the tap, never written by the caller's thread.
     */
    public void notice(String line) {
        tap().offer(line);
    }

    /**
     * Ends the session from elsewhere (login or idle timeout): the lines are written and the
     * connection closed by the session's tap thread, so the caller never waits for the terminal.
     */
    public void closeWith(List<String> lines) {
        farewell = List.copyOf(lines);
        tap();
    }

    private void drain(Tap t) {
        long reported = 0;
        try {
            while (!ended) {
                String line = t.poll(200);
                if (line == null) {
                    List<String> last = farewell;
                    if (last != null) {
                        last.forEach(io::printAsync);
                        ended = true;
                        io.close();
                    }
                    continue;
                }
                long lost = t.dropped();
                if (lost > reported) {
                    io.printAsync("(" + (lost - reported) + " debug lines dropped: the terminal fell behind)");
                    reported = lost;
                }
                io.printAsync(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException terminalGone) {
            // the terminal went away: its session ends by itself; nothing else waits on this thread
        }
    }

    /** The session is over: its tap stops being written to the terminal. */
    public void end() {
        ended = true;
        Thread d;
        synchronized (this) {
            d = tapDrainer;
        }
        if (d != null) {
            d.interrupt();
        }
    }

    public boolean ended() {
        return ended;
    }

    /** Port label used in logs and SHOW USER: {@code TELNET 1}. */
    public String portLabel() {
        return kind + " " + id;
    }
}
