package io.argate.ip.cli;

import io.argate.ip.forward.DropReason;
import io.argate.ip.forward.Forwarder;
import io.argate.ip.forward.IcmpEndpoint;
import io.argate.shell.loop.ControlLoop;
import java.time.Duration;
import io.argate.ip.forward.IpCounters;
import io.argate.ip.iface.Interfaces;
import io.argate.ip.iface.IpInterface;
import io.argate.ip.port.HostDrops;
import io.argate.ip.port.Port;
import io.argate.ip.port.PortCounters;
import io.argate.ip.route.Route;
import io.argate.ip.route.RouteTable;
import io.argate.shell.ConfigOut;
import io.argate.shell.Module;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IP module of the command language: ENABLE/DISABLE IP, ADD/SET/DELETE IP INTERFACE,
 * ADD/DELETE IP ROUTE, SHOW IP [INTERFACE|ROUTE|COUNTERS], SHOW INTERFACE / SHOW PORT and PING.
 * Every change rebuilds the route table snapshot the forwarder reads.
 */
public final class IpModule implements Module {
    private static final ValueType IFNAME = Values.name(1, 15, "A-Za-z0-9-", "letters, digits and -");

    private final Map<String, Port> ports;
    private final Interfaces interfaces;
    private final Forwarder forwarder;
    private final Ping ping;
    private final List<Route> statics = new ArrayList<>();
    private final List<InterfaceUser> interfaceUsers = new ArrayList<>();
    private boolean enabled;
    private boolean remoteAssign;

    public IpModule(Map<String, Port> ports, Interfaces interfaces, Forwarder forwarder, ByteBufAllocator alloc) {
        this.ports = ports;
        this.interfaces = interfaces;
        this.forwarder = forwarder;
        this.ping = new Ping(forwarder, alloc);
        forwarder.enabled(false);
    }

    @Override
    public String name() {
        return "IP";
    }

    @Override
    public int number() {
        return IpMessages.MODULE;
    }

    @Override
    public int configOrder() {
        return 50;
    }

    /** For modules that name IP interfaces (IPSEC): true when the interface has an address. */
    public boolean interfaceExists(String name) {
        return interfaces.get(name).isPresent();
    }

    @Override
    public void commands(CommandTable t) {
        t.add(CommandSpec.of("ENABLE IP").help("Enable IP forwarding").handler(inv -> setEnabled(true)));
        t.add(CommandSpec.of("DISABLE IP").help("Disable IP forwarding").handler(inv -> setEnabled(false)));
        // the reference's PPPoE example: an interface added as 0.0.0.0 takes the address the
        // remote end (the ISP's IPCP, or DHCP) assigns, once remote assignment is enabled
        t.add(CommandSpec.of("ENABLE IP REMOTEASSIGN").help("Let interfaces added as 0.0.0.0 take an address the remote end assigns")
                .handler(inv -> remoteAssign = true));
        t.add(CommandSpec.of("DISABLE IP REMOTEASSIGN").help("Keep interfaces added as 0.0.0.0 unnumbered").handler(inv -> remoteAssign = false));
        t.add(CommandSpec.of("ADD IP INTERFACE").value(IFNAME)
                .required("IPADDRESS", Values.ip(), "the address, or 0.0.0.0 for an unnumbered interface")
                .optional("MASK", Values.mask(), "the class mask", "network mask")
                .help("Give an interface an IP address").handler(this::addInterface));
        t.add(CommandSpec.of("SET IP INTERFACE").value(IFNAME)
                .optional("IPADDRESS", Values.ip(), null, "the address")
                .optional("MASK", Values.mask(), null, "network mask")
                .help("Change an interface's address").handler(this::setInterface));
        t.add(CommandSpec.of("DELETE IP INTERFACE").value(IFNAME).help("Remove an interface's address").handler(this::deleteInterface));
        t.add(CommandSpec.of("ADD IP ROUTE").value(Values.ip())
                .optional("MASK", Values.mask(), "0.0.0.0 for ROUTE=0.0.0.0, else the class mask", "destination mask")
                .required("INTERFACE", IFNAME, "egress interface")
                .required("NEXTHOP", Values.ip(), "gateway, or 0.0.0.0 on a point-to-point interface")
                .optional("METRIC", Values.integer(1, 16), "1", "preference among routes to one destination")
                .help("Add a static route").handler(this::addRoute));
        t.add(CommandSpec.of("DELETE IP ROUTE").value(Values.ip())
                .optional("MASK", Values.mask(), "0.0.0.0 for ROUTE=0.0.0.0, else the class mask", "destination mask")
                .optional("INTERFACE", IFNAME, null, "egress interface")
                .optional("NEXTHOP", Values.ip(), null, "gateway")
                .help("Delete a static route").handler(this::deleteRoute));
        t.add(CommandSpec.of("SHOW IP").privilege(Privilege.USER).help("Show the IP module").handler(this::show));
        t.add(CommandSpec.of("SHOW IP INTERFACE").privilege(Privilege.USER).help("Show IP interfaces").handler(this::showInterfaces));
        t.add(CommandSpec.of("SHOW IP ROUTE").privilege(Privilege.USER).help("Show the routing table").handler(this::showRoutes));
        t.add(CommandSpec.of("SHOW IP COUNTERS").privilege(Privilege.USER).help("Show IP counters and drops").handler(this::showCounters));
        t.add(CommandSpec.of("SHOW INTERFACE").privilege(Privilege.USER).help("Show ports and their counters").handler(this::showPorts));
        t.add(CommandSpec.of("SHOW PORT").privilege(Privilege.USER).help("Show ports and their counters").handler(this::showPorts));
        t.add(CommandSpec.of("PING").value(Values.ip())
                .optional("NUMBER", Values.integer(1, 100), "5", "echo requests to send")
                .optional("LENGTH", Values.integer(0, 65000), "56", "data bytes per request")
                .optional("SIPADDRESS", Values.ip(), "by the egress interface", "source address")
                .optional("TIMEOUT", Values.integer(1, 60), "1", "seconds to wait for each reply")
                .positional().quiet().privilege(Privilege.USER).help("Send ICMP echo requests").handler(this::ping));
    }

    private void setEnabled(boolean on) {
        enabled = on;
        forwarder.enabled(on);
    }

    private String[] parse(String typed) throws CommandException {
        String[] p = IpInterface.parseName(typed);
        if (p == null) {
            throw new CommandException(IpMessages.BAD_INTERFACE, typed);
        }
        if (!ports.containsKey(p[0]) && !p[0].startsWith("ppp")) {
            throw new CommandException(IpMessages.NO_PORT, p[0], String.join(", ", ports.keySet().stream().sorted().toList()));
        }
        return p;
    }

    static int classMask(int address) {
        int first = address >>> 24;
        return first < 128 ? 0xff000000 : first < 192 ? 0xffff0000 : 0xffffff00;
    }

    /**
     * A route's MASK when none is given, as ADD IP INTERFACE does (fact sheet 1.9): the class
     * mask of the destination, and 0.0.0.0 for the default route, which is how the reference's
     * unnumbered example writes it ({@code ADD IP ROUTE=0.0.0.0 INT=ppp0 NEXT=0.0.0.0}).
     */
    private static int routeMask(Invocation inv, int dest) {
        if (inv.has("MASK")) {
            return Values.toInt(inv.ip("MASK"));
        }
        return dest == 0 ? 0 : classMask(dest);
    }

    /** One address belongs to one interface: a second interface with it would answer for the same host. */
    private void checkUnique(String name, int address) throws CommandException {
        if (address == 0) {
            return;
        }
        for (IpInterface other : interfaces.all()) {
            if (other.address() == address && !other.name().equals(name)) {
                throw new CommandException(IpMessages.ADDRESS_IN_USE, Ping.dotted(address), other.name());
            }
        }
    }

    private void addInterface(Invocation inv) throws CommandException {
        String[] p = parse(inv.string("INTERFACE"));
        int address = Values.toInt(inv.ip("IPADDRESS"));
        int mask = inv.has("MASK") ? Values.toInt(inv.ip("MASK")) : address == 0 ? 0 : classMask(address);
        checkHost(address, mask);
        checkUnique(p[0] + "-" + p[1], address);
        if (!interfaces.add(p[0], Integer.parseInt(p[1]), address, mask)) {
            throw new CommandException(IpMessages.INTERFACE_EXISTS, p[0] + "-" + p[1]);
        }
        rebuild();
    }

    private static void checkHost(int address, int mask) throws CommandException {
        if (address != 0 && mask != -1 && ((address & ~mask) == 0 || (address | mask) == -1)) {
            throw new CommandException(IpMessages.BAD_ADDRESS, Ping.dotted(address), Ping.dotted(mask));
        }
    }

    private void setInterface(Invocation inv) throws CommandException {
        String[] p = parse(inv.string("INTERFACE"));
        String name = p[0] + "-" + p[1];
        IpInterface old = interfaces.get(name).orElseThrow(() -> new CommandException(IpMessages.NO_INTERFACE, name));
        int address = inv.has("IPADDRESS") ? Values.toInt(inv.ip("IPADDRESS")) : old.address();
        int mask = inv.has("MASK") ? Values.toInt(inv.ip("MASK")) : old.mask();
        checkHost(address, mask);
        checkUnique(name, address);
        interfaces.set(name, address, mask);
        rebuild();
    }

    private void deleteInterface(Invocation inv) throws CommandException {
        String[] p = parse(inv.string("INTERFACE"));
        String name = p[0] + "-" + p[1];
        for (Route r : statics) {
            if (r.iface().equals(name)) {
                throw new CommandException(IpMessages.IN_USE_BY_ROUTE, name, Ping.dotted(r.network()) + "/" + r.length());
            }
        }
        if (interfaces.get(name).isEmpty()) {
            throw new CommandException(IpMessages.NO_INTERFACE, name);
        }
        for (InterfaceUser u : interfaceUsers) {
            Optional<String> user = u.userOf(name);
            if (user.isPresent()) {
                throw new CommandException(IpMessages.IN_USE_BY, name, user.get());
            }
        }
        if (!interfaces.remove(name)) {
            throw new CommandException(IpMessages.NO_INTERFACE, name);
        }
        rebuild();
    }

    /** Registers a module whose configuration names IP interfaces; DELETE IP INTERFACE asks it first. */
    public void interfaceUser(InterfaceUser user) {
        interfaceUsers.add(user);
    }

    private void addRoute(Invocation inv) throws CommandException {
        int dest = Values.toInt(inv.ip("ROUTE"));
        int mask = routeMask(inv, dest);
        if ((dest & ~mask) != 0) {
            throw new CommandException(IpMessages.HOST_BITS, Ping.dotted(dest), Ping.dotted(mask));
        }
        String[] p = parse(inv.string("INTERFACE"));
        String iface = p[0] + "-" + p[1];
        if (interfaces.get(iface).isEmpty()) {
            throw new CommandException(IpMessages.NO_INTERFACE, iface);
        }
        int nextHop = Values.toInt(inv.ip("NEXTHOP"));
        IpInterface i = interfaces.get(iface).get();
        if (nextHop != 0 && !i.unnumbered() && (nextHop & i.mask()) != i.network()) {
            throw new CommandException(IpMessages.NEXTHOP_NEEDED, iface, Ping.dotted(nextHop));
        }
        Route r = new Route(dest, Integer.bitCount(mask), iface, nextHop, inv.integer("METRIC", 1), false);
        for (Route s : statics) {
            if (s.network() == r.network() && s.length() == r.length() && s.iface().equals(iface) && s.nextHop() == nextHop) {
                throw new CommandException(IpMessages.ROUTE_EXISTS, Ping.dotted(dest) + "/" + r.length(), iface);
            }
        }
        statics.add(r);
        rebuild();
    }

    private void deleteRoute(Invocation inv) throws CommandException {
        int dest = Values.toInt(inv.ip("ROUTE"));
        int len = Integer.bitCount(routeMask(inv, dest));
        String iface = null;
        if (inv.has("INTERFACE")) {
            String[] p = parse(inv.string("INTERFACE"));
            iface = p[0] + "-" + p[1];
        }
        Integer hop = inv.has("NEXTHOP") ? Values.toInt(inv.ip("NEXTHOP")) : null;
        String want = iface;
        boolean removed = statics.removeIf(r -> r.network() == dest && r.length() == len
                && (want == null || r.iface().equals(want)) && (hop == null || r.nextHop() == hop));
        if (!removed) {
            throw new CommandException(IpMessages.NO_ROUTE, Ping.dotted(dest) + "/" + len);
        }
        rebuild();
    }

    private void rebuild() {
        List<Route> all = new ArrayList<>(interfaces.connectedRoutes());
        all.addAll(statics);
        forwarder.routes(new RouteTable(all));
    }

    private void show(Invocation inv) {
        inv.println("");
        inv.println("IP Module Configuration");
        inv.println("Module Status ...................... " + (enabled ? "ENABLED" : "DISABLED"));
        inv.println("Remote Assign ...................... " + (remoteAssign ? "ENABLED" : "DISABLED"));
        inv.println("Interfaces ......................... " + interfaces.all().size());
        inv.println("Routes ............................. " + forwarder.routes().routes().size());
        inv.println("Packets received/forwarded ......... " + forwarder.counters().received.sum() + "/" + forwarder.counters().forwarded.sum());
    }

    private void showInterfaces(Invocation inv) {
        inv.println("");
        inv.println(String.format("%-10s %-7s %-16s %-16s %-6s", "Interface", "Port", "IP Address", "Mask", "State"));
        inv.println("--------------------------------------------------------------------------------");
        for (IpInterface i : interfaces.all()) {
            Port p = ports.get(i.port());
            inv.println(String.format("%-10s %-7s %-16s %-16s %-6s", i.name(), i.port(), i.unnumbered() ? "unnumbered" : Ping.dotted(i.address()),
                    Ping.dotted(i.mask()), p != null && p.linkUp() ? "Up" : "Down"));
        }
    }

    private void showRoutes(Invocation inv) {
        inv.println("");
        inv.println(String.format("%-16s %-16s %-16s %-10s %-6s %s", "Destination", "Mask", "NextHop", "Interface", "Metric", "Type"));
        inv.println("--------------------------------------------------------------------------------");
        for (Route r : forwarder.routes().routes()) {
            inv.println(String.format("%-16s %-16s %-16s %-10s %-6d %s", Ping.dotted(r.network()), Ping.dotted(Route.mask(r.length())),
                    Ping.dotted(r.nextHop()), r.iface(), r.metric(), r.connected() ? "interface" : "static"));
        }
    }

    private void showCounters(Invocation inv) {
        IpCounters c = forwarder.counters();
        inv.println("");
        inv.println("IP Counters");
        inv.println("  received ......................... " + c.received.sum());
        inv.println("  forwarded ........................ " + c.forwarded.sum());
        inv.println("  delivered ........................ " + c.delivered.sum());
        inv.println("  originated ....................... " + c.originated.sum());
        inv.println("  fragmentsCreated ................. " + c.fragmentsCreated.sum());
        inv.println("  reassembled ...................... " + c.reassembled.sum());
        inv.println("  icmpErrorsSent ................... " + c.icmpSent.sum());
        inv.println("  superPacketsSplitForRouter ....... " + c.splitForLocal.sum());
        inv.println("Drops");
        for (DropReason r : DropReason.values()) {
            inv.println(String.format("  %-32s %d", r, c.drops(r)));
        }
        for (io.argate.ip.frag.Reassembler.Drop d : io.argate.ip.frag.Reassembler.Drop.values()) {
            inv.println(String.format("  %-32s %d", "REASSEMBLY_" + d, forwarder.reassembler().drops(d)));
        }
    }

    private void showPorts(Invocation inv) {
        inv.println("");
        inv.println(String.format("%-7s %-6s %-5s %-6s %10s %12s %7s %7s %10s %12s %7s %7s", "Port", "Driver", "State", "MTU",
                "RxPkts", "RxBytes", "RxErr", "RxDrop", "TxPkts", "TxBytes", "TxErr", "TxDrop"));
        for (Port p : ports.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
            PortCounters c = p.counters();
            inv.println(String.format("%-7s %-6s %-5s %-6d %10d %12d %7d %7d %10d %12d %7d %7d", p.name(), p.driver(), p.linkUp() ? "Up" : "Down",
                    p.mtu(), c.rxPackets.sum(), c.rxBytes.sum(), c.rxErrors.sum(), c.rxDrops.sum(), c.txPackets.sum(), c.txBytes.sum(),
                    c.txErrors.sum(), c.txDrops.sum()));
        }
        for (Port p : ports.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
            portDetail(inv, p);
        }
    }

    /**
     * Below the table, per port: the offloads it uses with its host, its receive queues, what
     * offloading did, and the drops the host side counted that argate's own RxDrop/TxDrop cannot
     * see (a TUN queue argate did not read in time, a UDP socket's full receive buffer).
     */
    private static void portDetail(Invocation inv, Port p) {
        PortCounters c = p.counters();
        inv.println("");
        inv.println("Port " + p.name() + " (" + p.driver() + ")");
        inv.println("  Offloads ......................... " + p.offloads());
        inv.println("  Receive queues ................... " + p.queues());
        if (p.packetIo() != null) {
            inv.println("  Packet I/O ....................... " + p.packetIo());
        }
        if (p.hostQueue() > 0) {
            inv.println("  Host queue toward argate ......... " + p.hostQueue() + " packets");
        }
        if (!"none".equals(p.offloads())) {
            inv.println("  Super-packets received/sent ...... " + c.rxSuperPackets.sum() + "/" + c.txSuperPackets.sum());
            inv.println("  Coalesced super-packets/segments . " + c.txCoalesced.sum() + "/" + c.txCoalescedSegments.sum());
        }
        inv.println("  Segmented/checksummed by argate .. " + c.txSegmented.sum() + "/" + c.txChecksummed.sum());
        long wakeups = c.rxWakeups.sum();
        if (wakeups > 0) {
            inv.println("  Packets per receive wake-up ...... " + String.format("%.1f", (double) c.rxPackets.sum() / wakeups));
        }
        long calls = c.txCalls.sum();
        if (calls > 0) {
            inv.println("  Packets per write system call .... " + String.format("%.1f", (double) c.txPackets.sum() / calls));
        }
        HostDrops h = p.hostDrops();
        if (h == null) {
            inv.println("  Host drops ....................... not counted by the host");
        } else {
            inv.println("  Host drops toward argate ......... " + h.towardArgate() + " (" + h.source() + ")");
            if (h.fromArgate() >= 0) {
                inv.println("  Host drops of what argate sent ... " + h.fromArgate());
            }
        }
    }

    private void ping(Invocation inv) throws CommandException {
        int dst = Values.toInt(inv.ip("PING"));
        if (forwarder.routes().lookup(dst) == null && !interfaces.isLocal(dst)) {
            throw new CommandException(IpMessages.PING_NO_ROUTE, Ping.dotted(dst));
        }
        int count = inv.integer("NUMBER", 5);
        int source = inv.has("SIPADDRESS") ? Values.toInt(inv.ip("SIPADDRESS")) : 0;
        Duration timeout = Duration.ofSeconds(inv.integer("TIMEOUT", 1));
        if (!ping.start(dst, source, count, inv.integer("LENGTH", 56), timeout, inv.follow())) {
            throw new CommandException(IpMessages.PING_BUSY, IcmpEndpoint.MAX_REQUESTERS);
        }
    }

    @Override
    public void attach(ControlLoop loop) {
        ping.attach(loop);
    }

    @Override
    public void writeConfig(ConfigOut out) {
        for (IpInterface i : interfaces.all()) {
            StringBuilder b = new StringBuilder("add ip int=").append(i.name()).append(" ip=").append(Ping.dotted(i.address()));
            if (!i.unnumbered() && i.mask() != classMask(i.address())) {
                b.append(" mask=").append(Ping.dotted(i.mask()));
            }
            out.line(b.toString());
        }
        for (Route r : statics) {
            StringBuilder b = new StringBuilder("add ip route=").append(Ping.dotted(r.network())).append(" mask=").append(Ping.dotted(Route.mask(r.length())))
                    .append(" int=").append(r.iface()).append(" next=").append(Ping.dotted(r.nextHop()));
            if (r.metric() != 1) {
                b.append(" metric=").append(r.metric());
            }
            out.line(b.toString());
        }
        if (enabled) {
            out.line("enable ip");
        }
        if (remoteAssign) {
            out.line("enable ip remoteassign");
        }
    }

    @Override
    public void resetConfig() {
        interfaces.clear();
        statics.clear();
        setEnabled(false);
        remoteAssign = false;
        rebuild();
    }
}
