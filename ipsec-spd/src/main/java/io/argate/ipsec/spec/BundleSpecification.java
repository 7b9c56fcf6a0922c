package io.argate.ipsec.spec;

/**
 * CREATE IPSEC BUNDLESPECIFICATION (fact sheet 2.4): which SA specifications one policy applies
 * and the lifetimes of the bundles built from it.
 *
 * @param number         0..255
 * @param keyManagement  ISAKMP or MANUAL
 * @param expression     the parsed STRING
 * @param expirySeconds  EXPIRYSECONDS 300..31449600 (default 28800)
 * @param expiryKbytes   EXPIRYKBYTES 1..2000000000, 0 when no volume limit (default)
 */
public record BundleSpecification(int number, KeyManagement keyManagement, BundleExpression expression,
                                  long expirySeconds, long expiryKbytes) {
    public static final long DEFAULT_EXPIRY_SECONDS = 28800;
}
