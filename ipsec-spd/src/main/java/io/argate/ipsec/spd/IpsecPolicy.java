package io.argate.ipsec.spd;

import io.argate.ipsec.spec.KeyManagement;

/**
 * One IPsec policy (CREATE/SET IPSEC POLICY, fact sheet 2.2; seed 003 SPD section): where it
 * applies, what it does, to which packets, and how ACTION=IPSEC traffic travels. Immutable;
 * SET builds a changed copy through {@link Builder} and validates it before it replaces this one.
 */
public record IpsecPolicy(
        String name,
        String iface,
        PolicyAction action,
        KeyManagement keyManagement,
        int bundle,
        PeerAddress peer,
        AddressSpec local,
        AddressSpec remote,
        int localPort,
        int remotePort,
        String localName,
        String remoteName,
        int transportProtocol,
        boolean udpTunnel,
        boolean udpHeartbeat,
        int udpPort,
        DfBit dfBit,
        int group,
        String srcInterface,
        boolean respondBadSpi,
        String isakmpPolicy,
        boolean usePfsKey) {

    /** Remote UDP port of ESP over UDP when the policy does not say (seed 003). */
    public static final int DEFAULT_UDP_PORT = io.argate.ip.packet.Ports.UDP_TUNNEL;

    /** The packet-matching rule (names are identities for ISAKMP, not packet fields). */
    public Rule rule() {
        return new Rule(local.selector(), remote.selector(), localPort, remotePort, transportProtocol);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder(String name, String iface, PolicyAction action) {
        return new Builder(new IpsecPolicy(name, iface, action, KeyManagement.ISAKMP, -1, PeerAddress.ANY,
                AddressSpec.ANY, AddressSpec.ANY, PortSelector.ANY, PortSelector.ANY, null, null, PortSelector.ANY,
                false, false, DEFAULT_UDP_PORT, DfBit.COPY, -1, null, false, null, false));
    }

    /** Mutable copy for CREATE and SET; {@link #build()} gives the new immutable policy. */
    public static final class Builder {
        String name;
        String iface;
        PolicyAction action;
        KeyManagement keyManagement;
        int bundle;
        PeerAddress peer;
        AddressSpec local;
        AddressSpec remote;
        int localPort;
        int remotePort;
        String localName;
        String remoteName;
        int transportProtocol;
        boolean udpTunnel;
        boolean udpHeartbeat;
        int udpPort;
        DfBit dfBit;
        int group;
        String srcInterface;
        boolean respondBadSpi;
        String isakmpPolicy;
        boolean usePfsKey;

        Builder(IpsecPolicy p) {
            name = p.name;
            iface = p.iface;
            action = p.action;
            keyManagement = p.keyManagement;
            bundle = p.bundle;
            peer = p.peer;
            local = p.local;
            remote = p.remote;
            localPort = p.localPort;
            remotePort = p.remotePort;
            localName = p.localName;
            remoteName = p.remoteName;
            transportProtocol = p.transportProtocol;
            udpTunnel = p.udpTunnel;
            udpHeartbeat = p.udpHeartbeat;
            udpPort = p.udpPort;
            dfBit = p.dfBit;
            group = p.group;
            srcInterface = p.srcInterface;
            respondBadSpi = p.respondBadSpi;
            isakmpPolicy = p.isakmpPolicy;
            usePfsKey = p.usePfsKey;
        }

        public Builder action(PolicyAction v) { action = v; return this; }
        public Builder keyManagement(KeyManagement v) { keyManagement = v; return this; }
        public Builder bundle(int v) { bundle = v; return this; }
        public Builder peer(PeerAddress v) { peer = v; return this; }
        public Builder local(AddressSpec v) { local = v; return this; }
        public Builder remote(AddressSpec v) { remote = v; return this; }
        public AddressSpec local() { return local; }
        public AddressSpec remote() { return remote; }
        public Builder localPort(int v) { localPort = v; return this; }
        public Builder remotePort(int v) { remotePort = v; return this; }
        public Builder localName(String v) { localName = v; return this; }
        public Builder remoteName(String v) { remoteName = v; return this; }
        public Builder transportProtocol(int v) { transportProtocol = v; return this; }
        public Builder udpTunnel(boolean v) { udpTunnel = v; return this; }
        public Builder udpHeartbeat(boolean v) { udpHeartbeat = v; return this; }
        public Builder udpPort(int v) { udpPort = v; return this; }
        public Builder dfBit(DfBit v) { dfBit = v; return this; }
        public Builder group(int v) { group = v; return this; }
        public Builder srcInterface(String v) { srcInterface = v; return this; }
        public Builder respondBadSpi(boolean v) { respondBadSpi = v; return this; }
        public Builder isakmpPolicy(String v) { isakmpPolicy = v; return this; }
        public Builder usePfsKey(boolean v) { usePfsKey = v; return this; }

        public IpsecPolicy build() {
            return new IpsecPolicy(name, iface, action, keyManagement, bundle, peer, local, remote, localPort, remotePort,
                    localName, remoteName, transportProtocol, udpTunnel, udpHeartbeat, udpPort, dfBit, group, srcInterface,
                    respondBadSpi, isakmpPolicy, usePfsKey);
        }
    }
}
