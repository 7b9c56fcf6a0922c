package io.argate.enco.comp;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * DEFLATE for IPComp (RFC 2394): raw deflate blocks, no zlib header, one datagram at a time
 * (the dictionary is reset per datagram). The Deflater and Inflater are reused per channel.
 */
public final class Deflate {
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);

    /** Compressed length, or -1 when it would not fit in {@code outMax} bytes. */
    public int compress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) {
        deflater.reset();
        deflater.setInput(in, off, len);
        deflater.finish();
        int n = deflater.deflate(out, outOff, outMax);
        return deflater.finished() ? n : -1;
    }

    /** Decompressed length; a broken stream or more than {@code outMax} bytes is Malformed. */
    public int decompress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) throws Lzs.Malformed {
        outMax = Math.min(outMax, out.length - outOff);
        inflater.reset();
        inflater.setInput(in, off, len);
        try {
            int n = inflater.inflate(out, outOff, outMax);
            if (!inflater.finished()) {
                throw new Lzs.Malformed(inflater.needsInput() ? "DEFLATE stream is truncated" : "output longer than " + outMax + " bytes");
            }
            return n;
        } catch (DataFormatException e) {
            throw new Lzs.Malformed("DEFLATE stream is damaged: " + e.getMessage());
        }
    }
}
