package io.argate.isakmp.config;

/**
 * The liveness checks of one ISAKMP policy: RFC 3706 dead peer detection as the later AR
 * releases name it (fact sheet 2.5 [C:S19]: DPDMODE={BOTH|NONE|RECEIVE}, DPDIDLETIMEOUT=1..86400)
 * and the AR410-era heartbeat (HEARTBEATMODE={BOTH|NONE|RECEIVE|SEND}, default NONE), which
 * argate speaks only with other argate routers (see liveness/HeartbeatMessage).
 *
 * @param dpdIdleTimeout seconds without inbound traffic from the peer before DPDMODE=BOTH asks R-U-THERE
 */
public record Liveness(DpdMode dpd, int dpdIdleTimeout, HeartbeatMode heartbeat) {
    /**
     * NONE: no DPD vendor ID, never asks (a stray R-U-THERE is still answered: an answer costs
     * nothing and keeps a confused peer from tearing down); RECEIVE: announces DPD and answers;
     * BOTH: also asks when the tunnel is idle.
     */
    public enum DpdMode {
        BOTH, RECEIVE, NONE;

        public boolean announces() {
            return this != NONE;
        }
    }

    public enum HeartbeatMode {
        BOTH, SEND, RECEIVE, NONE;

        public boolean sends() {
            return this == BOTH || this == SEND;
        }

        public boolean receives() {
            return this == BOTH || this == RECEIVE;
        }
    }

    /** DPDIDLETIMEOUT when not given [I]: long enough that a quiet but live tunnel is asked rarely. */
    public static final int DEFAULT_IDLE_TIMEOUT = 30;

    /**
     * The defaults [I]: DPDMODE=RECEIVE (announce and answer, as argate always did, without probing
     * peers that never asked for it), HEARTBEATMODE=NONE (fact sheet 2.5).
     */
    public static final Liveness DEFAULTS = new Liveness(DpdMode.RECEIVE, DEFAULT_IDLE_TIMEOUT, HeartbeatMode.NONE);

    public Liveness withDpd(DpdMode m) {
        return new Liveness(m, dpdIdleTimeout, heartbeat);
    }

    public Liveness withIdleTimeout(int seconds) {
        return new Liveness(dpd, seconds, heartbeat);
    }

    public Liveness withHeartbeat(HeartbeatMode m) {
        return new Liveness(dpd, dpdIdleTimeout, m);
    }
}
