package io.argate.isakmp.wire;

/**
 * Notify message types: errors (RFC 2408 section 3.14.1), status (RFC 2407 section 4.6.3) and
 * RFC 3706 DPD.
 */
public final class NotifyType {
    public static final int INVALID_PAYLOAD_TYPE = 1;
    public static final int DOI_NOT_SUPPORTED = 2;
    public static final int SITUATION_NOT_SUPPORTED = 3;
    public static final int INVALID_COOKIE = 4;
    public static final int INVALID_MAJOR_VERSION = 5;
    public static final int INVALID_MINOR_VERSION = 6;
    public static final int INVALID_EXCHANGE_TYPE = 7;
    public static final int INVALID_FLAGS = 8;
    public static final int INVALID_MESSAGE_ID = 9;
    public static final int INVALID_PROTOCOL_ID = 10;
    public static final int INVALID_SPI = 11;
    public static final int INVALID_TRANSFORM_ID = 12;
    public static final int ATTRIBUTES_NOT_SUPPORTED = 13;
    public static final int NO_PROPOSAL_CHOSEN = 14;
    public static final int BAD_PROPOSAL_SYNTAX = 15;
    public static final int PAYLOAD_MALFORMED = 16;
    public static final int INVALID_KEY_INFORMATION = 17;
    public static final int INVALID_ID_INFORMATION = 18;
    public static final int INVALID_CERT_ENCODING = 19;
    public static final int INVALID_CERTIFICATE = 20;
    public static final int CERT_TYPE_UNSUPPORTED = 21;
    public static final int INVALID_CERT_AUTHORITY = 22;
    public static final int INVALID_HASH_INFORMATION = 23;
    public static final int AUTHENTICATION_FAILED = 24;
    public static final int INVALID_SIGNATURE = 25;
    public static final int ADDRESS_NOTIFICATION = 26;
    public static final int NOTIFY_SA_LIFETIME = 27;
    public static final int CERTIFICATE_UNAVAILABLE = 28;
    public static final int UNSUPPORTED_EXCHANGE_TYPE = 29;
    public static final int UNEQUAL_PAYLOAD_LENGTHS = 30;
    public static final int CONNECTED = 16384;
    public static final int RESPONDER_LIFETIME = 24576;
    public static final int REPLAY_STATUS = 24577;
    public static final int INITIAL_CONTACT = 24578;
    public static final int R_U_THERE = 36136;
    public static final int R_U_THERE_ACK = 36137;

    public static final Registry REGISTRY = Registry.of("notify type",
            INVALID_PAYLOAD_TYPE, "INVALID-PAYLOAD-TYPE", DOI_NOT_SUPPORTED, "DOI-NOT-SUPPORTED",
            SITUATION_NOT_SUPPORTED, "SITUATION-NOT-SUPPORTED", INVALID_COOKIE, "INVALID-COOKIE",
            INVALID_MAJOR_VERSION, "INVALID-MAJOR-VERSION", INVALID_MINOR_VERSION, "INVALID-MINOR-VERSION",
            INVALID_EXCHANGE_TYPE, "INVALID-EXCHANGE-TYPE", INVALID_FLAGS, "INVALID-FLAGS",
            INVALID_MESSAGE_ID, "INVALID-MESSAGE-ID", INVALID_PROTOCOL_ID, "INVALID-PROTOCOL-ID",
            INVALID_SPI, "INVALID-SPI", INVALID_TRANSFORM_ID, "INVALID-TRANSFORM-ID",
            ATTRIBUTES_NOT_SUPPORTED, "ATTRIBUTES-NOT-SUPPORTED", NO_PROPOSAL_CHOSEN, "NO-PROPOSAL-CHOSEN",
            BAD_PROPOSAL_SYNTAX, "BAD-PROPOSAL-SYNTAX", PAYLOAD_MALFORMED, "PAYLOAD-MALFORMED",
            INVALID_KEY_INFORMATION, "INVALID-KEY-INFORMATION", INVALID_ID_INFORMATION, "INVALID-ID-INFORMATION",
            INVALID_CERT_ENCODING, "INVALID-CERT-ENCODING", INVALID_CERTIFICATE, "INVALID-CERTIFICATE",
            CERT_TYPE_UNSUPPORTED, "CERT-TYPE-UNSUPPORTED", INVALID_CERT_AUTHORITY, "INVALID-CERT-AUTHORITY",
            INVALID_HASH_INFORMATION, "INVALID-HASH-INFORMATION", AUTHENTICATION_FAILED, "AUTHENTICATION-FAILED",
            INVALID_SIGNATURE, "INVALID-SIGNATURE", ADDRESS_NOTIFICATION, "ADDRESS-NOTIFICATION",
            NOTIFY_SA_LIFETIME, "NOTIFY-SA-LIFETIME", CERTIFICATE_UNAVAILABLE, "CERTIFICATE-UNAVAILABLE",
            UNSUPPORTED_EXCHANGE_TYPE, "UNSUPPORTED-EXCHANGE-TYPE", UNEQUAL_PAYLOAD_LENGTHS, "UNEQUAL-PAYLOAD-LENGTHS",
            CONNECTED, "CONNECTED", RESPONDER_LIFETIME, "RESPONDER-LIFETIME", REPLAY_STATUS, "REPLAY-STATUS",
            INITIAL_CONTACT, "INITIAL-CONTACT", R_U_THERE, "R-U-THERE", R_U_THERE_ACK, "R-U-THERE-ACK");

    private NotifyType() {
    }
}
