package io.argate.image.interop;

import java.util.List;

/**
 * The interop lab's two gateways, left and right, with their WANs joined directly or through a
 * masquerading NAT, each gateway either a Linux namespace running a peer daemon
 * ({@link Kind#PEER}: strongSwan, Libreswan) or an in-process argate router on TUN devices
 * ({@link Kind#ARGATE}). Addresses (documentation prefixes, as the shared lab's):
 * <pre>
 * DIRECT   left  WAN 192.0.2.1/24   &lt;------------------------------&gt;  right WAN 192.0.2.2/24
 * NAT      left  WAN 192.0.2.1/24 gw .254 | nat 192.0.2.254 / 198.51.100.1 (MASQUERADE) |
 *                                                          right WAN 198.51.100.2/24 gw .1
 *          (right sees left as 198.51.100.1)
 * LANs     left 10.99.1.0/24, right 10.99.2.0/24
 * </pre>
 * A {@link Kind#PEER} side is namespace {@code ia-..l} (or {@code r}) with a veth WAN and its LAN
 * address x.x.x.1 on lo: the peer daemon and the LAN "host" are the same namespace, so its
 * {@link Side#lanHost()} is 10.99.n.1.
 * <p>
 * A {@link Kind#ARGATE} side is a router in the test's JVM: its {@code vlan1} is a TUN device in
 * namespace {@code ia-..l} (or {@code r}) that holds a Linux host 10.99.n.5 (default route via
 * argate's 10.99.n.1), and its {@code eth1} is a TUN device in the neighbouring namespace (the
 * peer's, or the NAT's), whose end takes the address the veth would have had. The test writes
 * {@link #argatePlatform()} to a platform file, boots the router, runs
 * {@link #argateIpConfig()}, then calls {@link #argateAttached()}. At most one side is argate.
 */
public final class Topology {
    public enum Layout { DIRECT, NAT }

    public enum Kind { PEER, ARGATE }

    static final String LEFT_WAN = "192.0.2.1";
    static final String RIGHT_WAN = "192.0.2.2";
    static final String NAT_INSIDE = "192.0.2.254";
    static final String NAT_OUTSIDE = "198.51.100.1";
    static final String RIGHT_WAN_NAT = "198.51.100.2";
    static final int WAN_PREFIX = 24;
    static final String ARGATE_MTU = "1500";

    /**
     * One gateway: its namespace (a peer daemon's, or the Linux host behind argate), its WAN
     * address, the address the other gateway sees it as (differs behind the NAT), its WAN
     * gateway (null when the WANs share a subnet), its LAN and the LAN host's address.
     */
    public record Side(Kind kind, Netns ns, String wan, String seenAs, String wanGateway, String lanSubnet,
                       String lanGatewayAddress, String lanHost) {
    }

    private final Layout layout;
    private final Side left;
    private final Side right;
    private final Netns nat;
    private final InteropNet net;

    private Topology(InteropNet net, Layout layout, Side left, Side right, Netns nat) {
        this.net = net;
        this.layout = layout;
        this.left = left;
        this.right = right;
        this.nat = nat;
    }

    /** Two peer namespaces (strongSwan / Libreswan on both sides). */
    public static Topology peers(InteropNet net, Layout layout) {
        return build(net, layout, Kind.PEER, Kind.PEER);
    }

    /**
     * Builds the namespaces and links (argate's TUN devices are created later, when the router
     * boots; see {@link #argateAttached()}).
     */
    public static Topology build(InteropNet net, Layout layout, Kind leftKind, Kind rightKind) {
        if (leftKind == Kind.ARGATE && rightKind == Kind.ARGATE) {
            throw new IllegalArgumentException("two argate routers: use the lab's RouterPair");
        }
        Netns l = net.namespace("l");
        Netns r = net.namespace("r");
        Netns n = layout == Layout.NAT ? net.namespace("n") : null;
        boolean nat = n != null;
        String rightWan = nat ? RIGHT_WAN_NAT : RIGHT_WAN;
        Side left = side(leftKind, l, LEFT_WAN, nat ? NAT_OUTSIDE : LEFT_WAN, nat ? NAT_INSIDE : null, 1);
        Side right = side(rightKind, r, rightWan, rightWan, nat ? NAT_OUTSIDE : null, 2);
        Topology t = new Topology(net, layout, left, right, n);
        t.wire();
        return t;
    }

    private static Side side(Kind kind, Netns ns, String wan, String seenAs, String gw, int lan) {
        String subnet = "10.99." + lan + ".0/24";
        String gwLan = "10.99." + lan + ".1";
        return new Side(kind, ns, wan, seenAs, gw, subnet, gwLan, kind == Kind.PEER ? gwLan : "10.99." + lan + ".5");
    }

    private void wire() {
        for (Side s : List.of(left, right)) {
            if (s.kind() == Kind.PEER) {
                s.ns().loopbackLan(s.lanGatewayAddress() + "/24");
            }
        }
        if (nat == null) {
            if (left.kind() == Kind.PEER && right.kind() == Kind.PEER) {
                net.veth(left.ns(), "lw", cidr(LEFT_WAN), right.ns(), "rw", cidr(RIGHT_WAN));
            }
            return;
        }
        nat.forwarding();
        if (left.kind() == Kind.PEER) {
            net.veth(left.ns(), "lw", cidr(LEFT_WAN), nat, "nl", cidr(NAT_INSIDE));
            left.ns().route("default", NAT_INSIDE);
        }
        if (right.kind() == Kind.PEER) {
            net.veth(nat, "nr", cidr(NAT_OUTSIDE), right.ns(), "rw", cidr(RIGHT_WAN_NAT));
            right.ns().route("default", NAT_OUTSIDE);
            net.masquerade(nat, net.name("nr"));
        } else {
            net.masquerade(nat, net.name("aw"));
        }
    }

    private static String cidr(String address) {
        return address + "/" + WAN_PREFIX;
    }

    public Layout layout() {
        return layout;
    }

    public Side left() {
        return left;
    }

    public Side right() {
        return right;
    }

    /** The NAT namespace ({@link Layout#NAT}), else null. */
    public Netns nat() {
        return nat;
    }

    /** The argate side, or an error when both sides are peers. */
    public Side argate() {
        if (left.kind() == Kind.ARGATE) {
            return left;
        }
        if (right.kind() == Kind.ARGATE) {
            return right;
        }
        throw new IllegalStateException("no argate side in this topology");
    }

    /** The side facing argate. */
    public Side peerOf(Side s) {
        return s == left ? right : left;
    }

    /** argate's LAN TUN device, in its side's namespace. */
    public String argateLanDevice() {
        return net.name("av");
    }

    /** argate's WAN TUN device, in {@link #argateWanNamespace()}. */
    public String argateWanDevice() {
        return net.name("aw");
    }

    /** Where argate's WAN TUN device lives: the NAT's namespace, or else the peer's. */
    public Netns argateWanNamespace() {
        return nat != null ? nat : peerOf(argate()).ns();
    }

    /** The address the other end of argate's WAN TUN device takes (argate's next hop). */
    public String argateNextHop() {
        Side a = argate();
        if (nat == null) {
            return peerOf(a).wan();
        }
        return a == left ? NAT_INSIDE : NAT_OUTSIDE;
    }

    /** The platform file binding argate's vlan1 and eth1 to this topology's TUN devices. */
    public String argatePlatform() {
        Side a = argate();
        return "vlan1 tun dev=" + argateLanDevice() + " netns=" + a.ns().name() + " mtu=" + ARGATE_MTU + "\n"
                + "eth1 tun dev=" + argateWanDevice() + " netns=" + argateWanNamespace().name() + " mtu=" + ARGATE_MTU + "\n";
    }

    /** argate's IP configuration in this topology: LAN, WAN, default route, IP enabled. */
    public List<String> argateIpConfig() {
        Side a = argate();
        return List.of(
                "add ip int=vlan1 ip=" + a.lanGatewayAddress() + " mask=255.255.255.0",
                "add ip int=eth1 ip=" + a.wan() + " mask=255.255.255.0",
                "add ip route=0.0.0.0 mask=0.0.0.0 int=eth1 next=" + argateNextHop(),
                "enable ip");
    }

    /**
     * After argate booted (its TUN devices exist): addresses on the namespaces' ends of them, the
     * LAN host's default route through argate, and the NAT's masquerading when argate is outside.
     */
    public void argateAttached() {
        Side a = argate();
        a.ns().address(argateLanDevice(), a.lanHost() + "/24");
        a.ns().route("default", a.lanGatewayAddress());
        argateWanNamespace().address(argateWanDevice(), cidr(argateNextHop()));
    }

    /**
     * Routes the LANs to each other in the clear (no tunnel), for checking the wiring: directly,
     * each peer side routes the other LAN via the other WAN; through the NAT, the NAT routes the
     * right LAN via the right WAN and the left LAN via the left WAN (replies the masquerade turns
     * back into left-LAN addresses), the left side's default route points at the NAT and the right
     * side answers the NAT's outside address, which is on its link.
     */
    public void routeLansInClear() {
        if (nat != null) {
            nat.route(right.lanSubnet(), right.wan());
            nat.route(left.lanSubnet(), left.wan());
            return;
        }
        for (Side s : List.of(left, right)) {
            if (s.kind() == Kind.PEER) {
                s.ns().route(peerOf(s).lanSubnet(), peerOf(s).wan());
            }
        }
    }
}
