package io.argate.enco.spi;

/** A message digest (for ISAKMP hashes and key derivation). */
public interface HashEngine {
    Algorithm algorithm();

    byte[] digest(byte[]... parts) throws DriverFailure;
}
