package io.argate.shell.telnet;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the telnet server did with its connections: how many are open and waiting for a login,
 * and every connection refused or closed for going past a {@link TelnetLimits} bound. Shown by
 * SHOW TELNET.
 */
public final class TelnetCounters {
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger waitingLogin = new AtomicInteger();
    final LongAdder accepted = new LongAdder();
    final LongAdder refusedFull = new LongAdder();
    final LongAdder closedNegotiation = new LongAdder();
    final LongAdder closedInput = new LongAdder();
    final LongAdder closedOutput = new LongAdder();
    final LongAdder optionReplies = new LongAdder();
    final LongAdder inputDropped = new LongAdder();
    final LongAdder outputDropped = new LongAdder();
    final LongAdder sessionFailures = new LongAdder();
    private volatile InetSocketAddress listening;
    private volatile TelnetLimits limits = TelnetLimits.DEFAULT;

    void started(InetSocketAddress address, TelnetLimits l) {
        this.listening = address;
        this.limits = l;
    }

    void stopped() {
        this.listening = null;
    }

    public int open() {
        return open.get();
    }

    public int waitingLogin() {
        return waitingLogin.get();
    }

    public long accepted() {
        return accepted.sum();
    }

    /** Connections refused because the server was full (all, or those not logged in). */
    public long refusedFull() {
        return refusedFull.sum();
    }

    /** Connections closed for sending more option negotiation than any client needs. */
    public long closedNegotiation() {
        return closedNegotiation.sum();
    }

    /** Connections closed for sending more input, before login, than the input buffer holds. */
    public long closedInput() {
        return closedInput.sum();
    }

    /** Connections closed because their client stopped reading output. */
    public long closedOutput() {
        return closedOutput.sum();
    }

    /** Option replies sent (each option is answered at most once per connection). */
    public long optionReplies() {
        return optionReplies.sum();
    }

    /** Input bytes dropped from logged-in sessions whose input buffer was full. */
    public long inputDropped() {
        return inputDropped.sum();
    }

    /** Output bytes dropped because the client was not reading (messages from other threads). */
    public long outputDropped() {
        return outputDropped.sum();
    }

    /** Sessions that ended with an unexpected error (contained to their own thread). */
    public long sessionFailures() {
        return sessionFailures.sum();
    }

    /** SHOW TELNET's lines. */
    public List<String> lines() {
        InetSocketAddress a = listening;
        TelnetLimits l = limits;
        return List.of(
                "Telnet Server",
                "--------------------------------------------------------------------------------",
                "Status ............................ " + (a == null ? "Disabled" : "Enabled"),
                "Listen address .................... " + (a == null ? "-" : a.getAddress().getHostAddress() + ":" + a.getPort()),
                "Connections open .................. " + open() + " (limit " + l.connections() + ")",
                "Waiting for login ................. " + waitingLogin() + " (limit " + l.waitingLogin() + ")",
                "Connections accepted .............. " + accepted(),
                "Refused (server full) ............. " + refusedFull(),
                "Closed (negotiation flood) ........ " + closedNegotiation(),
                "Closed (input overflow) ........... " + closedInput(),
                "Closed (output not read) .......... " + closedOutput(),
                "Input bytes dropped ............... " + inputDropped(),
                "Output bytes dropped .............. " + outputDropped(),
                "Session failures .................. " + sessionFailures());
    }
}
