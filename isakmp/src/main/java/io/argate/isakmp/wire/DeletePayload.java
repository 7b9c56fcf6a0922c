package io.argate.isakmp.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Delete payload (RFC 2408 section 3.15): one protocol, one SPI size, and exactly
 * {@code # of SPIs} SPIs of that size; any other length is refused.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Protocol-Id  !   SPI Size    !           # of SPIs           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~               Security Parameter Index(es) (SPI)              ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record DeletePayload(int doi, int protocol, int spiSize, List<byte[]> spis) implements Payload {
    public DeletePayload {
        List<byte[]> copy = new ArrayList<>();
        for (byte[] s : spis) {
            if (s.length != spiSize) {
                throw new IllegalArgumentException("SPI of " + s.length + " bytes in a delete of size " + spiSize);
            }
            copy.add(s.clone());
        }
        spis = List.copyOf(copy);
    }

    @Override
    public int type() {
        return PayloadType.DELETE;
    }

    public static DeletePayload decode(byte[] body) throws WireException {
        WireReader r = WireReader.of(body, WireException.Reason.BAD_PAYLOAD_BODY);
        int doi = r.u32("DOI");
        int protocol = r.u8("protocol");
        int size = r.u8("SPI size");
        int count = r.u16("SPI count");
        if (r.remaining() != size * count) {
            throw new WireException(WireException.Reason.BAD_PAYLOAD_BODY, "delete announces " + count + " SPIs of " + size
                    + " bytes but carries " + r.remaining() + " bytes");
        }
        List<byte[]> spis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            spis.add(r.bytes(size, "SPI"));
        }
        return new DeletePayload(doi, protocol, size, spis);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u32(doi).u8(protocol).u8(spiSize).u16(spis.size());
        spis.forEach(w::bytes);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeletePayload d) || d.doi != doi || d.protocol != protocol || d.spiSize != spiSize || d.spis.size() != spis.size()) {
            return false;
        }
        for (int i = 0; i < spis.size(); i++) {
            if (!Arrays.equals(spis.get(i), d.spis.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return protocol * 31 + spis.size();
    }
}
