package io.argate.ipsec.esp;

import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.spec.IpsecProtocol;

import io.argate.enco.spi.DriverFailure;
import io.argate.enco.spi.MacChannel;
import io.argate.ipsec.sad.SaDetails;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.wire.AhLayout;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * AH (RFC 4302) for one SA direction: the ICV covers the IPv4 header with its mutable fields
 * as zero (section 3.3.3.1), the AH header with a zero ICV field, and everything after it. The
 * IPv4 header must be final (protocol 51, total length) before sealing. Headers with options
 * are refused on receipt (argate sends none; options would need Appendix A's per-option rules).
 * With extended sequence numbers only the low 32 bits travel in the header; the high 32 bits
 * are appended after the packet for the ICV computation and never sent (RFC 4302 sections 2.5.1
 * and 3.3.3.2).
 *
 * <p>Not thread-safe: it keeps per-packet scratch, and its MAC channel holds state of its own, so
 * each thread works with its own {@link #fork()}.
 */
public final class AhTransform implements Transform {
    private final HashAlg hash;
    private final MacChannel mac;
    private final int icvLength;
    private final byte[] header = new byte[20];
    private final byte[] icv;
    private final byte[] theirs;
    private final byte[] seqHi = new byte[4];
    private final ByteBuffer seqHiPart = ByteBuffer.wrap(seqHi);
    /** The copied IP header as ByteBuf and as ByteBuffer, made once: per packet only re-pointed (issue 15). */
    private final ByteBuf headerBuf = io.netty.buffer.Unpooled.wrappedBuffer(header);
    private final ByteBuffer headerPart = ByteBuffer.wrap(header);
    private final ByteBuffer[] parts = new ByteBuffer[2];
    private final ByteBuffer[] partsEsn = new ByteBuffer[3];
    /** The array {@link #view} wraps (a packet buffer comes back from the thread's cache, so mostly the same one). */
    private byte[] viewArray;
    private ByteBuffer view;
    private final String channelText;

    public AhTransform(HashAlg hash, MacChannel mac, String channelText) {
        this.hash = hash;
        this.mac = mac;
        this.icvLength = hash.icvLength();
        this.icv = new byte[icvLength];
        this.theirs = new byte[icvLength];
        this.channelText = channelText;
    }

    /** The AH header length for this SA's ICV. */
    public int length() {
        return AhLayout.length(icvLength);
    }

    /** {@link #seal(ByteBuf, int, int, int, int, int, long, boolean)} for an SA without extended sequence numbers. */
    public void seal(ByteBuf buf, int ip, int ah, int end, int nextHeader, int spi, long seq) throws DriverFailure {
        seal(buf, ip, ah, end, nextHeader, spi, seq, false);
    }

    /**
     * Writes the AH header at {@code ah} and its ICV; the IPv4 header at {@code ip} is final.
     * {@code seq} is the full sequence number; with {@code esn} its high half enters the ICV.
     */
    public void seal(ByteBuf buf, int ip, int ah, int end, int nextHeader, int spi, long seq, boolean esn) throws DriverFailure {
        AhLayout.write(buf, ah, nextHeader, spi, seq, icvLength);
        compute(buf, ip, ah, end, seq, esn);
        buf.setBytes(ah + AhLayout.FIXED, icv);
    }

    /** {@link #verify(ByteBuf, int, int, int, long, boolean)} for an SA without extended sequence numbers. */
    public boolean verify(ByteBuf buf, int ip, int ah, int end) throws DriverFailure {
        return verify(buf, ip, ah, end, 0, false);
    }

    /**
     * Checks the ICV of the AH at {@code ah}; false for a wrong ICV or an IPv4 header with
     * options. With {@code esn}, {@code seq} is the sequence number the replay window inferred
     * (RFC 4303 Appendix A2.2 applies to AH too); only its high 32 bits are used.
     */
    public boolean verify(ByteBuf buf, int ip, int ah, int end, long seq, boolean esn) throws DriverFailure {
        if ((buf.getUnsignedByte(ip) & 0x0f) != 5 || end - ah < length() || AhLayout.lengthField(buf, ah) != length()) {
            return false;
        }
        buf.getBytes(ah + AhLayout.FIXED, theirs);
        buf.setZero(ah + AhLayout.FIXED, icvLength);
        compute(buf, ip, ah, end, seq, esn);
        buf.setBytes(ah + AhLayout.FIXED, theirs);
        int diff = 0;
        for (int i = 0; i < icvLength; i++) {
            diff |= icv[i] ^ theirs[i];
        }
        return diff == 0;
    }

    private void compute(ByteBuf buf, int ip, int ah, int end, long seq, boolean esn) throws DriverFailure {
        buf.getBytes(ip, header);
        AhLayout.zeroMutableIpv4(headerBuf, 0);
        headerPart.clear();
        if (!esn) {
            parts[0] = headerPart;
            parts[1] = view(buf, ah, end - ah);
            mac.compute(icv, 0, parts);
            return;
        }
        int hi = (int) (seq >>> 32);
        seqHi[0] = (byte) (hi >>> 24);
        seqHi[1] = (byte) (hi >>> 16);
        seqHi[2] = (byte) (hi >>> 8);
        seqHi[3] = (byte) hi;
        partsEsn[0] = headerPart;
        partsEsn[1] = view(buf, ah, end - ah);
        partsEsn[2] = seqHiPart.clear();
        mac.compute(icv, 0, partsEsn);
    }

    /** {@code [index, index + length)} of {@code buf} as a ByteBuffer: for a heap buffer one kept view re-pointed, as in ESP. */
    private ByteBuffer view(ByteBuf buf, int index, int length) {
        if (!buf.hasArray()) {
            return buf.nioBuffer(index, length);
        }
        byte[] a = buf.array();
        if (a != viewArray) {
            viewArray = a;
            view = ByteBuffer.wrap(a);
        }
        int off = buf.arrayOffset() + index;
        view.clear();
        view.position(off).limit(off + length);
        return view;
    }

    @Override
    public IpsecProtocol protocol() {
        return IpsecProtocol.AH;
    }

    @Override
    public int headroom() {
        return length();
    }

    @Override
    public int tailroom() {
        return 0;
    }

    /** AH covers the IP header (RFC 4302 section 3.3.3.1), so it writes that header here before computing its ICV. */
    @Override
    public void seal(Sealing s) throws DriverFailure {
        int ah = s.start - length();
        s.ip = ah - s.headerLength;
        s.header.write(s.buf, s.ip, io.argate.ip.packet.Ipv4.PROTO_AH, s.end - s.ip);
        seal(s.buf, s.ip, ah, s.end, s.next, s.spi, s.seq, s.esn);
        s.start = ah;
        s.next = io.argate.ip.packet.Ipv4.PROTO_AH;
    }

    @Override
    public long wireSequence(ByteBuf buf, int hdr) {
        return AhLayout.sequence(buf, hdr);
    }

    @Override
    public IpsecCounter open(Opening o, long seq, boolean esn) throws DriverFailure {
        if (!verify(o.cur, o.at, o.hdr, o.end, seq, esn)) {
            return IpsecCounter.IN_BAD_ICV;
        }
        o.proto = AhLayout.nextHeader(o.cur, o.hdr);
        o.hdr += length();
        return null;
    }

    @Override
    public Transform fork() throws DriverFailure {
        MacChannel m = mac.fork();
        return m == null ? null : new AhTransform(hash, m, channelText);
    }

    @Override
    public void close() {
        EspTransform.closeQuietly(mac);
    }

    @Override
    public SaDetails view() {
        String h = hash.keyword();
        String c = channelText;
        return () -> List.of(new String[]{"Hash algorithm", h}, new String[]{"ENCO channel", c});
    }
}
