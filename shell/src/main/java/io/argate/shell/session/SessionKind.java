package io.argate.shell.session;

/** Where a session comes from; shown in SHOW USER and log lines ("port TELNET 1"). */
public enum SessionKind {
    CONSOLE, TELNET, BATCH, SCRIPT
}
