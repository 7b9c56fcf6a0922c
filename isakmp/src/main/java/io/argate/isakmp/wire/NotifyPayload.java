package io.argate.isakmp.wire;

import java.util.Arrays;

/**
 * Notification payload (RFC 2408 section 3.14).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Security Parameter Index (SPI)                 ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Notification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record NotifyPayload(int doi, int protocol, byte[] spi, int notifyType, byte[] data) implements Payload {
    public NotifyPayload {
        spi = spi.clone();
        data = data.clone();
    }

    public static NotifyPayload of(int protocol, byte[] spi, int notifyType, byte[] data) {
        return new NotifyPayload(Doi.IPSEC, protocol, spi, notifyType, data);
    }

    @Override
    public int type() {
        return PayloadType.NOTIFY;
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public static NotifyPayload decode(byte[] body) throws WireException {
        WireReader r = WireReader.of(body, WireException.Reason.BAD_PAYLOAD_BODY);
        int doi = r.u32("DOI");
        int protocol = r.u8("protocol");
        int spiSize = r.u8("SPI size");
        int type = r.u16("notify type");
        byte[] spi = r.bytes(spiSize, "SPI");
        return new NotifyPayload(doi, protocol, spi, type, r.rest());
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u32(doi).u8(protocol).u8(spi.length).u16(notifyType).bytes(spi).bytes(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotifyPayload n && n.doi == doi && n.protocol == protocol && n.notifyType == notifyType
                && Arrays.equals(n.spi, spi) && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return notifyType;
    }

    @Override
    public String toString() {
        return "N[" + NotifyType.REGISTRY.display(notifyType) + "]";
    }
}
