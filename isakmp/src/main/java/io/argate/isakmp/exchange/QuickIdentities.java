package io.argate.isakmp.exchange;

import io.argate.ipsec.spd.AddressSelector;
import io.argate.ipsec.spd.AddressSpec;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.ipsec.spd.PortSelector;
import io.argate.isakmp.wire.Doi;
import io.argate.isakmp.wire.IdPayload;

/**
 * Phase 2 identities (RFC 2409 section 5.5, RFC 2407 section 4.6.2): the initiator sends its
 * policy's selectors (or LNAME/RNAME, "the peer's phase 2 ID", seed 003) as IDci and IDcr; the
 * responder finds the IPsec policy whose selectors are those IDs, mirrored.
 */
final class QuickIdentities {
    private QuickIdentities() {
    }

    static IdPayload local(IpsecPolicy p) {
        return p.localName() != null && !p.localName().equalsIgnoreCase("ANY") ? IdPayload.name(p.localName())
                : of(p.local().selector(), p.transportProtocol(), p.localPort());
    }

    static IdPayload remote(IpsecPolicy p) {
        return p.remoteName() != null && !p.remoteName().equalsIgnoreCase("ANY") ? IdPayload.name(p.remoteName())
                : of(p.remote().selector(), p.transportProtocol(), p.remotePort());
    }

    static IdPayload of(AddressSelector s, int protocol, int port) {
        int proto = protocol == PortSelector.ANY ? 0 : protocol;
        int prt = port < 0 ? 0 : port;
        if (s.first() == s.last()) {
            return new IdPayload(Doi.ID_IPV4_ADDR, proto, prt, IdPayload.ipv4(s.first()).data());
        }
        if (s.isPrefix()) {
            int len = s.prefixes().get(0)[1];
            int mask = len == 0 ? 0 : -1 << (32 - len);
            return IdPayload.subnet(s.first(), mask, proto, prt);
        }
        return IdPayload.range(s.first(), s.last(), proto, prt);
    }

    /**
     * True when the IDs would only repeat the ISAKMP SA's own addresses (every protocol and
     * port): RFC 2409 section 5.5 lets the initiator leave them out then, and the peer takes the
     * phase 1 addresses. SENDIDALWAYS sends them anyway, for peers that insist.
     */
    static boolean hostToHost(IdPayload idci, IdPayload idcr, int local, int peer) {
        return host(idci, local) && host(idcr, peer);
    }

    private static boolean host(IdPayload id, int address) {
        return id.idType() == Doi.ID_IPV4_ADDR && id.word(0) == address && id.protocol() == 0 && id.port() == 0;
    }

    /** The address range an ID names, or null for a name. */
    static AddressSelector range(IdPayload id) {
        return switch (id.idType()) {
            case Doi.ID_IPV4_ADDR -> new AddressSelector(id.word(0), id.word(0));
            case Doi.ID_IPV4_ADDR_SUBNET -> AddressSelector.masked(id.word(0), id.word(4));
            case Doi.ID_IPV4_ADDR_RANGE -> Integer.compareUnsigned(id.word(0), id.word(4)) <= 0 ? new AddressSelector(id.word(0), id.word(4)) : null;
            default -> null;
        };
    }

    /** True when the policy applies to this peer (PEER fixed, DYNAMIC = the authenticated address, ANY). */
    static boolean peerMatches(IpsecPolicy p, int peer) {
        return p.peer().kind() != PeerAddress.Kind.FIXED || p.peer().address() == peer;
    }

    /**
     * How well a policy side matches an ID: 2 exactly, 1 contains it, 0 not at all. A name
     * matches LNAME/RNAME (case-insensitive).
     */
    static int score(AddressSpec spec, String name, int protocol, int port, IdPayload id) {
        if (id.idType() == Doi.ID_FQDN || id.idType() == Doi.ID_USER_FQDN) {
            return name != null && name.equalsIgnoreCase(id.text()) ? 2 : 0;
        }
        AddressSelector r = range(id);
        if (r == null) {
            return 0;
        }
        if (id.protocol() != 0 && protocol != PortSelector.ANY && id.protocol() != protocol
                || id.protocol() == 0 && protocol != PortSelector.ANY) {
            return 0;
        }
        if (id.port() != 0 && port >= 0 && id.port() != port || id.port() == 0 && port >= 0) {
            return 0;
        }
        AddressSelector mine = spec.selector();
        if (mine.equals(r)) {
            return 2;
        }
        return mine.contains(r.first()) && mine.contains(r.last()) ? 1 : 0;
    }
}
