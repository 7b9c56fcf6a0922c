package io.argate.isakmp.exchange;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ISAKMP SA has done between phase 1 and phase 2 (the reference's "phase 1.5"): XAUTH's
 * progress and the user it authenticated, Mode Config's and the address it assigned, and the
 * Transaction exchanges in flight. Phase 2 waits until {@link #ready()}.
 */
final class RemoteAccessState {
    /** Where one step stands. */
    enum Step {
        NOT_NEEDED, PENDING, DONE, FAILED
    }

    final Map<Integer, TransactionExchange> transactions = new HashMap<>();
    Step xauth = Step.NOT_NEEDED;
    Step modeCfg = Step.NOT_NEEDED;
    /** The user XAUTH authenticated (server) or we authenticated as (client). */
    String user;
    /** Server: the address leased to the peer; client: the address the server gave us; 0 when none. */
    int address;
    int netmask;
    List<Integer> dns = List.of();
    List<Integer> wins = List.of();
    /** The peer announced the XAUTH vendor ID. */
    boolean peerXauthVid;
    io.argate.shell.loop.ControlLoop.Timer waitTimer;

    /** Phase 2 may start: XAUTH passed or was not asked for, and Mode Config is not still running. */
    boolean ready() {
        return (xauth == Step.NOT_NEEDED || xauth == Step.DONE) && modeCfg != Step.PENDING && modeCfg != Step.FAILED;
    }

    /** The peer may start phase 2: XAUTH, when asked for, passed. */
    boolean phase2Allowed() {
        return xauth == Step.NOT_NEEDED || xauth == Step.DONE;
    }
}
