package io.argate.ipsec.esp;

import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.spec.IpsecProtocol;

import io.argate.enco.spi.AeadChannel;
import io.argate.enco.spi.CipherChannel;
import io.argate.enco.spi.DriverFailure;
import io.argate.enco.spi.MacChannel;
import io.argate.ipsec.sad.SaDetails;
import io.argate.ipsec.spec.EncAlg;
import io.argate.ipsec.spec.HashAlg;
import io.argate.ipsec.wire.EspLayout;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * ESP (RFC 4303) for one SA direction over ENCO channels, in place in a ByteBuf. CBC ciphers
 * are encrypt-then-MAC: a random IV per packet (RFC 3602 section 2.3), the ICV over ESP header,
 * IV and ciphertext. AES-GCM follows RFC 4106: the nonce is the key's 4-byte salt and an 8-byte
 * IV (the sequence number, unique per SA as section 3.1 asks), the AAD is SPI and sequence
 * number, and the tag is the ICV. On receipt the ICV is checked before anything is decrypted.
 *
 * <p>With extended sequence numbers (RFC 4303 section 2.2.1) only the low 32 bits travel; the
 * high 32 bits still enter the ICV: for an HMAC they are appended after the trailer while the
 * ICV is computed (section 3.3.2.1) and never sent, for GCM the AAD becomes SPI and the 64-bit
 * sequence number (RFC 4106 section 5).
 *
 * <p>Not thread-safe: it keeps per-packet scratch, and its cipher and MAC channels hold state of
 * their own, so each thread works with its own {@link #fork()}.
 */
public final class EspTransform implements Transform {
    /** Why an inbound packet was refused (counted by the caller). */
    public enum Drop {
        TRUNCATED, BAD_ICV, BAD_LENGTH, BAD_PADDING, CRYPTO_FAILED
    }

    private final EncAlg enc;
    private final HashAlg hash;
    private final CipherChannel cipher;
    private final MacChannel mac;
    private final AeadChannel aead;
    private final byte[] salt;
    private final int ivLength;
    private final int blockSize;
    private final int icvLength;
    private final byte[] iv;
    private final byte[] nonce = new byte[12];
    /** AAD without ESN: SPI and 32-bit sequence number (RFC 4106 section 5). */
    private final byte[] aad = new byte[8];
    /** AAD with ESN: SPI and 64-bit sequence number (RFC 4106 section 5). */
    private final byte[] aadEsn = new byte[12];
    private final byte[] icv;
    private final IvSource ivSource;
    private final String channelText;
    private Drop lastDrop;
    private int nextHeader;
    /** The array {@link #view} wraps; a packet buffer comes back from the thread's cache, so mostly the same one. */
    private byte[] viewArray;
    private ByteBuffer view;
    /** The one part the MAC channels' varargs take, kept: a fresh array per packet is garbage the JIT does not always remove. */
    private final ByteBuffer[] macParts = new ByteBuffer[1];

    /** For CBC/NULL ciphers with an optional HMAC; a random IV per packet. */
    public EspTransform(EncAlg enc, HashAlg hash, CipherChannel cipher, MacChannel mac, String channelText) {
        this(enc, hash, cipher, mac, IvSource.random(), channelText);
    }

    /** For CBC/NULL ciphers with the IVs from {@code ivSource} (known-answer tests give the standard's IV). */
    public EspTransform(EncAlg enc, HashAlg hash, CipherChannel cipher, MacChannel mac, IvSource ivSource, String channelText) {
        this(enc, hash, cipher, mac, null, null, ivSource, channelText);
    }

    /** For AES-GCM: the channel holds the AES key; {@code salt} is the 4 bytes after it (RFC 4106 section 8.1). */
    public EspTransform(EncAlg enc, AeadChannel aead, byte[] salt, String channelText) {
        this(enc, aead, salt, IvSource.sequence(), channelText);
    }

    /** For AES-GCM with the IVs from {@code ivSource}; they must never repeat under one key (RFC 4106 section 3.1). */
    public EspTransform(EncAlg enc, AeadChannel aead, byte[] salt, IvSource ivSource, String channelText) {
        this(enc, HashAlg.NULL, null, null, aead, salt.clone(), ivSource, channelText);
    }

    private EspTransform(EncAlg enc, HashAlg hash, CipherChannel cipher, MacChannel mac, AeadChannel aead, byte[] salt, IvSource ivSource,
                         String channelText) {
        this.enc = enc;
        this.hash = hash;
        this.cipher = cipher;
        this.mac = mac;
        this.aead = aead;
        this.salt = salt;
        this.ivLength = enc.ivLength();
        this.blockSize = enc.blockSize();
        this.icvLength = aead != null ? aead.tagLength() : hash.icvLength();
        this.iv = new byte[ivLength];
        this.icv = new byte[Math.max(icvLength, 1)];
        this.ivSource = ivSource;
        this.channelText = channelText;
    }

    /** Bytes ESP adds in front of the payload: SPI, sequence number, IV. */
    public int headerLength() {
        return EspLayout.HEADER + ivLength;
    }

    /** ICV bytes at the end of each packet (0 without integrity). */
    @Override
    public int icvLength() {
        return icvLength;
    }

    /** The most bytes ESP adds after a payload: padding, trailer, ICV. */
    public int maxTrailer() {
        return Math.max(4, blockSize) - 1 + EspLayout.TRAILER + icvLength;
    }

    /** {@link #seal(ByteBuf, int, int, int, int, long, boolean)} for an SA without extended sequence numbers. */
    public int seal(ByteBuf buf, int start, int end, int nextHeader, int spi, long seq) throws DriverFailure {
        return seal(buf, start, end, nextHeader, spi, seq, false);
    }

    /**
     * Encapsulates the payload {@code [start, end)} of {@code buf}; the buffer needs
     * {@link #headerLength()} bytes of room before {@code start} and {@link #maxTrailer()} after
     * {@code end}. {@code seq} is the SA's full sequence number; with {@code esn} its high 32
     * bits are covered by the ICV but not sent. Returns the index of the ESP header; the packet
     * ends at the writer index.
     */
    public int seal(ByteBuf buf, int start, int end, int nextHeader, int spi, long seq, boolean esn) throws DriverFailure {
        int esp = start - headerLength();
        int payload = end - start;
        int pad = EspLayout.padLength(payload, blockSize);
        int trailerEnd = end + EspLayout.writeTrailer(buf, end, pad, nextHeader);
        EspLayout.writeHeader(buf, esp, spi, seq);
        int encLength = trailerEnd - start;
        if (ivLength > 0) {
            ivSource.fill(iv, seq);
            buf.setBytes(esp + EspLayout.HEADER, iv);
        }
        buf.writerIndex(trailerEnd + icvLength);
        if (aead != null) {
            System.arraycopy(salt, 0, nonce, 0, 4);
            System.arraycopy(iv, 0, nonce, 4, 8);
            aead.seal(nonce, aad(buf, esp, seq, esn), view(buf, start, encLength + icvLength), encLength);
            return esp;
        }
        cipher.encrypt(iv, view(buf, start, encLength));
        if (mac != null) {
            mac.compute(icv, 0, part(view(buf, esp, covered(buf, esp, trailerEnd, seq, esn))));
            buf.setBytes(trailerEnd, icv, 0, icvLength);
        }
        return esp;
    }

    /** {@link #open(ByteBuf, int, int, long, boolean)} for an SA without extended sequence numbers. */
    public int open(ByteBuf buf, int esp, int end) throws DriverFailure {
        return open(buf, esp, end, 0, false);
    }

    /**
     * Decapsulates ESP at {@code [esp, end)}: checks the ICV, decrypts in place, checks the
     * padding. With {@code esn}, {@code seq} is the sequence number the replay window inferred
     * for this packet (RFC 4303 Appendix A2.2); its high 32 bits enter the ICV, its low 32 bits
     * are those on the wire. Returns the payload start and sets the writer index to the payload
     * end; the next header is {@link #nextHeader()}. Returns -1 on a drop ({@link #lastDrop()} says why).
     */
    public int open(ByteBuf buf, int esp, int end, long seq, boolean esn) throws DriverFailure {
        int start = esp + headerLength();
        int encLength = end - icvLength - start;
        if (encLength < EspLayout.TRAILER || end - esp < headerLength() + icvLength + EspLayout.TRAILER) {
            return drop(Drop.TRUNCATED);
        }
        if (encLength % Math.max(4, blockSize) != 0) {
            return drop(Drop.BAD_LENGTH);
        }
        long full = (seq & 0xFFFF_FFFF_0000_0000L) | EspLayout.sequence(buf, esp);
        if (aead != null) {
            buf.getBytes(esp + EspLayout.HEADER, iv);
            System.arraycopy(salt, 0, nonce, 0, 4);
            System.arraycopy(iv, 0, nonce, 4, 8);
            if (!aead.open(nonce, aad(buf, esp, full, esn), view(buf, start, encLength + icvLength), encLength)) {
                return drop(Drop.BAD_ICV);
            }
        } else {
            if (mac != null) {
                int icvAt = end - icvLength;
                buf.getBytes(icvAt, icv, 0, icvLength);
                // the received ICV is saved: its place may now hold the implicit high sequence bits
                if (!mac.verify(icv, 0, part(view(buf, esp, covered(buf, esp, icvAt, full, esn))))) {
                    return drop(Drop.BAD_ICV);
                }
            }
            if (ivLength > 0) {
                buf.getBytes(esp + EspLayout.HEADER, iv);
            }
            cipher.decrypt(iv, view(buf, start, encLength));
        }
        int trailerEnd = start + encLength;
        int pad = EspLayout.checkTrailer(buf, start, trailerEnd);
        if (pad < 0) {
            return drop(Drop.BAD_PADDING);
        }
        nextHeader = EspLayout.nextHeader(buf, trailerEnd);
        buf.writerIndex(trailerEnd - EspLayout.TRAILER - pad);
        return start;
    }

    /**
     * The GCM AAD: SPI and sequence number as sent, or with ESN SPI and the 64-bit sequence
     * number (RFC 4106 section 5).
     */
    private byte[] aad(ByteBuf buf, int esp, long seq, boolean esn) {
        if (!esn) {
            buf.getBytes(esp, aad, 0, 8);
            return aad;
        }
        buf.getBytes(esp, aadEsn, 0, 4);
        for (int i = 0; i < 8; i++) {
            aadEsn[4 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return aadEsn;
    }

    /**
     * Length of the bytes from {@code esp} that the HMAC covers when the ICV goes at
     * {@code icvAt}. With ESN the high 32 sequence bits are written at {@code icvAt} (where the
     * ICV is about to go, or was read from) and covered too: RFC 4303 section 3.3.2.1 appends
     * them after the trailer for the ICV computation only.
     */
    private static int covered(ByteBuf buf, int esp, int icvAt, long seq, boolean esn) {
        if (!esn) {
            return icvAt - esp;
        }
        buf.setInt(icvAt, (int) (seq >>> 32));
        return icvAt - esp + 4;
    }

    /**
     * The bytes {@code [index, index + length)} of {@code buf} as the channels take them: for a
     * heap buffer one ByteBuffer over its array, kept and re-pointed instead of a new one per
     * packet (the channels use a view only during the call that gets it).
     */
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

    private ByteBuffer[] part(ByteBuffer only) {
        macParts[0] = only;
        return macParts;
    }

    /** Next header of the last packet opened (4 = IPv4 in tunnel mode). */
    public int nextHeader() {
        return nextHeader;
    }

    private int drop(Drop d) {
        lastDrop = d;
        return -1;
    }

    public Drop lastDrop() {
        return lastDrop;
    }

    @Override
    public IpsecProtocol protocol() {
        return IpsecProtocol.ESP;
    }

    @Override
    public int headroom() {
        return headerLength();
    }

    @Override
    public int tailroom() {
        return maxTrailer();
    }

    @Override
    public void seal(Sealing s) throws DriverFailure {
        s.start = seal(s.buf, s.start, s.end, s.next, s.spi, s.seq, s.esn);
        s.end = s.buf.writerIndex();
        s.next = io.argate.ip.packet.Ipv4.PROTO_ESP;
    }

    @Override
    public long wireSequence(ByteBuf buf, int hdr) {
        return EspLayout.sequence(buf, hdr);
    }

    @Override
    public IpsecCounter open(Opening o, long seq, boolean esn) throws DriverFailure {
        int start = open(o.cur, o.hdr, o.end, seq, esn);
        if (start < 0) {
            return switch (lastDrop) {
                case BAD_ICV -> IpsecCounter.IN_BAD_ICV;
                case BAD_PADDING -> IpsecCounter.IN_BAD_PADDING;
                case TRUNCATED -> IpsecCounter.IN_TRUNCATED;
                default -> IpsecCounter.IN_BAD_LENGTH;
            };
        }
        o.proto = nextHeader;
        o.hdr = start;
        o.end = o.cur.writerIndex();
        return null;
    }

    @Override
    public Transform fork() throws DriverFailure {
        if (aead != null) {
            AeadChannel a = aead.fork();
            return a == null ? null : new EspTransform(enc, hash, null, null, a, salt, ivSource.fork(), channelText);
        }
        CipherChannel c = cipher.fork();
        MacChannel m = mac == null ? null : mac.fork();
        if (c == null || (mac != null && m == null)) {
            closeQuietly(c == cipher ? null : c);
            closeQuietly(m);
            return null;
        }
        return new EspTransform(enc, hash, c, m, null, null, ivSource.fork(), channelText);
    }

    @Override
    public void close() {
        closeQuietly(cipher);
        closeQuietly(mac);
        closeQuietly(aead);
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // an ENCO channel's close cannot fail in a way the path could act on
        }
    }

    @Override
    public SaDetails view() {
        String e = enc.keyword();
        String h = hash.keyword();
        String c = channelText;
        return () -> List.of(new String[]{"Encryption algorithm", e}, new String[]{"Hash algorithm", h}, new String[]{"ENCO channel", c});
    }
}
