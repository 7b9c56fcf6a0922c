package io.argate.isakmp.exchange;

import io.argate.isakmp.crypto.Phase1Keys;
import io.argate.isakmp.crypto.PrfAlgorithm;
import io.argate.isakmp.wire.Message;
import io.argate.isakmp.wire.NatDPayload;

import java.util.Arrays;
import java.util.List;

/**
 * The NAT-D task (RFC 3947 section 3.2): HASH = hash(CKY-I | CKY-R | IP | Port) with the
 * negotiated hash; the first payload describes the receiver's address as the sender sees it,
 * the others the sender's own addresses. A first hash that differs from our own address means
 * we are behind a NAT; no other hash matching the peer's address as we see it means the peer is.
 */
final class NatDetection {
    private NatDetection() {
    }

    static byte[] hash(PrfAlgorithm prf, long ckyI, long ckyR, int address, int port) {
        return prf.hash(Phase1Keys.cookie(ckyI), Phase1Keys.cookie(ckyR), Phase1Keys.int32(address), new byte[]{(byte) (port >>> 8), (byte) port});
    }

    static List<NatDPayload> build(IkeSa sa) {
        int type = sa.nat.natDType();
        return List.of(new NatDPayload(type, hash(sa.prf, sa.icookie, sa.rcookie, sa.peer, sa.peerPort)),
                new NatDPayload(type, hash(sa.prf, sa.icookie, sa.rcookie, sa.local, sa.localPort)));
    }

    /** Sets the SA's NAT flags from the peer's NAT-D payloads; false when it sent none. */
    static boolean process(IkeSa sa, Message m) {
        List<NatDPayload> ds = m.all(NatDPayload.class);
        if (ds.size() < 2) {
            return false;
        }
        byte[] me = hash(sa.prf, sa.icookie, sa.rcookie, sa.local, sa.localPort);
        byte[] them = hash(sa.prf, sa.icookie, sa.rcookie, sa.peer, sa.peerPort);
        sa.natLocal = !Arrays.equals(ds.get(0).data(), me);
        boolean seen = false;
        for (int i = 1; i < ds.size(); i++) {
            seen |= Arrays.equals(ds.get(i).data(), them);
        }
        sa.natRemote = !seen;
        return true;
    }
}
