package io.argate.ip.packet;

import io.netty.buffer.ByteBuf;

/**
 * The virtio-net header (struct virtio_net_hdr, Virtio 1.x section 5.1.6; linux/virtio_net.h)
 * that a TUN device opened with IFF_VNET_HDR puts in front of every packet: how the kernel left
 * the packet's checksum (NEEDS_CSUM: only the pseudo-header is summed, the rest is for whoever
 * sends it) and whether it is a super-packet to cut into {@code gsoSize}-byte segments: TCP
 * (TSO) or, since Linux 6.2, UDP (USO: {@link #GSO_UDP_L4}, a run of equal-size datagrams of one
 * socket, the last one possibly shorter, as a UDP_SEGMENT sender writes them).
 * Ten bytes, fields in the host's byte order (the legacy layout a TUN device uses unless told
 * TUNSETVNETBE), which on every platform argate runs on is little-endian.
 *
 * <p>Mutable so a receive thread reuses one per packet: the data path allocates none.
 */
public final class VirtioNetHeader {
    public static final int SIZE = 10;
    /** flags: the checksum at csumStart + csumOffset still has to be completed. */
    public static final int F_NEEDS_CSUM = 1;
    /** flags: the kernel verified the checksum (receive only; nothing to do). */
    public static final int F_DATA_VALID = 2;
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    /** UDP segmentation offload (virtio 1.2 VIRTIO_NET_HDR_GSO_UDP_L4): each segment is a datagram of its own. */
    public static final int GSO_UDP_L4 = 5;
    /** UDP's checksum field, bytes into its header: the csumOffset a UDP super-packet carries. */
    public static final int UDP_CSUM_OFFSET = 6;
    /** gso_type bit: the super-packet carries ECN's CWR, which only its first segment keeps. */
    public static final int GSO_ECN = 0x80;

    private int flags;
    private int gsoType;
    private int headerLength;
    private int gsoSize;
    private int csumStart;
    private int csumOffset;

    /** A header that says nothing: checksum complete, not a super-packet. */
    public VirtioNetHeader clear() {
        flags = 0;
        gsoType = GSO_NONE;
        headerLength = 0;
        gsoSize = 0;
        csumStart = 0;
        csumOffset = 0;
        return this;
    }

    public VirtioNetHeader set(int flags, int gsoType, int headerLength, int gsoSize, int csumStart, int csumOffset) {
        this.flags = flags & 0xff;
        this.gsoType = gsoType & 0xff;
        this.headerLength = headerLength & 0xffff;
        this.gsoSize = gsoSize & 0xffff;
        this.csumStart = csumStart & 0xffff;
        this.csumOffset = csumOffset & 0xffff;
        return this;
    }

    public VirtioNetHeader copyFrom(VirtioNetHeader o) {
        return set(o.flags, o.gsoType, o.headerLength, o.gsoSize, o.csumStart, o.csumOffset);
    }

    /** Reads the ten bytes at {@code at}. */
    public VirtioNetHeader decode(ByteBuf b, int at) {
        return set(b.getUnsignedByte(at), b.getUnsignedByte(at + 1), b.getUnsignedShortLE(at + 2), b.getUnsignedShortLE(at + 4),
                b.getUnsignedShortLE(at + 6), b.getUnsignedShortLE(at + 8));
    }

    /** Writes the ten bytes at {@code at}. */
    public void encode(ByteBuf b, int at) {
        b.setByte(at, flags);
        b.setByte(at + 1, gsoType);
        b.setShortLE(at + 2, headerLength);
        b.setShortLE(at + 4, gsoSize);
        b.setShortLE(at + 6, csumStart);
        b.setShortLE(at + 8, csumOffset);
    }

    public int flags() {
        return flags;
    }

    /** The GSO type without the ECN bit. */
    public int gsoType() {
        return gsoType & ~GSO_ECN;
    }

    public boolean ecn() {
        return (gsoType & GSO_ECN) != 0;
    }

    public int headerLength() {
        return headerLength;
    }

    public int gsoSize() {
        return gsoSize;
    }

    public int csumStart() {
        return csumStart;
    }

    public int csumOffset() {
        return csumOffset;
    }

    public boolean needsChecksum() {
        return (flags & F_NEEDS_CSUM) != 0;
    }

    /** A super-packet (TCP or UDP) the kernel asks to be cut into {@link #gsoSize()}-byte segments. */
    public boolean superPacket() {
        return gsoType() != GSO_NONE;
    }

    /** A UDP super-packet: datagrams of {@link #gsoSize()} payload bytes each, sent as one. */
    public boolean udpSuperPacket() {
        return gsoType() == GSO_UDP_L4;
    }

    /** Something is left to do before the packet is an ordinary one: a checksum, segmentation or both. */
    public boolean pending() {
        return needsChecksum() || superPacket();
    }

    @Override
    public String toString() {
        return "vnet[flags=" + flags + " gso=" + gsoType + " hdr=" + headerLength + " size=" + gsoSize + " csum=" + csumStart + "+" + csumOffset + "]";
    }
}
