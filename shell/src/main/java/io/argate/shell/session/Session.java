package io.argate.shell.session;

import io.argate.shell.cmd.Privilege;

import java.time.Instant;

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

    /** Port label used in logs and SHOW USER: {@code TELNET 1}. */
    public String portLabel() {
        return kind + " " + id;
    }
}
