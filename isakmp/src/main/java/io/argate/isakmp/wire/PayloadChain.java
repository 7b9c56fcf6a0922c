package io.argate.isakmp.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The chain of payloads after the header (RFC 2408 section 3.2): each generic header names the
 * next payload's type; the last one names 0. Decoding keeps, beside each payload, its raw bytes
 * with the generic header, because Quick Mode and Informational hashes cover payloads as sent
 * (RFC 2409 sections 5.5 and 5.7).
 */
public final class PayloadChain {
    /** No exchange uses more; a longer chain is an attack on the decoder, not a message. */
    public static final int MAX_PAYLOADS = 64;

    /** The decoded chain: payloads and, index by index, their raw bytes; {@code padding} after an encrypted body's last payload. */
    public record Decoded(List<Payload> payloads, List<byte[]> raw, int padding) {
    }

    private PayloadChain() {
    }

    /**
     * Decodes the chain starting with {@code first} in {@code body[from, end)}. In a clear body
     * nothing may follow the last payload; in a decrypted one the rest is padding (RFC 2409
     * section 5.3), which must be shorter than 256 bytes.
     */
    public static Decoded decode(int first, byte[] body, int from, int end, boolean paddingAllowed) throws WireException {
        List<Payload> payloads = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        int pos = from;
        int type = first;
        while (type != PayloadType.NONE) {
            if (payloads.size() == MAX_PAYLOADS) {
                throw new WireException(WireException.Reason.TOO_MANY_PAYLOADS, "over " + MAX_PAYLOADS);
            }
            if (end - pos < 4) {
                throw new WireException(WireException.Reason.PAYLOAD_HEADER_TRUNCATED, PayloadType.REGISTRY.name(type)
                        + " payload header at offset " + pos);
            }
            int next = body[pos] & 0xff;
            int length = (body[pos + 2] & 0xff) << 8 | body[pos + 3] & 0xff;
            if (length < 4 || length > end - pos) {
                throw new WireException(WireException.Reason.PAYLOAD_LENGTH, PayloadType.REGISTRY.name(type) + " payload length "
                        + length + " at offset " + pos + " with " + (end - pos) + " bytes left");
            }
            byte[] bodyBytes = Arrays.copyOfRange(body, pos + 4, pos + length);
            payloads.add(decodeBody(type, bodyBytes));
            raw.add(Arrays.copyOfRange(body, pos, pos + length));
            pos += length;
            type = next;
        }
        int rest = end - pos;
        if (rest != 0 && (!paddingAllowed || rest > 255)) {
            throw new WireException(WireException.Reason.TRAILING_BYTES, rest + " bytes");
        }
        return new Decoded(List.copyOf(payloads), List.copyOf(raw), rest);
    }

    /** One payload body by its type; an unknown type is kept as {@link UnknownPayload}. */
    public static Payload decodeBody(int type, byte[] body) throws WireException {
        return switch (type) {
            case PayloadType.SA -> SaPayload.decode(body);
            case PayloadType.PROPOSAL -> ProposalPayload.decode(body);
            case PayloadType.TRANSFORM -> TransformPayload.decode(body);
            case PayloadType.KE -> KePayload.decode(body);
            case PayloadType.ID -> IdPayload.decode(body);
            case PayloadType.CERT, PayloadType.CR -> CertPayload.decode(type, body);
            case PayloadType.HASH -> HashPayload.decode(body);
            case PayloadType.SIG -> SigPayload.decode(body);
            case PayloadType.NONCE -> NoncePayload.decode(body);
            case PayloadType.NOTIFY -> NotifyPayload.decode(body);
            case PayloadType.DELETE -> DeletePayload.decode(body);
            case PayloadType.VID -> VendorIdPayload.decode(body);
            case PayloadType.ATTR -> AttrPayload.decode(body);
            case PayloadType.NAT_D, PayloadType.NAT_D_DRAFT -> NatDPayload.decode(type, body);
            case PayloadType.NAT_OA, PayloadType.NAT_OA_DRAFT -> NatOaPayload.decode(type, body);
            default -> new UnknownPayload(type, body);
        };
    }

    /** Encodes payloads with their generic headers, each naming the next one's type. */
    public static byte[] encode(List<? extends Payload> payloads) {
        WireWriter w = new WireWriter();
        for (int i = 0; i < payloads.size(); i++) {
            int at = w.length();
            w.u8(i + 1 < payloads.size() ? payloads.get(i + 1).type() : PayloadType.NONE).u8(0).u16(0);
            payloads.get(i).encodeBody(w);
            int len = w.length() - at;
            if (len > 0xffff) {
                throw new IllegalArgumentException(PayloadType.REGISTRY.name(payloads.get(i).type()) + " payload of " + len + " bytes");
            }
            w.patch16(at + 2, len);
        }
        return w.toBytes();
    }
}
