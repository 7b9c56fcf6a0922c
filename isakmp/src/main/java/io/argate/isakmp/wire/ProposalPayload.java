package io.argate.isakmp.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Proposal payload (RFC 2408 section 3.5), carried inside an SA payload, followed by its
 * transforms. Proposals with the same number are applied together (ESP and AH of one bundle);
 * different numbers are alternatives (RFC 2408 section 4.2).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        SPI (variable)                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        Transforms ...                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The transform count must equal the transforms present, each transform's Next Payload must be
 * 3 except the last one's 0, and the transforms must end exactly where the proposal does.
 */
public record ProposalPayload(int number, int protocolId, byte[] spi, List<TransformPayload> transforms) implements Payload {
    public ProposalPayload {
        spi = spi.clone();
        transforms = List.copyOf(transforms);
        if (spi.length > 255 || transforms.size() > 255) {
            throw new IllegalArgumentException("SPI or transform count does not fit one byte");
        }
    }

    @Override
    public int type() {
        return PayloadType.PROPOSAL;
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    /** The SPI as a 32-bit number (ESP, AH), or the CPI for a 2-byte IPComp SPI. */
    public int spiValue() {
        int v = 0;
        for (byte b : spi) {
            v = v << 8 | b & 0xff;
        }
        return v;
    }

    public static ProposalPayload decode(byte[] body) throws WireException {
        WireReader r = WireReader.of(body, WireException.Reason.BAD_PROPOSAL);
        int number = r.u8("proposal number");
        int protocol = r.u8("protocol id");
        int spiSize = r.u8("SPI size");
        int count = r.u8("transform count");
        byte[] spi = r.bytes(spiSize, "SPI");
        List<TransformPayload> ts = new ArrayList<>();
        int next = count == 0 ? PayloadType.NONE : PayloadType.TRANSFORM;
        WireReader tr = new WireReader(body, r.position(), body.length, WireException.Reason.BAD_TRANSFORM);
        for (int i = 0; i < count; i++) {
            int myNext = tr.u8("transform header");
            tr.u8("reserved");
            int length = tr.u16("transform length");
            if (length < 8) {
                throw new WireException(WireException.Reason.BAD_TRANSFORM, "transform length " + length + " is below 8");
            }
            ts.add(TransformPayload.decode(tr.bytes(length - 4, "transform " + (i + 1))));
            int expected = i == count - 1 ? PayloadType.NONE : PayloadType.TRANSFORM;
            if (myNext != expected) {
                throw new WireException(WireException.Reason.BAD_PROPOSAL, "transform " + (i + 1) + " of " + count
                        + " has next payload " + myNext + ", expected " + expected);
            }
        }
        if (tr.remaining() != 0) {
            throw new WireException(WireException.Reason.BAD_PROPOSAL, tr.remaining() + " bytes after the "
                    + count + " transforms the proposal announces");
        }
        return new ProposalPayload(number, protocol, spi, ts);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u8(number).u8(protocolId).u8(spi.length).u8(transforms.size()).bytes(spi);
        for (int i = 0; i < transforms.size(); i++) {
            int at = w.length();
            w.u8(i == transforms.size() - 1 ? PayloadType.NONE : PayloadType.TRANSFORM).u8(0).u16(0);
            transforms.get(i).encodeBody(w);
            w.patch16(at + 2, w.length() - at);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProposalPayload p && p.number == number && p.protocolId == protocolId && Arrays.equals(p.spi, spi)
                && p.transforms.equals(transforms);
    }

    @Override
    public int hashCode() {
        return number * 31 + protocolId;
    }
}
