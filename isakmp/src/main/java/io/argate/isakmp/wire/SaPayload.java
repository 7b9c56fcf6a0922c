package io.argate.isakmp.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Security Association payload (RFC 2408 section 3.4) with the IPsec DOI situation
 * (RFC 2407 section 4.6.1), followed by its proposals.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                           Situation                           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                   Proposal payloads ...                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Proposals are parsed for the IPsec DOI with SIT_IDENTITY_ONLY, the only combination IKE uses;
 * for any other DOI or situation the bytes after the situation are kept opaque in {@code rest}
 * (so they survive a round trip) and the exchange answers DOI- or SITUATION-NOT-SUPPORTED.
 */
public record SaPayload(int doi, int situation, List<ProposalPayload> proposals, byte[] rest) implements Payload {
    public SaPayload {
        proposals = List.copyOf(proposals);
        rest = rest.clone();
    }

    public SaPayload(int doi, int situation, List<ProposalPayload> proposals) {
        this(doi, situation, proposals, new byte[0]);
    }

    @Override
    public int type() {
        return PayloadType.SA;
    }

    @Override
    public byte[] rest() {
        return rest.clone();
    }

    /** True when the proposals were parsed (IPsec DOI, identity-only situation). */
    public boolean parsed() {
        return doi == Doi.IPSEC && situation == Doi.SIT_IDENTITY_ONLY;
    }

    public static SaPayload decode(byte[] body) throws WireException {
        WireReader r = WireReader.of(body, WireException.Reason.BAD_PAYLOAD_BODY);
        int doi = r.u32("DOI");
        int situation = r.u32("situation");
        if (doi != Doi.IPSEC || situation != Doi.SIT_IDENTITY_ONLY) {
            return new SaPayload(doi, situation, List.of(), r.rest());
        }
        List<ProposalPayload> ps = new ArrayList<>();
        WireReader pr = new WireReader(body, r.position(), body.length, WireException.Reason.BAD_PROPOSAL);
        int next = PayloadType.PROPOSAL;
        while (next == PayloadType.PROPOSAL) {
            if (ps.size() >= 64) {
                throw new WireException(WireException.Reason.BAD_PROPOSAL, "more than 64 proposals");
            }
            next = pr.u8("proposal header");
            pr.u8("reserved");
            int length = pr.u16("proposal length");
            if (length < 8) {
                throw new WireException(WireException.Reason.BAD_PROPOSAL, "proposal length " + length + " is below 8");
            }
            ps.add(ProposalPayload.decode(pr.bytes(length - 4, "proposal " + (ps.size() + 1))));
            if (next != PayloadType.PROPOSAL && next != PayloadType.NONE) {
                throw new WireException(WireException.Reason.BAD_PROPOSAL, "a proposal's next payload is " + next + ", not 2 or 0");
            }
        }
        if (pr.remaining() != 0) {
            throw new WireException(WireException.Reason.BAD_PROPOSAL, pr.remaining() + " bytes after the last proposal");
        }
        return new SaPayload(doi, situation, ps);
    }

    @Override
    public void encodeBody(WireWriter w) {
        w.u32(doi).u32(situation);
        if (!parsed()) {
            w.bytes(rest);
            return;
        }
        for (int i = 0; i < proposals.size(); i++) {
            int at = w.length();
            w.u8(i == proposals.size() - 1 ? PayloadType.NONE : PayloadType.PROPOSAL).u8(0).u16(0);
            proposals.get(i).encodeBody(w);
            w.patch16(at + 2, w.length() - at);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaPayload s && s.doi == doi && s.situation == situation && s.proposals.equals(proposals)
                && Arrays.equals(s.rest, rest);
    }

    @Override
    public int hashCode() {
        return doi * 31 + proposals.hashCode();
    }
}
