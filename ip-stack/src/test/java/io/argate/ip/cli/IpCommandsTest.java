package io.argate.ip.cli;

import io.argate.ip.forward.Forwarder;
import io.argate.ip.iface.Interfaces;
import io.argate.ip.port.PacketBuffers;
import io.argate.ip.port.Platform;
import io.argate.shell.ConfigOut;
import io.argate.shell.testing.CommandRig;
import io.argate.shell.testing.StepClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IP commands the AR410 reference's unnumbered-interface section uses (issue 16). */
class IpCommandsTest {
    final Interfaces interfaces = new Interfaces();
    final Forwarder forwarder = new Forwarder(interfaces, new StepClock(), PacketBuffers.ALLOC);
    final IpModule ip = new IpModule(Platform.defaults(), interfaces, forwarder, PacketBuffers.ALLOC);
    final CommandRig rig = new CommandRig(List.of(ip));

    void ok(String line) {
        assertTrue(rig.run(line), line + " -> " + rig.lastOutput());
    }

    List<String> config() {
        List<String> lines = new ArrayList<>();
        ip.writeConfig(new ConfigOut() {
            @Override
            public void line(String l) {
                lines.add(l);
            }
        });
        return lines;
    }

    @Test
    void theDefaultRouteNeedsNoMaskAndOtherRoutesTakeTheClassMask() {
        ok("add ip int=ppp0 ip=0.0.0.0");
        ok("add ip int=vlan1-0 ip=4.4.4.1 mask=255.255.255.248");
        ok("add ip route=0.0.0.0 int=ppp0 next=0.0.0.0");
        ok("add ip route=172.16.0.0 int=ppp0 next=0.0.0.0");
        ok("add ip route=10.0.0.0 int=ppp0 next=0.0.0.0");
        ok("show ip route");
        assertTrue(rig.lastOutput().contains("0.0.0.0          0.0.0.0          0.0.0.0          ppp0-0"), rig.lastOutput());
        assertTrue(rig.lastOutput().contains("172.16.0.0       255.255.0.0"), rig.lastOutput());
        assertTrue(rig.lastOutput().contains("10.0.0.0         255.0.0.0"), rig.lastOutput());
        assertTrue(config().contains("add ip route=0.0.0.0 mask=0.0.0.0 int=ppp0-0 next=0.0.0.0"), config().toString());
        ok("delete ip route=0.0.0.0 int=ppp0");
        assertFalse(config().stream().anyMatch(l -> l.startsWith("add ip route=0.0.0.0 ")), config().toString());
        assertFalse(rig.run("add ip route=172.16.1.0 int=ppp0 next=0.0.0.0"));
        assertEquals("Error (340005): Route 172.16.1.0 has host bits set for mask 255.255.0.0.", rig.lastOutput());
    }

    @Test
    void showPortSaysWhichOffloadsEachPortUsesAndWhatTheHostDropped() {
        ok("show port");
        String out = rig.lastOutput();
        assertTrue(out.contains("Port eth0 (none)\n  Offloads ......................... none\n  Receive queues ................... 1\n"
                + "  Segmented/checksummed by argate .. 0/0\n  Host drops ....................... not counted by the host"), out);
        ok("show interface");
        assertTrue(rig.lastOutput().contains("Port vlan1 (none)"), rig.lastOutput());
    }

    @Test
    void remoteAssignIsShownAndSaved() {
        ok("show ip");
        assertTrue(rig.lastOutput().contains("Remote Assign ...................... DISABLED"), rig.lastOutput());
        ok("enable ip");
        ok("enable ip remoteassign");
        ok("show ip");
        assertTrue(rig.lastOutput().contains("Remote Assign ...................... ENABLED"), rig.lastOutput());
        assertEquals(List.of("enable ip", "enable ip remoteassign"), config());
        ok("disable ip remoteassign");
        assertEquals(List.of("enable ip"), config());
        ok("enable ip remoteassign");
        ip.resetConfig();
        assertEquals(List.of(), config());
    }

    @Test
    void anAddressBelongsToOneInterface() {
        ok("add ip int=vlan1-0 ip=4.4.4.1 mask=255.255.255.248");
        assertFalse(rig.run("add ip int=eth0 ip=4.4.4.1 mask=255.255.255.248"));
        assertEquals("Error (340013): Address 4.4.4.1 is already on interface vlan1-0.", rig.lastOutput());
        assertFalse(rig.run("add ip int=vlan1-1 ip=4.4.4.1 mask=255.255.255.0"));
        ok("add ip int=eth0 ip=10.0.0.1 mask=255.255.255.0");
        assertFalse(rig.run("set ip int=eth0 ip=4.4.4.1"));
        assertTrue(rig.lastOutput().contains("already on interface vlan1-0"), rig.lastOutput());
        ok("set ip int=vlan1-0 ip=4.4.4.1 mask=255.255.255.240");
        ok("add ip int=ppp0-0 ip=0.0.0.0");
        ok("add ip int=ppp0-1 ip=0.0.0.0");
    }
}
