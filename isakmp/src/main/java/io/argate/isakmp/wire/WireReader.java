package io.argate.isakmp.wire;

import java.util.Arrays;

/** Bounds-checked big-endian reads over a slice of a byte array; every overrun is a {@link WireException}. */
public final class WireReader {
    private final byte[] data;
    private int pos;
    private final int end;
    private final WireException.Reason reason;

    public WireReader(byte[] data, int from, int end, WireException.Reason reason) {
        this.data = data;
        this.pos = from;
        this.end = end;
        this.reason = reason;
    }

    public static WireReader of(byte[] body, WireException.Reason reason) {
        return new WireReader(body, 0, body.length, reason);
    }

    public int remaining() {
        return end - pos;
    }

    public int position() {
        return pos;
    }

    private void need(int n, String what) throws WireException {
        if (n < 0 || end - pos < n) {
            throw new WireException(reason, what + " needs " + n + " bytes, " + (end - pos) + " left");
        }
    }

    public int u8(String what) throws WireException {
        need(1, what);
        return data[pos++] & 0xff;
    }

    public int u16(String what) throws WireException {
        need(2, what);
        int v = (data[pos] & 0xff) << 8 | data[pos + 1] & 0xff;
        pos += 2;
        return v;
    }

    public int u32(String what) throws WireException {
        need(4, what);
        int v = (data[pos] & 0xff) << 24 | (data[pos + 1] & 0xff) << 16 | (data[pos + 2] & 0xff) << 8 | data[pos + 3] & 0xff;
        pos += 4;
        return v;
    }

    public long u64(String what) throws WireException {
        long hi = u32(what) & 0xFFFF_FFFFL;
        return hi << 32 | u32(what) & 0xFFFF_FFFFL;
    }

    public byte[] bytes(int n, String what) throws WireException {
        need(n, what);
        byte[] b = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    public byte[] rest() {
        byte[] b = Arrays.copyOfRange(data, pos, end);
        pos = end;
        return b;
    }
}
