package io.argate.isakmp.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Identification payload with the IPsec DOI fields (RFC 2408 section 3.8, RFC 2407 section
 * 4.6.2). In phase 1 protocol and port are 0 or UDP/500 (section 4.6.2 allows both); in Quick
 * Mode they carry the policy's transport protocol and ports.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !        Payload Length         !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !   ID Type     !  Protocol ID  !             Port              !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                     Identification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The data length is exact for the address types: 4 bytes for IPV4_ADDR, 8 for IPV4_ADDR_SUBNET
 * and IPV4_ADDR_RANGE (RFC 2407 section 4.6.2.2 onwards).
 */
public record IdPayload(int idType, int protocol, int port, byte[] data) implements Payload {
    public IdPayload {
        data = data.clone();
    }

    @Override
    public int type() {
        return PayloadType.ID;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public static IdPayload ipv4(int address) {
        return new IdPayload(Doi.ID_IPV4_ADDR, 0, 0, int32(address));
    }

    /** An FQDN, or a USER_FQDN when it holds an '@' (LOCALID="client" or "user@example.com"). */
    public static IdPayload name(String name) {
        int t = name.indexOf('@') >= 0 ? Doi.ID_USER_FQDN : Doi.ID_FQDN;
        return new IdPayload(t, 0, 0, name.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A distinguished name ("cn=gw1, o=example") as ID_DER_ASN1_DN: the DER of the X.500 Name
     * (RFC 2407 section 4.6.2.1), so it compares equal to a certificate's subject. A text the
     * X.500 parser refuses is sent as it was typed, which no peer's certificate will match.
     */
    public static IdPayload distinguishedName(String dn) {
        byte[] der;
        try {
            der = new javax.security.auth.x500.X500Principal(dn).getEncoded();
        } catch (IllegalArgumentException notX500) {
            der = dn.getBytes(StandardCharsets.UTF_8);
        }
        return new IdPayload(Doi.ID_DER_ASN1_DN, 0, 0, der);
    }

    public static IdPayload subnet(int address, int mask, int protocol, int port) {
        byte[] d = new byte[8];
        System.arraycopy(int32(address), 0, d, 0, 4);
        System.arraycopy(int32(mask), 0, d, 4, 4);
        return new IdPayload(Doi.ID_IPV4_ADDR_SUBNET, protocol, port, d);
    }

    public static IdPayload range(int first, int last, int protocol, int port) {
        byte[] d = new byte[8];
        System.arraycopy(int32(first), 0, d, 0, 4);
        System.arraycopy(int32(last), 0, d, 4, 4);
        return new IdPayload(Doi.ID_IPV4_ADDR_RANGE, protocol, port, d);
    }

    static byte[] int32(int v) {
        return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** The 32-bit word at {@code at} of the data (an address or a mask). */
    public int word(int at) {
        return (data[at] & 0xff) << 24 | (data[at + 1] & 0xff) << 16 | (data[at + 2] & 0xff) << 8 | data[at + 3] & 0xff;
    }

    public static IdPayload decode(byte[] body) throws WireException {
        WireReader r = WireReader.of(body, WireException.Reason.BAD_PAYLOAD_BODY);
        int type = r.u8("ID type");
        int protocol = r.u8("protocol");
        int port = r.u16("port");
        byte[] data = r.rest();
        int need = switch (type) {
            case Doi.ID_IPV4_ADDR -> 4;
            case Doi.ID_IPV4_ADDR_SUBNET, Doi.ID_IPV4_ADDR_RANGE, Doi.ID_IPV6_ADDR -> type == Doi.ID_IPV6_ADDR ? 16 : 8;
            case Doi.ID_IPV6_ADDR_SUBNET, Doi.ID_IPV6_ADDR_RANGE -> 32;
            default -> -1;
        };
        if (need >= 0 && data.length != need) {
            throw new WireException(WireException.Reason.BAD_PAYLOAD_BODY, Doi.ID_TYPE.name(type) + " identity of "
                    + data.length + " bytes; it must be " + need);
        }
        if (need < 0 && data.length == 0) {
            throw new WireException(WireException.Reason.BAD_PAYLOAD_BODY, Doi.ID_TYPE.name(type) + " identity is empty");
        }
        return new IdPayload(type, protocol, port, data);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(idType).u8(protocol).u16(port).bytes(data);
    }

    /** How SHOW and the log print it: {@code 1.1.1.1}, {@code 10.0.0.0/255.255.255.0}, {@code client}. */
    public String text() {
        return switch (idType) {
            case Doi.ID_IPV4_ADDR -> dotted(word(0));
            case Doi.ID_IPV4_ADDR_SUBNET -> dotted(word(0)) + "/" + dotted(word(4));
            case Doi.ID_IPV4_ADDR_RANGE -> dotted(word(0)) + "-" + dotted(word(4));
            case Doi.ID_FQDN, Doi.ID_USER_FQDN, Doi.ID_KEY_ID -> new String(data, StandardCharsets.US_ASCII);
            case Doi.ID_DER_ASN1_DN -> dn(data);
            default -> Doi.ID_TYPE.name(idType) + " " + java.util.HexFormat.of().formatHex(data);
        };
    }

    /** A DER Name as RFC 2253 text; a body that is not DER prints as the text it holds. */
    private static String dn(byte[] der) {
        try {
            return new javax.security.auth.x500.X500Principal(der).getName(javax.security.auth.x500.X500Principal.RFC2253);
        } catch (IllegalArgumentException notDer) {
            return new String(der, StandardCharsets.US_ASCII);
        }
    }

    static String dotted(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdPayload i && i.idType == idType && i.protocol == protocol && i.port == port && Arrays.equals(i.data, data);
    }

    @Override
    public int hashCode() {
        return idType * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "ID[" + Doi.ID_TYPE.name(idType) + " " + text() + " " + protocol + "/" + port + "]";
    }
}
