package io.argate.image;

import io.argate.enco.key.EncoKeyStore;
import io.argate.ipsec.spec.EncoKeys;

import java.util.Optional;

/** What IPsec may know of the ENCO key store: a key's type and length, and its value to bind a channel. */
final class EncoKeysView implements EncoKeys {
    private final EncoKeyStore store;

    EncoKeysView(EncoKeyStore store) {
        this.store = store;
    }

    @Override
    public Optional<KeyInfo> info(int number) {
        return store.get(number).map(k -> new KeyInfo(k.type().keyword(), k.value().length));
    }

    @Override
    public Optional<byte[]> value(int number) {
        return store.get(number).map(k -> k.value().clone());
    }
}
