package io.argate.ipsec.esp;

import io.argate.enco.spi.DriverFailure;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.sad.SaDetails;
import io.argate.ipsec.spec.IpsecProtocol;
import io.netty.buffer.ByteBuf;

/**
 * What one SA does to a packet: ESP (RFC 4303), AH (RFC 4302) or IPComp (RFC 3173). The data
 * path asks every transform the same things (how much room it needs, seal, open) instead of
 * testing which one it has. Not thread-safe: each receive thread works with its own
 * {@link #fork()} of an SA's transform (one pipeline per core), or, when the channels cannot be
 * duplicated, shares the SA's one under the SA's lock.
 */
public sealed interface Transform permits EspTransform, AhTransform, IpcompTransform {

    IpsecProtocol protocol();

    /** Bytes put in front of what is protected (ESP header and IV, AH, IPComp header); not the IP header. */
    int headroom();

    /** The most bytes added behind it (ESP padding, trailer and ICV). */
    int tailroom();

    /** The most this transform adds to a packet's length (IPComp adds nothing: it only ever shrinks, RFC 3173 2.2). */
    default int overhead() {
        return headroom() + tailroom();
    }

    /** The ICV length, for DEBUG=PACKET's dump (0 when none). */
    default int icvLength() {
        return 0;
    }

    /** Protects the packet in {@code s} in place and moves {@code s} past it. */
    void seal(Sealing s) throws DriverFailure;

    /** The sequence number in the header at {@code hdr} as sent (low 32 bits); 0 for IPComp. */
    default long wireSequence(ByteBuf buf, int hdr) {
        return 0;
    }

    /**
     * Removes this transform's header from the packet in {@code o} (checking its ICV, decrypting,
     * decompressing), with {@code seq} the full sequence number the replay window inferred; null
     * when it passed ({@code o} now points past the header), else the counter of the refusal.
     */
    IpsecCounter open(Opening o, long seq, boolean esn) throws DriverFailure;

    /** SHOW IPSEC SA's lines for this SA's algorithms: a view of its own, not the transform. */
    SaDetails view();

    /**
     * The same transform (keys, algorithms, SPI-independent settings) with channels and scratch
     * of its own, for another thread; null when a channel cannot be duplicated.
     */
    Transform fork() throws DriverFailure;

    /** Gives back the ENCO channels (a fork that is no longer needed, an SA that is gone). */
    void close();
}
