package io.argate.ipsec.spec;

/**
 * One SA specification (CREATE IPSEC SASPECIFICATION, fact sheet 2.3): the protocol, mode and
 * algorithms of one SA, and for manual keying its ENCO key numbers and SPIs. Immutable; SET
 * makes a changed copy that is validated as a whole before it replaces the old one.
 *
 * @param number        0..255
 * @param keyManagement ISAKMP or MANUAL
 * @param protocol      ESP, AH or COMP
 * @param mode          TUNNEL (default) or TRANSPORT
 * @param encAlg        ESP only; NULL means authentication only
 * @param hashAlg       ESP (default NULL) and AH (default SHA)
 * @param compAlg       COMP only
 * @param encKey        ENCO key number for manual ESP encryption, -1 when none
 * @param hashKey       ENCO key number for the manual ICV, -1 when none
 * @param inSpi         manual inbound SPI (256..4294967295 as int bits), 0 when none
 * @param outSpi        manual outbound SPI, 0 when none
 * @param antiReplay    ANTIREPLAYENABLED (default FALSE)
 * @param replayWindow  REPLAYWINDOWSIZE 32..256 (default 32)
 */
public record SaSpecification(int number, KeyManagement keyManagement, IpsecProtocol protocol, SaMode mode,
                              EncAlg encAlg, HashAlg hashAlg, CompAlg compAlg, int encKey, int hashKey,
                              long inSpi, long outSpi, boolean antiReplay, int replayWindow) {

    /** Defaults of a new specification of this protocol (fact sheet 2.3). */
    public static SaSpecification defaults(int number, KeyManagement km, IpsecProtocol p) {
        return new SaSpecification(number, km, p, SaMode.TUNNEL,
                p == IpsecProtocol.ESP ? EncAlg.DES : null,
                p == IpsecProtocol.ESP ? HashAlg.NULL : p == IpsecProtocol.AH ? HashAlg.SHA : null,
                p == IpsecProtocol.COMP ? CompAlg.LZS : null,
                -1, -1, 0, 0, false, 32);
    }

    public SaSpecification withMode(SaMode m) {
        return new SaSpecification(number, keyManagement, protocol, m, encAlg, hashAlg, compAlg, encKey, hashKey, inSpi, outSpi, antiReplay, replayWindow);
    }

    public SaSpecification withEncAlg(EncAlg a) {
        return new SaSpecification(number, keyManagement, protocol, mode, a, hashAlg, compAlg, encKey, hashKey, inSpi, outSpi, antiReplay, replayWindow);
    }

    public SaSpecification withHashAlg(HashAlg a) {
        return new SaSpecification(number, keyManagement, protocol, mode, encAlg, a, compAlg, encKey, hashKey, inSpi, outSpi, antiReplay, replayWindow);
    }

    public SaSpecification withCompAlg(CompAlg a) {
        return new SaSpecification(number, keyManagement, protocol, mode, encAlg, hashAlg, a, encKey, hashKey, inSpi, outSpi, antiReplay, replayWindow);
    }

    public SaSpecification withKeys(int enc, int hash) {
        return new SaSpecification(number, keyManagement, protocol, mode, encAlg, hashAlg, compAlg, enc, hash, inSpi, outSpi, antiReplay, replayWindow);
    }

    public SaSpecification withSpis(long in, long out) {
        return new SaSpecification(number, keyManagement, protocol, mode, encAlg, hashAlg, compAlg, encKey, hashKey, in, out, antiReplay, replayWindow);
    }

    public SaSpecification withReplay(boolean enabled, int window) {
        return new SaSpecification(number, keyManagement, protocol, mode, encAlg, hashAlg, compAlg, encKey, hashKey, inSpi, outSpi, enabled, window);
    }
}
