package io.argate.isakmp.sa;

import io.argate.ipsec.spec.CompAlg;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.spec.IpsecProtocol;

/**
 * One protocol's SA pair as Quick Mode agreed it: the SPI each side chose for its inbound
 * direction and the KEYMAT of each direction (RFC 2409 section 5.5: the key of a direction is
 * derived with the SPI of its receiver). Encryption key bits come first, then the
 * authentication key (RFC 2409 section 5.5, RFC 2401 appendix).
 *
 * @param specNumber the SA specification the agreement came from (SHOW IPSEC SA)
 * @param compAlg    IPComp's algorithm (null for ESP and AH); its SPIs are the CPIs
 */
public record NegotiatedSa(IpsecProtocol protocol, int specNumber, EncAlg encAlg, HashAlg hashAlg, CompAlg compAlg, int inboundSpi, int outboundSpi,
                           byte[] inboundKeys, byte[] outboundKeys) {

    /** Bytes of KEYMAT this SA needs per direction. */
    public static int keyLength(IpsecProtocol p, EncAlg e, HashAlg h) {
        int enc = p == IpsecProtocol.ESP && e != null && e != EncAlg.NULL ? e.keyLength() : 0;
        return enc + (h == null ? 0 : h.keyLength());
    }
}
