package io.argate.ipsec.esp;

import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.spec.IpsecProtocol;

import io.argate.enco.comp.Ipcomp;
import io.argate.enco.spi.CompressionChannel;
import io.argate.enco.spi.DriverFailure;
import io.argate.ipsec.sad.SaDetails;
import io.argate.ipsec.spec.CompAlg;
import io.argate.ipsec.wire.IpcompLayout;
import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * IPComp (RFC 3173) for one SA: compresses a datagram's payload behind a 4-byte IPComp header,
 * or leaves it alone when it is small or would not shrink (section 2.2: such datagrams are
 * sent without the IPComp header).
 *
 * <p>Not thread-safe: it keeps per-packet scratch, and its compressor holds state of its own, so
 * each thread works with its own {@link #fork()}.
 */
public final class IpcompTransform implements Transform {
    private final CompAlg alg;
    private final CompressionChannel channel;
    private final int cpi;
    private final byte[] in = new byte[65536];
    private final byte[] out = new byte[65536];

    public IpcompTransform(CompAlg alg, CompressionChannel channel, int cpi) {
        this.alg = alg;
        this.channel = channel;
        this.cpi = cpi;
    }

    public int cpi() {
        return cpi;
    }

    /**
     * Compresses {@code [start, end)} in place behind an IPComp header written at
     * {@code start - 4}; returns that header's index and sets the writer index to the new end,
     * or returns -1 when the datagram goes uncompressed (nothing changed).
     */
    public int compress(ByteBuf buf, int start, int end, int nextHeader) throws DriverFailure {
        int len = end - start;
        if (len < Ipcomp.THRESHOLD) {
            return -1;
        }
        buf.getBytes(start, in, 0, len);
        int n = channel.compress(in, 0, len, out, 0, len - 1);
        if (!Ipcomp.worthSending(n, len)) {
            return -1;
        }
        IpcompLayout.write(buf, start - IpcompLayout.HEADER, nextHeader, cpi);
        buf.setBytes(start, out, 0, n);
        buf.writerIndex(start + n);
        return start - IpcompLayout.HEADER;
    }

    /** Decompresses the IPComp datagram at {@code [at, end)} into {@code dst}; returns the next header. */
    public int decompress(ByteBuf buf, int at, int end, ByteBuf dst, int maxLength) throws DriverFailure {
        int len = end - at - IpcompLayout.HEADER;
        if (len <= 0) {
            throw new DriverFailure("IPComp datagram of " + (end - at) + " bytes has no payload");
        }
        buf.getBytes(at + IpcompLayout.HEADER, in, 0, len);
        int n = channel.decompress(in, 0, len, out, 0, Math.min(maxLength, out.length));
        dst.writeBytes(out, 0, n);
        return IpcompLayout.nextHeader(buf, at);
    }

    @Override
    public IpsecProtocol protocol() {
        return IpsecProtocol.COMP;
    }

    @Override
    public int headroom() {
        return IpcompLayout.HEADER;
    }

    @Override
    public int tailroom() {
        return 0;
    }

    /** Nothing: IPComp sends a datagram uncompressed rather than let it grow (RFC 3173 section 2.2). */
    @Override
    public int overhead() {
        return 0;
    }

    @Override
    public void seal(Sealing s) throws DriverFailure {
        int h = compress(s.buf, s.start, s.end, s.next);
        s.compressed = h >= 0;
        if (s.compressed) {
            s.start = h;
            s.end = s.buf.writerIndex();
            s.next = io.argate.ip.packet.Ipv4.PROTO_IPCOMP;
        }
    }

    /** Decompresses into a new buffer of the largest IP datagram; a failure is IN_DECOMPRESS_FAILED. */
    @Override
    public IpsecCounter open(Opening o, long seq, boolean esn) {
        ByteBuf plain = o.alloc.buffer(65535);
        try {
            o.proto = decompress(o.cur, o.hdr, o.end, plain, 65535);
        } catch (DriverFailure bad) {
            plain.release();
            return IpsecCounter.IN_DECOMPRESS_FAILED;
        }
        o.moveTo(plain);
        return null;
    }

    @Override
    public Transform fork() throws DriverFailure {
        CompressionChannel c = channel.fork();
        return c == null ? null : new IpcompTransform(alg, c, cpi);
    }

    @Override
    public void close() {
        EspTransform.closeQuietly(channel);
    }

    @Override
    public SaDetails view() {
        String a = alg.name();
        String c = Integer.toString(cpi);
        return () -> List.of(new String[]{"Compression algorithm", a}, new String[]{"CPI", c});
    }
}
