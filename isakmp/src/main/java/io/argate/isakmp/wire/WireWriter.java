package io.argate.isakmp.wire;

import java.util.Arrays;

/** A growable big-endian byte sink for encoding, with back-patching of length fields. */
public final class WireWriter {
    private byte[] buf = new byte[128];
    private int len;

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    public WireWriter u8(int v) {
        room(1);
        buf[len++] = (byte) v;
        return this;
    }

    public WireWriter u16(int v) {
        room(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public WireWriter u32(int v) {
        room(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public WireWriter u64(long v) {
        u32((int) (v >>> 32));
        return u32((int) v);
    }

    public WireWriter bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public int length() {
        return len;
    }

    /** Overwrites a 16-bit field written earlier (a payload's length once its body is known). */
    public void patch16(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }
}
