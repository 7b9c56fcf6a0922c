package io.argate.ipsec.spec;

import java.util.Optional;

/**
 * What IPsec needs to know about ENCO keys: whether a key exists, its type and length, and
 * (when an SA is built) its value. Implemented over the ENCO key store; keys never leave ENCO
 * otherwise and never appear in IPsec's configuration.
 */
public interface EncoKeys {

    /** Type and length of an ENCO key. */
    record KeyInfo(String type, int length) {
    }

    Optional<KeyInfo> info(int number);

    /** The key's bytes, for binding a channel; empty when the key is gone. */
    Optional<byte[]> value(int number);
}
