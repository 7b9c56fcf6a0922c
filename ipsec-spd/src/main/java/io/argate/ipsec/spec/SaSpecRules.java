package io.argate.ipsec.spec;

import java.util.Optional;

/**
 * The consistency rules of an SA specification, checked as a whole after CREATE or SET so a
 * refused command changes nothing. Each message names the parameter and what would fix it.
 */
public final class SaSpecRules {
    private SaSpecRules() {
    }

    /** The first rule the specification breaks, or empty when it is valid. */
    public static Optional<String> check(SaSpecification s, EncoKeys keys) {
        String id = "SA specification " + s.number() + ": ";
        switch (s.protocol()) {
            case ESP -> {
                if (s.encAlg() == EncAlg.NULL && s.hashAlg() == HashAlg.NULL) {
                    return Optional.of(id + "ENCALG and HASHALG cannot both be NULL");
                }
                if (s.compAlg() != null) {
                    return Optional.of(id + "COMPALG is only for PROTOCOL=COMP");
                }
                if (s.encAlg().aead() && s.hashAlg() != HashAlg.NULL) {
                    return Optional.of(id + "AES-GCM authenticates by itself; use HASHALG=NULL with ENCALG=" + s.encAlg().keyword());
                }
            }
            case AH -> {
                if (s.encAlg() != null) {
                    return Optional.of(id + "AH does not encrypt; ENCALG is only for PROTOCOL=ESP");
                }
                if (s.hashAlg() == HashAlg.NULL) {
                    return Optional.of(id + "AH needs a HASHALG other than NULL");
                }
                if (s.compAlg() != null) {
                    return Optional.of(id + "COMPALG is only for PROTOCOL=COMP");
                }
            }
            case COMP -> {
                if (s.encAlg() != null || s.hashAlg() != null) {
                    return Optional.of(id + "IPComp only compresses; ENCALG and HASHALG are for ESP and AH");
                }
                if (s.antiReplay()) {
                    return Optional.of(id + "IPComp has no sequence numbers; ANTIREPLAYENABLED is for ESP and AH");
                }
            }
        }
        if (s.replayWindow() < 32 || s.replayWindow() > 256 || Integer.bitCount(s.replayWindow()) != 1) {
            return Optional.of(id + "REPLAYWINDOWSIZE must be 32, 64, 128 or 256");
        }
        if (s.keyManagement() == KeyManagement.ISAKMP) {
            if (s.encKey() >= 0 || s.hashKey() >= 0 || s.inSpi() != 0 || s.outSpi() != 0) {
                return Optional.of(id + "ENCKEY, HASHKEY, INSPI and OUTSPI are for KEYMANAGEMENT=MANUAL; ISAKMP negotiates keys and SPIs");
            }
            return Optional.empty();
        }
        // manual keying
        if (s.protocol() == IpsecProtocol.COMP) {
            if (s.inSpi() != 0 || s.outSpi() != 0 || s.encKey() >= 0 || s.hashKey() >= 0) {
                return Optional.of(id + "a manual IPComp SA uses the well-known CPI of its COMPALG; no keys or SPIs are given");
            }
            return Optional.empty();
        }
        if (s.inSpi() == 0 || s.outSpi() == 0) {
            return Optional.of(id + "manual keying needs INSPI and OUTSPI (256..4294967295), set opposite to the peer's");
        }
        if (s.protocol() == IpsecProtocol.ESP && s.encAlg() != EncAlg.NULL) {
            Optional<String> k = checkKey(id, "ENCKEY", s.encKey(), s.encAlg().keyType(), s.encAlg().keyLength(), s.encAlg().keyword(), keys);
            if (k.isPresent()) {
                return k;
            }
        } else if (s.encKey() >= 0) {
            return Optional.of(id + "ENCKEY is not used without an ENCALG");
        }
        if (s.hashAlg() != HashAlg.NULL) {
            return checkKey(id, "HASHKEY", s.hashKey(), "GENERAL", s.hashAlg().keyLength(), s.hashAlg().keyword(), keys);
        } else if (s.hashKey() >= 0) {
            return Optional.of(id + "HASHKEY is not used with HASHALG=NULL");
        }
        return Optional.empty();
    }

    private static Optional<String> checkKey(String id, String param, int number, String type, int length, String alg, EncoKeys keys) {
        if (number < 0) {
            return Optional.of(id + "manual " + alg + " needs " + param + " (an ENCO key of TYPE=" + type + ", " + length + " bytes)");
        }
        Optional<EncoKeys.KeyInfo> info = keys.info(number);
        if (info.isEmpty()) {
            return Optional.of(id + param + "=" + number + " names no ENCO key; create it with CREATE ENCO KEY=" + number + " TYPE=" + type);
        }
        if (!info.get().type().equals(type)) {
            return Optional.of(id + param + "=" + number + " is an ENCO key of TYPE=" + info.get().type() + "; " + alg + " needs TYPE=" + type);
        }
        if (info.get().length() != length) {
            return Optional.of(id + param + "=" + number + " is " + info.get().length() + " bytes long; " + alg + " needs " + length);
        }
        return Optional.empty();
    }
}
