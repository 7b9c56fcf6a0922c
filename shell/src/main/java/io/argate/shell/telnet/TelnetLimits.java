package io.argate.shell.telnet;

import java.time.Duration;

/**
 * Every bound on what a telnet client may make the router hold, in one place (issue 11 item 1:
 * an unauthenticated client must not be able to exhaust the heap or the threads).
 *
 * @param connections  telnet connections open at once, logged in or not
 * @param waitingLogin connections that have not logged in yet; each holds a session thread and
 *                     JLine's input pump thread, so this bounds what strangers cost
 * @param negotiations option commands (DO/DONT/WILL/WONT) one connection may send; a real
 *                     client sends a handful, so more is a flood and the connection is closed
 * @param writeLow     unread output below which a stalled connection is writable again
 * @param writeHigh    unread output (bytes queued for a client that does not read) above which
 *                     writers wait (the session's own thread) or drop (everyone else); also the
 *                     connection's kernel send buffer (SO_SNDBUF, which Linux doubles), so all
 *                     the router holds for a client that stopped reading is a few times this
 * @param outputStall  how long a session may wait for its client to read before the
 *                     connection is closed
 */
public record TelnetLimits(int connections, int waitingLogin, int negotiations, int writeLow, int writeHigh,
                           Duration outputStall) {
    /** The router's limits. */
    public static final TelnetLimits DEFAULT = new TelnetLimits(32, 8, 256, 16 * 1024, 64 * 1024, Duration.ofSeconds(30));

    public TelnetLimits {
        if (connections < 1 || waitingLogin < 1 || waitingLogin > connections || negotiations < 8
                || writeLow < 1 || writeHigh < writeLow || outputStall.isNegative()) {
            throw new IllegalArgumentException("inconsistent telnet limits");
        }
    }

    /** Bytes of unread input kept per connection ({@link InputQueue}). */
    public static int inputBytes() {
        return InputQueue.CAPACITY;
    }

    /** Most bytes one write to a connection carries ({@link ConnectionOutput}). */
    public static int outputChunk() {
        return ConnectionOutput.CHUNK;
    }
}
