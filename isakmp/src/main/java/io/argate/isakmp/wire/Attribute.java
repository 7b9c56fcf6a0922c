package io.argate.isakmp.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One data attribute (RFC 2408 section 3.3): AF=1 is the short TV form whose value is the 16-bit
 * field itself, AF=0 the TLV form with a length and a variable value (a lifetime longer than
 * 65535 seconds, for example).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !A!       Attribute Type        !    AF=0  Attribute Length     !
 * !F!                             !    AF=1  Attribute Value      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                   AF=0  Attribute Value                       .
 * .                   AF=1  Not Transmitted                       .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param type  attribute class (15 bits)
 * @param basic true for the TV form
 * @param value the value bytes: 2 for TV, any length for TLV
 */
public record Attribute(int type, boolean basic, byte[] value) {
    public Attribute {
        if (type < 0 || type > 0x7fff) {
            throw new IllegalArgumentException("attribute type " + type + " is not 15 bits");
        }
        if (basic && value.length != 2) {
            throw new IllegalArgumentException("a basic attribute carries exactly 2 bytes");
        }
        value = value.clone();
    }

    /** A value in the shortest form that holds it: TV up to 65535, TLV of 4 bytes beyond. */
    public static Attribute of(int type, long v) {
        if (v >= 0 && v <= 0xffff) {
            return new Attribute(type, true, new byte[]{(byte) (v >>> 8), (byte) v});
        }
        return new Attribute(type, false, new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    public static Attribute decode(WireReader r) throws WireException {
        int word = r.u16("attribute type");
        int type = word & 0x7fff;
        if ((word & 0x8000) != 0) {
            return new Attribute(type, true, r.bytes(2, "attribute value"));
        }
        int length = r.u16("attribute length");
        return new Attribute(type, false, r.bytes(length, "attribute value"));
    }

    public void encode(WireWriter w) {
        if (basic) {
            w.u16(0x8000 | type).bytes(value);
        } else {
            w.u16(type).u16(value.length).bytes(value);
        }
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /**
     * The value as a number; -1 when it is longer than 8 bytes or would not fit a positive long
     * (RFC 2408 lets a lifetime be a variable-length integer).
     */
    public long asLong() {
        int start = 0;
        while (start < value.length && value[start] == 0) {
            start++;
        }
        if (value.length - start > 8 || value.length - start == 8 && value[start] < 0) {
            return -1;
        }
        long v = 0;
        for (int i = start; i < value.length; i++) {
            v = v << 8 | value[i] & 0xff;
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attribute a && a.type == type && a.basic == basic && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return type + "=" + (basic ? String.valueOf(asLong()) : HexFormat.of().formatHex(value));
    }
}
