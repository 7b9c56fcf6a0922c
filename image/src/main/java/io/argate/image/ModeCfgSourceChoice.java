package io.argate.image;

import io.argate.ip.iface.Interfaces;
import io.argate.ip.iface.IpInterface;
import io.argate.ipsec.path.IpsecEngine;
import io.argate.ipsec.spd.AddressSelector;

import java.util.function.IntUnaryOperator;

/**
 * The source of the router's own packets (PING, TRACE, a UDP service) to a network reached
 * through a tunnel that carries a Mode Config address of ours: the router's address on that
 * tunnel's protected LAN (its policy's LAD), so the policy takes the packet and the tunnel
 * translates it to the assigned address like any LAN host's, and the answer comes back to the
 * router. A remote-access client has one address and everything it sends the gateway's networks
 * leaves from it (what a strongSwan {@code leftsourceip=%config} or EasyVPN client does). With no
 * such tunnel, or no address of ours on its LAN, the route's own rule applies (0).
 */
final class ModeCfgSourceChoice implements IntUnaryOperator {
    private final IpsecEngine ipsec;
    private final Interfaces interfaces;

    ModeCfgSourceChoice(IpsecEngine ipsec, Interfaces interfaces) {
        this.ipsec = ipsec;
        this.interfaces = interfaces;
    }

    @Override
    public int applyAsInt(int destination) {
        AddressSelector lan = ipsec.modeCfgLocalSide(destination);
        if (lan == null) {
            return 0;
        }
        for (IpInterface i : interfaces.all()) {
            if (i.address() != 0 && lan.contains(i.address())) {
                return i.address();
            }
        }
        return 0;
    }
}
