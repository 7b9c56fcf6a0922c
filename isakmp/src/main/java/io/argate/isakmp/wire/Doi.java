package io.argate.isakmp.wire;

/**
 * Domains of interpretation (RFC 2408 section 3.4, RFC 2407 section 4.2), protocol ids
 * (RFC 2407 section 4.4.1), situations (RFC 2407 section 4.2) and identification types
 * (RFC 2407 section 4.6.2.1).
 */
public final class Doi {
    public static final int ISAKMP = 0;
    public static final int IPSEC = 1;
    /** SIT_IDENTITY_ONLY: the only situation IKE uses (RFC 2407 section 4.2.1). */
    public static final int SIT_IDENTITY_ONLY = 1;

    public static final int PROTO_ISAKMP = 1;
    public static final int PROTO_AH = 2;
    public static final int PROTO_ESP = 3;
    public static final int PROTO_IPCOMP = 4;

    public static final int ID_IPV4_ADDR = 1;
    public static final int ID_FQDN = 2;
    public static final int ID_USER_FQDN = 3;
    public static final int ID_IPV4_ADDR_SUBNET = 4;
    public static final int ID_IPV6_ADDR = 5;
    public static final int ID_IPV6_ADDR_SUBNET = 6;
    public static final int ID_IPV4_ADDR_RANGE = 7;
    public static final int ID_IPV6_ADDR_RANGE = 8;
    public static final int ID_DER_ASN1_DN = 9;
    public static final int ID_DER_ASN1_GN = 10;
    public static final int ID_KEY_ID = 11;

    public static final Registry DOI = Registry.of("DOI", ISAKMP, "ISAKMP", IPSEC, "IPSEC");
    public static final Registry PROTOCOL = Registry.of("protocol",
            PROTO_ISAKMP, "ISAKMP", PROTO_AH, "AH", PROTO_ESP, "ESP", PROTO_IPCOMP, "IPCOMP");
    public static final Registry ID_TYPE = Registry.of("identification type",
            ID_IPV4_ADDR, "IPV4_ADDR", ID_FQDN, "FQDN", ID_USER_FQDN, "USER_FQDN", ID_IPV4_ADDR_SUBNET, "IPV4_ADDR_SUBNET",
            ID_IPV6_ADDR, "IPV6_ADDR", ID_IPV6_ADDR_SUBNET, "IPV6_ADDR_SUBNET", ID_IPV4_ADDR_RANGE, "IPV4_ADDR_RANGE",
            ID_IPV6_ADDR_RANGE, "IPV6_ADDR_RANGE", ID_DER_ASN1_DN, "DER_ASN1_DN", ID_DER_ASN1_GN, "DER_ASN1_GN",
            ID_KEY_ID, "KEY_ID");

    private Doi() {
    }
}
