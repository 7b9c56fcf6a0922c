package io.argate.isakmp.exchange;

import io.argate.isakmp.IsakmpDebug;

import java.util.HexFormat;

/**
 * ENABLE ISAKMP DEBUG=TRACEMORE: once a phase 1 SA has its keys, one line with its cookies and
 * its encryption key (the first cipher-key-length bytes of SKEYID_e or its expansion, RFC 2409
 * appendix B), so that a capture of the negotiation can be decrypted afterwards, e.g. by
 * tshark's IKEv1 decryption table (initiator cookie, encryption key). The line says that it
 * carries secret material; nothing else prints keys.
 */
final class PhaseOneKeyLog {
    private PhaseOneKeyLog() {
    }

    static void write(IsakmpDebug debug, IkeSa sa) {
        if (!debug.on(IsakmpDebug.Output.KEYS) || sa.keys == null) {
            return;
        }
        HexFormat hex = HexFormat.of();
        debug.line("ISAKMP Exchange " + sa.exchangeId + " keys (DEBUG=TRACEMORE, secret): Cookie's: "
                + String.format("%016x:%016x", sa.icookie, sa.rcookie)
                + " EncKey: " + hex.formatHex(sa.keys.encryptionKey())
                + " SKEYID_d: " + hex.formatHex(sa.keys.skeyidD())
                + " SKEYID_a: " + hex.formatHex(sa.keys.skeyidA()));
    }
}
