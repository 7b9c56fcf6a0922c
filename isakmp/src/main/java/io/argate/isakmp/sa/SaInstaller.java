package io.argate.isakmp.sa;

import io.argate.ipsec.spec.IpsecProtocol;

/**
 * The daemon's side of the IPsec SAD: reserving inbound SPIs before Quick Mode offers them,
 * installing what Quick Mode agreed, removing SAs a peer deleted. The router uses
 * {@link SadInstaller}; every call runs on the control loop.
 */
public interface SaInstaller {
    /** A fresh inbound SPI (256 and above), held until installed or expired. */
    int reserveSpi(IpsecProtocol protocol);

    /** Builds and installs the bundle; returns its SHOW IPSEC SA id. Throws IllegalStateException when it cannot. */
    int install(NegotiatedBundle bundle);

    /**
     * Builds and installs the bundle receiving only: its outbound SAs are not used until
     * {@link #activate}. The Quick Mode responder's step at message 2; returns the bundle's id.
     */
    int installInbound(NegotiatedBundle bundle);

    /** Lets a bundle from {@link #installInbound} send; false when it is gone. */
    boolean activate(int bundleId);

    /** True when the IPsec policy has a bundle that sends (PRENEGOTIATE keys only policies that have none). */
    boolean sending(String policy);

    /** The bundles of an IPsec policy, oldest first. */
    java.util.List<InstalledBundle> bundles(String policy);

    /** Removes one bundle (a superseded one after a rekey); false when it is gone already. */
    boolean remove(int bundleId);

    /** Removes the bundle that owns this inbound or outbound SPI; false when none does. */
    boolean delete(IpsecProtocol protocol, int spi);

    /**
     * Packets received so far on the inbound SAs of each peer's bundles, by peer address: counter
     * reads with no lock on the data path, one pass over the SAD; liveness compares two reads to
     * tell whether a tunnel was idle.
     */
    java.util.Map<Integer, Long> inboundPackets();

    /** Removes every bundle to this peer (a dead peer, or one replaced by INITIAL-CONTACT); returns how many went. */
    int clearPeer(int peer);

    /** ESP-in-UDP to this peer goes to its new port from now on (its NAT mapping changed). */
    void followPeerPort(int peer, int port);

    /**
     * The peer address whose live bundles a policy has, or empty when it has none: a PEER=DYNAMIC
     * policy stays bound to that address while they live (seed 003: "ISAKMPの認証をパスした相手のアドレス").
     */
    java.util.OptionalInt boundPeer(String policy);
}
