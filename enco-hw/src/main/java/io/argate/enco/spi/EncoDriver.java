package io.argate.enco.spi;

import java.util.List;

/**
 * An ENCO driver: software, the kernel crypto API, a crypto board. It declares what it offers;
 * the ENCO service admits each algorithm only after the driver passes its known-answer tests,
 * then opens channels on it. A method for an algorithm the driver does not offer throws
 * {@link UnsupportedOperationException}.
 */
public interface EncoDriver {
    /** Short name shown by SHOW ENCO: software, kernel-crypto, ar011 ... */
    String name();

    List<Capability> capabilities();

    /** Lines SHOW ENCO prints under the driver: what it found, or why it offers nothing. */
    default List<String> status() {
        return List.of();
    }

    default CipherChannel cipher(Algorithm a, byte[] key) throws DriverFailure {
        throw new UnsupportedOperationException(name() + " has no " + a);
    }

    default AeadChannel aead(Algorithm a, byte[] key, int tagLength) throws DriverFailure {
        throw new UnsupportedOperationException(name() + " has no " + a);
    }

    default MacChannel mac(Algorithm a, byte[] key) throws DriverFailure {
        throw new UnsupportedOperationException(name() + " has no " + a);
    }

    default HashEngine hash(Algorithm a) throws DriverFailure {
        throw new UnsupportedOperationException(name() + " has no " + a);
    }

    default DhGroup dh(Algorithm a) throws DriverFailure {
        throw new UnsupportedOperationException(name() + " has no " + a);
    }

    default CompressionChannel compression(Algorithm a) throws DriverFailure {
        throw new UnsupportedOperationException(name() + " has no " + a);
    }

    default void random(byte[] out) throws DriverFailure {
        throw new UnsupportedOperationException(name() + " has no random source");
    }
}
