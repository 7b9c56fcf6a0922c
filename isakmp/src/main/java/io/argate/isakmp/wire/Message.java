package io.argate.isakmp.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * One ISAKMP message: its header and its payloads in order, with their raw bytes. A clear
 * message decodes in one step ({@link #decodeClear}); an encrypted one is decoded by the
 * exchange after it decrypted the body ({@link #decodeBody}).
 */
public record Message(IsakmpHeader header, List<Payload> payloads, List<byte[]> raw) {
    public Message {
        payloads = List.copyOf(payloads);
        raw = List.copyOf(raw);
    }

    public static Message decodeClear(IsakmpHeader h, byte[] message) throws WireException {
        PayloadChain.Decoded d = PayloadChain.decode(h.nextPayload(), message, IsakmpHeader.LENGTH, message.length, false);
        return new Message(h, d.payloads(), d.raw());
    }

    /** A decrypted body: padding after the last payload is allowed. */
    public static Message decodeBody(IsakmpHeader h, byte[] plain) throws WireException {
        PayloadChain.Decoded d = PayloadChain.decode(h.nextPayload(), plain, 0, plain.length, true);
        return new Message(h, d.payloads(), d.raw());
    }

    /** Encodes a clear message: header with the right next-payload and length, then the chain. */
    public static byte[] encodeClear(IsakmpHeader h, List<? extends Payload> payloads) {
        byte[] body = PayloadChain.encode(payloads);
        return frame(h.withNextPayload(payloads.isEmpty() ? PayloadType.NONE : payloads.get(0).type()), body);
    }

    /** Header (length set to fit) followed by an already encoded or encrypted body. */
    public static byte[] frame(IsakmpHeader h, byte[] body) {
        WireWriter w = new WireWriter();
        h.withLength(IsakmpHeader.LENGTH + body.length).encode(w);
        w.bytes(body);
        return w.toBytes();
    }

    /** The payloads of one type, in order. */
    @SuppressWarnings("unchecked")
    public <P extends Payload> List<P> all(Class<P> type) {
        List<P> out = new ArrayList<>();
        for (Payload p : payloads) {
            if (type.isInstance(p)) {
                out.add((P) p);
            }
        }
        return out;
    }

    /** The first payload of a class, or null. */
    public <P extends Payload> P first(Class<P> type) {
        for (Payload p : payloads) {
            if (type.isInstance(p)) {
                return type.cast(p);
            }
        }
        return null;
    }

    /** The raw bytes (with generic headers) of every payload after index {@code i}. */
    public byte[] rawAfter(int i) {
        WireWriter w = new WireWriter();
        for (int j = i + 1; j < raw.size(); j++) {
            w.bytes(raw.get(j));
        }
        return w.toBytes();
    }
}
