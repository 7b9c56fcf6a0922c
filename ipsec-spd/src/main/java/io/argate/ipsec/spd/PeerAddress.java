package io.argate.ipsec.spd;

/**
 * PEERADDRESS of a policy: a fixed address, ANY, or DYNAMIC ("the address that passed ISAKMP
 * authentication", seed 003).
 *
 * @param kind    which form
 * @param address the IPv4 address when FIXED
 */
public record PeerAddress(Kind kind, int address) {
    public enum Kind {
        FIXED, ANY, DYNAMIC
    }

    public static final PeerAddress ANY = new PeerAddress(Kind.ANY, 0);
    public static final PeerAddress DYNAMIC = new PeerAddress(Kind.DYNAMIC, 0);

    public static PeerAddress of(int address) {
        return new PeerAddress(Kind.FIXED, address);
    }

    @Override
    public String toString() {
        return kind == Kind.FIXED ? AddressSpec.dotted(address) : kind.name();
    }
}
