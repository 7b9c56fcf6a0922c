package io.argate.firewall.cli;

import io.argate.firewall.engine.FirewallEngine;
import io.argate.shell.testing.CommandRig;
import io.argate.shell.testing.StepClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of random FIREWALL command lines (wrong values, reversed ranges, missing references,
 * sensible ones) reach no handler bug, every state they leave compiles for the data path, and
 * what they leave behind rebuilds itself from its own script.
 */
class FirewallCommandFuzzTest {
    /** ADD weighs most, DESTROY least, so state builds up between the checkpoints. */
    static final String[] VERBS = {"add", "add", "add", "add", "add", "delete", "set", "set", "create", "create", "destroy", "enable",
            "disable", "show"};
    static final String[] POLICIES = {"net", "dmz", "x_1", "bad-name", "averyveryverylongname"};
    static final String[] PARAMS = {"int=vlan1", "int=ppp0", "int=eth0", "int=ppp9", "type=private", "type=public", "type=both",
            "nat=enhanced", "nat=standard", "gblint=ppp0", "gblint=vlan1", "ip=192.168.10.5", "ip=192.168.10.1-192.168.10.9",
            "ip=10.0.0.9-10.0.0.1", "ip=all", "gblip=1.1.1.1", "gblip=1.1.1.1-1.1.1.4", "gblip=300.1.1.1", "rule=1", "rule=2",
            "rule=1000", "rule=1001", "rule=0", "ac=allow", "ac=deny", "ac=nat", "ac=nonat", "ac=drop", "prot=tcp", "prot=udp",
            "prot=all", "prot=icmp", "prot=47", "prot=256", "port=80", "port=1-1024", "port=90-80", "port=all", "port=70000",
            "gblport=8080", "gblport=8080-8081", "remoteip=2.2.2.2", "remoteip=all", "sourceport=1024-65535", "encap=ipsec",
            "encap=none", "tcptimeout=0", "udptimeout=43200", "othertimeout=43201", "icmp_f=all", "icmp_f=ping,unreachable",
            "icmp_f=bogus", "log=deny", "log=allow,deny", "debug=pkt", "debug=http", "identproxy", "ping", "counters", "=",
            "\"quoted value\""};

    /** Lines that are often right, so state builds up; random parameters are appended to them too. */
    static final String[] SENSIBLE = {"create firewall policy=%p", "add firewall policy=%p int=vlan1 type=private",
            "add firewall policy=%p int=ppp0 type=public", "add firewall policy=%p int=eth0 type=private",
            "add firewall policy=%p nat=enhanced int=vlan1 gblint=ppp0",
            "add firewall policy=%p nat=standard int=eth0 gblint=ppp0 ip=10.0.0.1 gblip=1.1.1.9",
            "add firewall policy=%p rule=%n ac=allow int=ppp0 prot=tcp gblip=1.1.1.1 gblport=80 ip=192.168.10.%n port=80",
            "add firewall policy=%p rule=%n ac=nonat int=vlan1 prot=all ip=192.168.10.1-192.168.10.254",
            "add firewall policy=%p rule=%n ac=deny int=vlan1 prot=udp port=%n",
            "set firewall policy=%p rule=%n remoteip=192.168.20.1-192.168.20.254", "delete firewall policy=%p rule=%n",
            "enable firewall policy=%p icmp_f=all", "set firewall policy=%p tcptimeout=%n", "enable firewall"};

    @Test
    void randomCommandLinesNeverHitAHandlerBugAndAlwaysRebuildFromTheirScript() {
        FirewallModule module = new FirewallModule(new FirewallEngine(256, new StepClock(), i -> 0x01010101),
                Set.of("vlan1", "ppp0", "eth0")::contains, l -> { });
        CommandRig rig = new CommandRig(List.of(module));
        List<String> bugs = new ArrayList<>();
        rig.processor().onHandlerFailure((spec, e) -> bugs.add(spec + ": " + e));
        Random rnd = new Random(14);
        int accepted = 0;
        int richest = 0;
        for (int i = 1; i <= 6000; i++) {
            String pol = POLICIES[rnd.nextInt(rnd.nextInt(10) > 2 ? 2 : POLICIES.length)];
            StringBuilder line;
            if (rnd.nextBoolean()) {
                line = new StringBuilder(SENSIBLE[rnd.nextInt(SENSIBLE.length)].replace("%p", pol).replace("%n", Integer.toString(1 + rnd.nextInt(9))));
            } else {
                line = new StringBuilder(VERBS[rnd.nextInt(VERBS.length)]).append(" firewall");
                if (rnd.nextInt(10) > 0) {
                    line.append(" policy=").append(pol);
                }
            }
            int n = rnd.nextInt(4);
            for (int k = 0; k < n; k++) {
                line.append(' ').append(PARAMS[rnd.nextInt(PARAMS.length)]);
            }
            if (rig.run(line.toString())) {
                accepted++;
            }
            module.commit();
            if (i % 300 == 0) {
                richest = Math.max(richest, roundTrip(module));
            }
        }
        assertEquals(List.of(), bugs);
        assertTrue(accepted > 150, "enough lines were sensible to build state: " + accepted);
        assertTrue(richest >= 8, "some checkpoint had interfaces, NAT and rules to write: " + richest + " lines");
    }

    /** Writes the module's script, runs it on a fresh module, and checks it writes the same; returns its length. */
    static int roundTrip(FirewallModule module) {
        List<String> script = new ArrayList<>();
        module.writeConfig(script::add);
        FirewallModule again = new FirewallModule(new FirewallEngine(16, new StepClock(), i -> 0), Set.of("vlan1", "ppp0", "eth0")::contains,
                l -> { });
        CommandRig rig2 = new CommandRig(List.of(again));
        for (String line : script) {
            assertTrue(rig2.run(line), line + " -> " + rig2.lastOutput());
        }
        List<String> rebuilt = new ArrayList<>();
        again.writeConfig(rebuilt::add);
        assertEquals(script, rebuilt);
        return script.size();
    }
}
