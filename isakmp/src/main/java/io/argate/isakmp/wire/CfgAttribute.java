package io.argate.isakmp.wire;

import java.nio.charset.StandardCharsets;

/**
 * Attribute classes of the transaction exchange: Mode Config's (draft-dukes-ike-mode-cfg-02
 * section 3.3), XAUTH's (draft-beaulieu-ike-xauth-02 section 3.2, numbered from 16520) and the
 * Cisco Unity ones clients ask for (28672 on; 28676 is the split-include list strongSwan and
 * the Cisco-style clients request). An unknown class prints as {@code UNKNOWN(n)}.
 */
public final class CfgAttribute {
    public static final int INTERNAL_IP4_ADDRESS = 1;
    public static final int INTERNAL_IP4_NETMASK = 2;
    public static final int INTERNAL_IP4_DNS = 3;
    public static final int INTERNAL_IP4_NBNS = 4;
    public static final int INTERNAL_ADDRESS_EXPIRY = 5;
    public static final int INTERNAL_IP4_DHCP = 6;
    public static final int APPLICATION_VERSION = 7;
    public static final int INTERNAL_IP6_ADDRESS = 8;
    public static final int INTERNAL_IP6_NETMASK = 9;
    public static final int INTERNAL_IP6_DNS = 10;
    public static final int INTERNAL_IP6_NBNS = 11;
    public static final int INTERNAL_IP6_DHCP = 12;
    public static final int INTERNAL_IP4_SUBNET = 13;
    public static final int SUPPORTED_ATTRIBUTES = 14;
    public static final int INTERNAL_IP6_SUBNET = 15;

    public static final int XAUTH_TYPE = 16520;
    public static final int XAUTH_USER_NAME = 16521;
    public static final int XAUTH_USER_PASSWORD = 16522;
    public static final int XAUTH_PASSCODE = 16523;
    public static final int XAUTH_MESSAGE = 16524;
    public static final int XAUTH_CHALLENGE = 16525;
    public static final int XAUTH_DOMAIN = 16526;
    public static final int XAUTH_STATUS = 16527;
    public static final int XAUTH_NEXT_PIN = 16528;
    public static final int XAUTH_ANSWER = 16529;

    public static final int UNITY_BANNER = 28672;
    public static final int UNITY_SAVE_PASSWD = 28673;
    public static final int UNITY_DEF_DOMAIN = 28674;
    public static final int UNITY_SPLITDNS_NAME = 28675;
    public static final int UNITY_SPLIT_INCLUDE = 28676;
    public static final int UNITY_NATT_PORT = 28677;
    public static final int UNITY_LOCAL_LAN = 28678;
    public static final int UNITY_PFS = 28679;
    public static final int UNITY_FW_TYPE = 28680;
    public static final int UNITY_BACKUP_SERVERS = 28681;
    public static final int UNITY_DDNS_HOSTNAME = 28682;

    /** XAUTH_TYPE values (draft-beaulieu-ike-xauth-02 section 3.2): only GENERIC is used here. */
    public static final int XAUTH_TYPE_GENERIC = 0;
    /** XAUTH_STATUS values: FAIL and OK. */
    public static final int STATUS_FAIL = 0;
    public static final int STATUS_OK = 1;

    public static final Registry REGISTRY = Registry.of("configuration attribute",
            INTERNAL_IP4_ADDRESS, "INTERNAL_IP4_ADDRESS", INTERNAL_IP4_NETMASK, "INTERNAL_IP4_NETMASK",
            INTERNAL_IP4_DNS, "INTERNAL_IP4_DNS", INTERNAL_IP4_NBNS, "INTERNAL_IP4_NBNS",
            INTERNAL_ADDRESS_EXPIRY, "INTERNAL_ADDRESS_EXPIRY", INTERNAL_IP4_DHCP, "INTERNAL_IP4_DHCP",
            APPLICATION_VERSION, "APPLICATION_VERSION", INTERNAL_IP6_ADDRESS, "INTERNAL_IP6_ADDRESS",
            INTERNAL_IP6_NETMASK, "INTERNAL_IP6_NETMASK", INTERNAL_IP6_DNS, "INTERNAL_IP6_DNS",
            INTERNAL_IP6_NBNS, "INTERNAL_IP6_NBNS", INTERNAL_IP6_DHCP, "INTERNAL_IP6_DHCP",
            INTERNAL_IP4_SUBNET, "INTERNAL_IP4_SUBNET", SUPPORTED_ATTRIBUTES, "SUPPORTED_ATTRIBUTES",
            INTERNAL_IP6_SUBNET, "INTERNAL_IP6_SUBNET",
            XAUTH_TYPE, "XAUTH_TYPE", XAUTH_USER_NAME, "XAUTH_USER_NAME", XAUTH_USER_PASSWORD, "XAUTH_USER_PASSWORD",
            XAUTH_PASSCODE, "XAUTH_PASSCODE", XAUTH_MESSAGE, "XAUTH_MESSAGE", XAUTH_CHALLENGE, "XAUTH_CHALLENGE",
            XAUTH_DOMAIN, "XAUTH_DOMAIN", XAUTH_STATUS, "XAUTH_STATUS", XAUTH_NEXT_PIN, "XAUTH_NEXT_PIN",
            XAUTH_ANSWER, "XAUTH_ANSWER",
            UNITY_BANNER, "UNITY_BANNER", UNITY_SAVE_PASSWD, "UNITY_SAVE_PASSWD", UNITY_DEF_DOMAIN, "UNITY_DEF_DOMAIN",
            UNITY_SPLITDNS_NAME, "UNITY_SPLITDNS_NAME", UNITY_SPLIT_INCLUDE, "UNITY_SPLIT_INCLUDE",
            UNITY_NATT_PORT, "UNITY_NATT_PORT", UNITY_LOCAL_LAN, "UNITY_LOCAL_LAN", UNITY_PFS, "UNITY_PFS",
            UNITY_FW_TYPE, "UNITY_FW_TYPE", UNITY_BACKUP_SERVERS, "UNITY_BACKUP_SERVERS",
            UNITY_DDNS_HOSTNAME, "UNITY_DDNS_HOSTNAME");

    private CfgAttribute() {
    }

    /** An attribute with no value: what a REQUEST asks for and an ACK acknowledges (TLV, length 0). */
    public static Attribute empty(int type) {
        return new Attribute(type, false, new byte[0]);
    }

    public static Attribute text(int type, String value) {
        return new Attribute(type, false, value.getBytes(StandardCharsets.UTF_8));
    }

    public static Attribute address(int type, int address) {
        return new Attribute(type, false, new byte[]{(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
    }

    /** The classes whose value is text (a name, a password, a message). */
    public static boolean textual(int type) {
        return type == XAUTH_USER_NAME || type == XAUTH_USER_PASSWORD || type == XAUTH_PASSCODE || type == XAUTH_MESSAGE
                || type == XAUTH_CHALLENGE || type == XAUTH_DOMAIN || type == XAUTH_NEXT_PIN || type == XAUTH_ANSWER
                || type == APPLICATION_VERSION || type == UNITY_BANNER || type == UNITY_DEF_DOMAIN || type == UNITY_SPLITDNS_NAME
                || type == UNITY_DDNS_HOSTNAME;
    }

    /** The classes whose value is one IPv4 address. */
    public static boolean ipv4(int type) {
        return type == INTERNAL_IP4_ADDRESS || type == INTERNAL_IP4_NETMASK || type == INTERNAL_IP4_DNS || type == INTERNAL_IP4_NBNS
                || type == INTERNAL_IP4_DHCP;
    }

    /** The classes whose value is a secret, never printed. */
    public static boolean secret(int type) {
        return type == XAUTH_USER_PASSWORD || type == XAUTH_PASSCODE || type == XAUTH_NEXT_PIN || type == XAUTH_ANSWER;
    }

    /** The value as text (UTF-8; a malformed byte becomes U+FFFD, never an exception). */
    public static String asText(Attribute a) {
        return new String(a.value(), StandardCharsets.UTF_8);
    }

    /** The value as an IPv4 address, or -1 when it is not 4 bytes (an empty REQUEST value). */
    public static long asIpv4(Attribute a) {
        byte[] v = a.value();
        if (v.length != 4) {
            return -1;
        }
        return (v[0] & 0xffL) << 24 | (v[1] & 0xff) << 16 | (v[2] & 0xff) << 8 | v[3] & 0xff;
    }
}
