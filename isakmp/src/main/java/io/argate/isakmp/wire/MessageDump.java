package io.argate.isakmp.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * ENABLE ISAKMP DEBUG=PKT: one ISAKMP message decoded into the lines the AR410 prints (seed 003,
 * "ISAKMP Tx Message" sample): the header (cookies, exchange type, version, flags, message ID,
 * length), then each payload with its fields and, for SA payloads, every proposal and transform
 * with the transform attributes by name ({@code Encryption Algorithm........... DES(1)}).
 *
 * <p>It works from the bytes alone and never throws: a message too short for its header, a
 * payload running past the end or a body that does not fit its layout prints what could be read
 * and then one line saying where decoding stopped, so a malformed message is as visible in the
 * debug output as a good one. An encrypted body prints as its length; the daemon, which holds
 * the keys, adds the decrypted payloads with {@link #decrypted}.
 */
public final class MessageDump {
    /** The AR pads a transform attribute's name with dots to this column, then a space and the value. */
    static final int LABEL_WIDTH = 31;
    /** Opaque data longer than this prints as its length at DEBUG=PKT (PKTRAW prints every byte). */
    static final int SHORT_DATA = 64;
    /** Hex bytes per PKTRAW line. */
    static final int RAW_LINE = 32;

    private static final HexFormat HEX = HexFormat.of();

    private final List<String> out = new ArrayList<>();
    private final boolean raw;

    private MessageDump(boolean raw) {
        this.raw = raw;
    }

    /**
     * A whole message as sent or received: {@code title} ({@code ISAKMP Tx Message}), the header,
     * then the payloads when the body is in the clear, or the encrypted body's length.
     *
     * @param raw PKTRAW: the message's bytes in hex after the decode
     */
    public static List<String> message(String title, byte[] message, boolean raw) {
        MessageDump d = new MessageDump(raw);
        d.out.add(title);
        d.message(message);
        if (raw) {
            d.hex("Message bytes:", message, 0, message.length);
        }
        return List.copyOf(d.out);
    }

    /**
     * The payloads of an encrypted message in the clear: {@code title} says which side of the
     * cipher ("Decrypted Payloads:"), {@code firstPayload} is the header's next payload,
     * {@code plain} the body (padding after the last payload allowed, RFC 2409 section 5.3).
     */
    public static List<String> decrypted(String title, int firstPayload, byte[] plain, boolean raw) {
        MessageDump d = new MessageDump(raw);
        d.out.add(title);
        d.chain(firstPayload, plain, 0, plain.length, true);
        if (raw) {
            d.hex("Decrypted bytes:", plain, 0, plain.length);
        }
        return List.copyOf(d.out);
    }

    // ---- the header (RFC 2408 section 3.1) ----

    private void message(byte[] m) {
        if (m.length < IsakmpHeader.LENGTH) {
            stop("the message has " + m.length + " bytes, the ISAKMP header needs " + IsakmpHeader.LENGTH);
            return;
        }
        // read field by field rather than through IsakmpHeader.decode, which refuses (rightly, for
        // the exchange) a version or length that the debug output must still show
        ByteBuffer b = ByteBuffer.wrap(m);
        long icookie = b.getLong();
        long rcookie = b.getLong();
        int next = b.get() & 0xff;
        int version = b.get() & 0xff;
        int xchg = b.get() & 0xff;
        int flags = b.get() & 0xff;
        int mid = b.getInt();
        long length = b.getInt() & 0xffffffffL;
        out.add(String.format("Cookie's: %016x:%016x", icookie, rcookie));
        out.add(String.format("Xchg Type: %s Ver: %02x Flags: %02x", ExchangeType.REGISTRY.display(xchg), version, flags));
        out.add(String.format("MessageID: %08x Total Length: %d", mid, length));
        if (length != m.length) {
            out.add("Length mismatch: the header says " + length + " bytes, the message has " + m.length);
        }
        int end = (int) Math.min(length, m.length);
        if (end < IsakmpHeader.LENGTH) {
            end = m.length;
        }
        if ((flags & IsakmpHeader.FLAG_ENCRYPTION) != 0) {
            out.add("Encrypted Payloads: " + (m.length - IsakmpHeader.LENGTH) + " bytes, first "
                    + PayloadType.longName(next));
            return;
        }
        chain(next, m, IsakmpHeader.LENGTH, end, false);
    }

    // ---- the payload chain (RFC 2408 section 3.2) ----

    private void chain(int first, byte[] body, int from, int end, boolean paddingAllowed) {
        int pos = from;
        int type = first;
        int index = 0;
        while (type != PayloadType.NONE) {
            if (index == PayloadChain.MAX_PAYLOADS) {
                stop("more than " + PayloadChain.MAX_PAYLOADS + " payloads at offset " + pos);
                return;
            }
            if (end - pos < 4) {
                stop("payload #" + index + " (" + PayloadType.longName(type) + ") header at offset " + pos + " needs 4 bytes, "
                        + (end - pos) + " left");
                return;
            }
            int next = body[pos] & 0xff;
            int length = (body[pos + 2] & 0xff) << 8 | body[pos + 3] & 0xff;
            out.add("Payload #: " + index + " Length: " + length + " Type: " + PayloadType.longName(type));
            if (length < 4 || length > end - pos) {
                stop("payload #" + index + " at offset " + pos + " says " + length + " bytes, " + (end - pos) + " left");
                return;
            }
            byte[] bodyBytes = Arrays.copyOfRange(body, pos + 4, pos + length);
            try {
                payload(PayloadChain.decodeBody(type, bodyBytes));
            } catch (WireException e) {
                // its generic header is sound, so the payloads after it can still be shown
                out.add("Payload #" + index + " not decoded: " + e.getMessage());
            }
            pos += length;
            type = next;
            index++;
        }
        int rest = end - pos;
        if (rest > 0) {
            out.add(paddingAllowed ? "Padding: " + rest + " bytes" : "Trailing bytes: " + rest + " after the last payload");
        }
    }

    private void payload(Payload p) {
        if (p instanceof SaPayload sa) {
            sa(sa);
        } else if (p instanceof KePayload ke) {
            data("Key Exchange Data", ke.data());
        } else if (p instanceof IdPayload id) {
            id(id);
        } else if (p instanceof CertPayload c) {
            out.add("Encoding: " + c.encoding());
            data("Data", c.data());
        } else if (p instanceof HashPayload h) {
            data("Hash", h.data());
        } else if (p instanceof SigPayload sig) {
            data("Signature", sig.data());
        } else if (p instanceof NoncePayload n) {
            data("Nonce", n.data());
        } else if (p instanceof NotifyPayload n) {
            notify(n);
        } else if (p instanceof DeletePayload d) {
            delete(d);
        } else if (p instanceof VendorIdPayload v) {
            data("Vendor ID", v.data());
        } else if (p instanceof AttrPayload a) {
            out.add("Cfg Type: " + CfgType.REGISTRY.display(a.cfgType()) + " Identifier: " + a.identifier());
            for (Attribute at : a.attributes()) {
                field(CfgAttribute.REGISTRY.display(at.type()), cfgValue(at));
            }
        } else if (p instanceof NatDPayload n) {
            data("Hash", n.data());
        } else if (p instanceof NatOaPayload n) {
            out.add("ID Type: " + Doi.ID_TYPE.display(n.idType()) + " Address: " + address(n.address()));
        } else if (p instanceof OpaqueBody o) {
            data("Data", o.data());
        } else {
            data("Data", p.body());
        }
    }

    // ---- SA, proposals, transforms (RFC 2408 sections 3.4-3.6) ----

    private void sa(SaPayload sa) {
        out.add(String.format("DOI: %s Situation: %08x", Doi.DOI.display(sa.doi()), sa.situation()));
        if (!sa.parsed()) {
            out.add("Proposals not decoded (not the IPsec DOI with SIT_IDENTITY_ONLY): " + sa.rest().length + " bytes");
            return;
        }
        for (ProposalPayload p : sa.proposals()) {
            byte[] spi = p.spi();
            out.add("Proposal#: " + p.number() + " Protocol: " + Doi.PROTOCOL.display(p.protocolId()) + " #Trans: "
                    + p.transforms().size() + " SPI:" + (spi.length == 0 ? "" : " " + HEX.formatHex(spi)));
            for (TransformPayload t : p.transforms()) {
                transform(p.protocolId(), t);
            }
        }
    }

    private void transform(int protocol, TransformPayload t) {
        boolean phase1 = protocol == Doi.PROTO_ISAKMP;
        out.add("Transform#: " + t.number());
        // the AR's own label: a space before the dots, unlike the attribute labels
        field("Transform Id ", TransformId.forProtocol(protocol).display(t.transformId()));
        List<Attribute> attrs = t.attributes();
        int lifeType = phase1 ? Phase1Attribute.LIFE_TYPE : Phase2Attribute.LIFE_TYPE;
        int lifeDuration = phase1 ? Phase1Attribute.LIFE_DURATION : Phase2Attribute.LIFE_DURATION;
        int groupDescription = phase1 ? Phase1Attribute.GROUP_DESCRIPTION : Phase2Attribute.GROUP_DESCRIPTION;
        for (int i = 0; i < attrs.size(); i++) {
            Attribute a = attrs.get(i);
            if (a.type() == lifeType && i + 1 < attrs.size() && attrs.get(i + 1).type() == lifeDuration) {
                // the AR folds a life type and the duration after it into one line ("Expiry Seconds")
                long kind = a.asLong();
                String label = kind == 1 ? "Expiry Seconds" : kind == 2 ? "Expiry Kilobytes" : "Expiry UNKNOWN(" + kind + ")";
                field(label, value(attrs.get(i + 1), null));
                i++;
                continue;
            }
            Registry classes = phase1 ? Phase1Attribute.CLASS : Phase2Attribute.CLASS;
            Registry values = phase1 ? Phase1Attribute.values(a.type()) : Phase2Attribute.values(a.type());
            field(classes.name(a.type()), value(a, values));
            // the AR prints the group's type after its description even when the peer sent none:
            // every group it knows (RFC 2409 section 6, RFC 3526) is MODP
            if (phase1 && a.type() == groupDescription && Phase1Attribute.GROUP.known((int) a.asLong())
                    && t.attribute(Phase1Attribute.GROUP_TYPE) == null) {
                field(Phase1Attribute.CLASS.name(Phase1Attribute.GROUP_TYPE), Phase1Attribute.GROUP_KIND.name(Phase1Attribute.GROUP_TYPE_MODP));
            }
        }
    }

    /**
     * A transaction attribute's value as a reader wants it: empty (what a REQUEST asks for),
     * an address, text, a password's length only (DEBUG output reaches terminals and logs),
     * else the number or hex.
     */
    private static String cfgValue(Attribute a) {
        byte[] v = a.value();
        if (!a.basic() && v.length == 0) {
            return "(empty)";
        }
        if (CfgAttribute.secret(a.type())) {
            return "(" + v.length + " bytes, not shown)";
        }
        if (CfgAttribute.textual(a.type())) {
            return "\"" + CfgAttribute.asText(a).replaceAll("\\p{Cntrl}", "?") + "\"";
        }
        if (CfgAttribute.ipv4(a.type()) && v.length == 4) {
            return address(v);
        }
        if (a.type() == CfgAttribute.XAUTH_STATUS && a.basic()) {
            return a.asLong() == CfgAttribute.STATUS_OK ? "OK(1)" : a.asLong() == CfgAttribute.STATUS_FAIL ? "FAIL(0)" : value(a, null);
        }
        if (a.basic() || v.length <= 8) {
            return value(a, null);
        }
        return "0x" + HEX.formatHex(v);
    }

    /** An attribute's value: {@code NAME(n)} from its registry, else the number, else (too long) hex. */
    private static String value(Attribute a, Registry values) {
        long v = a.asLong();
        if (v < 0 || v > Integer.MAX_VALUE && values != null) {
            return "0x" + HEX.formatHex(a.value());
        }
        return values == null ? Long.toString(v) : values.display((int) v);
    }

    // ---- the other payloads ----

    private void id(IdPayload id) {
        out.add("ID Type: " + Doi.ID_TYPE.display(id.idType()) + " Protocol: " + id.protocol() + " Port: " + id.port());
        String text;
        try {
            text = id.text();
        } catch (RuntimeException e) {
            // an address ID whose data has the wrong length: show the bytes instead
            text = "0x" + HEX.formatHex(id.data());
        }
        out.add("ID Data: " + text);
    }

    private void notify(NotifyPayload n) {
        byte[] spi = n.spi();
        out.add("DOI: " + Doi.DOI.display(n.doi()) + " Protocol: " + Doi.PROTOCOL.display(n.protocol()) + " SPI:"
                + (spi.length == 0 ? "" : " " + HEX.formatHex(spi)));
        out.add("Notify Type: " + NotifyType.REGISTRY.display(n.notifyType()));
        if (n.data().length > 0) {
            data("Notify Data", n.data());
        }
    }

    private void delete(DeletePayload d) {
        out.add("DOI: " + Doi.DOI.display(d.doi()) + " Protocol: " + Doi.PROTOCOL.display(d.protocol()) + " SPI Size: "
                + d.spiSize() + " #SPIs: " + d.spis().size());
        for (byte[] spi : d.spis()) {
            out.add("SPI: " + HEX.formatHex(spi));
        }
    }

    private static String address(byte[] a) {
        if (a.length != 4) {
            return "0x" + HEX.formatHex(a);
        }
        return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }

    // ---- line shapes ----

    /** {@code Label.......... value}, the AR's transform attribute line. */
    private void field(String label, String value) {
        out.add(label + ".".repeat(Math.max(0, LABEL_WIDTH - label.length())) + " " + value);
    }

    private void data(String label, byte[] data) {
        out.add(label + ": " + (data.length <= SHORT_DATA ? HEX.formatHex(data) : data.length + " bytes"));
    }

    private void stop(String where) {
        out.add("Decode stopped: " + where);
    }

    private void hex(String title, byte[] b, int from, int to) {
        out.add(title);
        for (int i = from; i < to; i += RAW_LINE) {
            out.add(HEX.formatHex(b, i, Math.min(to, i + RAW_LINE)));
        }
    }
}
