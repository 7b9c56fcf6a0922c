package io.argate.image.lab;

import io.argate.image.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.argate.image.lab.IpLabTest.output;
import static io.argate.image.lab.Lab.in;
import static io.argate.image.lab.Lab.must;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference's "IPsecとファイアウォールの併用" on two argate routers with ISAKMP keying, in the lab:
 * {@link RouterPair} with a Linux namespace routing between the routers' WAN TUN devices, which
 * also holds the Internet host 198.51.100.9. Each router has the section's firewall (PRIVATE
 * vlan1, PUBLIC eth1, ENHANCED NAT on the WAN address, rules 1 to 5 with its own addresses) and
 * the walkthrough's VPN between the LANs keyed by ISAKMP. Linux is the oracle: host A's ping
 * reaches host B, whose own TCP listener reports host A's own address (VPN traffic stays
 * untranslated and meets ENCAP=IPSEC rule 5 on the far side), while the Internet host's listener
 * sees router A's WAN address (ENAT), and tshark in the routing namespace sees the LAN-to-LAN
 * traffic only as ESP and never a LAN address in the clear.
 */
class FirewallVpnLabTest {
    static final String INTERNET = "198.51.100.9";

    @TempDir
    Path data;

    static List<String> vpnAndFirewall(RouterPair.Side s) {
        String lan = s.lan().substring(0, s.lan().length() - 2);
        String remote = s.peerLan().substring(0, s.peerLan().length() - 2);
        List<String> l = new ArrayList<>(List.of(
                "CREATE ENCO KEY=1 TYPE=GENERAL VALUE=\"jogefoge\"",
                "CREATE ISAKMP POLICY=i PEER=" + s.peerWan() + " KEY=1 SENDN=TRUE",
                "CREATE IPSEC SASPEC=1 KEYMAN=ISAKMP PROT=ESP ENCALG=DES HASHALG=SHA",
                "CREATE IPSEC BUNDLE=1 KEYMAN=ISAKMP STRING=\"1\"",
                "CREATE IPSEC POLICY=isa INT=eth1 ACTION=PERMIT LPORT=500 RPORT=500 TRANSPORT=UDP",
                "CREATE IPSEC POLICY=vpn INT=eth1 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=" + s.peerWan(),
                "SET IPSEC POLICY=vpn LAD=" + s.lan() + " LMA=255.255.255.0 RAD=" + s.peerLan() + " RMA=255.255.255.0",
                "CREATE IPSEC POLICY=inet INT=eth1 ACTION=PERMIT",
                "ENABLE IPSEC",
                "ENABLE ISAKMP",
                // the section's firewall as printed, with this side's addresses (its ppp0 is eth1 here)
                "ENABLE FIREWALL",
                "CREATE FIREWALL POLICY=net",
                "ENABLE FIREWALL POLICY=net ICMP_F=ALL",
                "DISABLE FIREWALL POLICY=net IDENTPROXY",
                "ADD FIREWALL POLICY=net INT=vlan1 TYPE=PRIVATE",
                "ADD FIREWALL POLICY=net INT=eth1 TYPE=PUBLIC",
                "ADD FIREWALL POLICY=net NAT=ENHANCED INT=vlan1 GBLINT=eth1",
                "ADD FIREWALL POLICY=net RULE=1 ACTION=ALLOW INT=eth1 PROT=UDP GBLPORT=500 GBLIP=" + s.wan() + " PORT=500 IP=" + s.wan(),
                "ADD FIREWALL POLICY=net RULE=2 ACTION=ALLOW INT=eth1 PROT=UDP GBLPORT=2746 GBLIP=" + s.wan() + " PORT=2746 IP=" + s.wan(),
                "ADD FIREWALL POLICY=net RULE=3 ACTION=ALLOW INT=eth1 PROT=UDP GBLPORT=4500 GBLIP=" + s.wan() + " PORT=4500 IP=" + s.wan(),
                "ADD FIREWALL POLICY=net RULE=4 ACTION=NONAT INT=vlan1 PROT=ALL IP=" + lan + ".1-" + lan + ".254",
                "SET FIREWALL POLICY=net RULE=4 REMOTEIP=" + remote + ".1-" + remote + ".254",
                "ADD FIREWALL POLICY=net RULE=5 ACTION=NONAT INT=eth1 PROT=ALL IP=" + lan + ".1-" + lan + ".254 ENCAP=IPSEC"));
        return l;
    }

    @Test
    void lanHostsReachTheInternetThroughEnatWhileVpnTrafficStaysUntranslatedInEsp() throws Exception {
        Lab.requireRoot();
        Lab.requireTshark();
        NetHost.require();
        Path script = NetHost.script(data);
        try (RouterPair pair = RouterPair.open(data, "fwv", RouterPair.Wan.TUN)) {
            must(in(pair.wanNs, "ip", "addr", "add", INTERNET + "/32", "dev", "lo"), "the Internet host's address");
            pair.configure(true, vpnAndFirewall(pair.side(true)));
            pair.configure(false, vpnAndFirewall(pair.side(false)));
            RouterPair.Side a = pair.side(true);
            try (LiveCapture wire = LiveCapture.start(pair.wanNs, pair.wanDevA, data.resolve("wan-a.pcapng"), List.of())) {
                // the first packets wait for ISAKMP (main mode, then quick mode): ping until the VPN carries them
                Lab.Result ping = null;
                for (int i = 0; i < 10; i++) {
                    ping = pair.ping(true, 3);
                    if (ping.status() == 0 && ping.out().contains(" 0% packet loss")) {
                        break;
                    }
                }
                assertEquals(0, ping.status(), "host A pings host B through the VPN: " + ping.out()
                        + output(pair.a(), "show isakmp sa") + output(pair.a(), "show firewall policy=net counters"));

                // TCP across the VPN: host B's listener sees host A's own address
                String seen;
                Lab.Result sent;
                try (NetHost sink = NetHost.serve(script, pair.lanB, "tcp-sink", RouterPair.HOST_B, "5001")) {
                    sent = NetHost.client(script, pair.lanA, "tcp-send", RouterPair.HOST_A, RouterPair.HOST_B, "5001", "262144");
                    must(sent, "host A's transfer to host B over the VPN");
                    seen = sink.line(20);
                }
                assertTrue(seen != null && seen.startsWith(RouterPair.HOST_A + " "), "host B saw host A's own address: " + seen);
                assertTrue(seen.contains(" 262144 ") && seen.endsWith(sent.out().strip().split(" ")[1]), seen + " / " + sent.out());

                // TCP to the Internet host: it sees router A's WAN address
                String inet;
                try (NetHost sink = NetHost.serve(script, pair.wanNs, "tcp-sink", INTERNET, "80")) {
                    must(NetHost.client(script, pair.lanA, "tcp-send", RouterPair.HOST_A, INTERNET, "80", "65536"),
                            "host A's transfer to the Internet host");
                    inet = sink.line(20);
                }
                assertTrue(inet != null && inet.startsWith(a.wan() + " "), "the Internet host saw router A's address: " + inet);
                must(in(pair.lanB, "ping", "-c", "2", "-W", "3", INTERNET), "host B pings the Internet host through ENAT");

                // on A's wire: ESP between the routers, ISAKMP on 500, and no LAN address in the clear
                wire.awaitFrames("esp && ip.src==" + a.wan() + " && ip.dst==" + a.peerWan(), 5, () -> { });
                wire.awaitFrames("tcp && ip.src==" + a.wan() + " && ip.dst==" + INTERNET, 10, () -> { });
                wire.close();
                assertEquals(0, wire.frames("ip.addr==192.168.10.0/24 || ip.addr==192.168.20.0/24"),
                        "a LAN address crossed the WAN outside ESP");
                assertTrue(wire.frames("isakmp && udp.srcport==500 && udp.dstport==500") >= 4, "ISAKMP exchanges on port 500");
                assertTrue(wire.frames("esp && ip.src==" + a.peerWan() + " && ip.dst==" + a.wan()) >= 5, "ESP from B");
            }

            // the firewall counted what the reference's rules did: IKE let in by rule 1, VPN packets by rule 5
            String countersB = output(pair.b(), "show firewall policy=net counters");
            assertTrue(FirewallNatLabTest.counterIn(countersB, "Allowed by a rule") >= 1, countersB);
            // SHOW FIREWALL SESSION: the VPN ping untranslated on both routers, B's Internet ping behind B's WAN address
            // (the TCP sessions closed with FIN and are gone by now)
            String vpnPing = RouterPair.HOST_A + " > " + RouterPair.HOST_B + " id ";
            for (Router r : new Router[]{pair.a(), pair.b()}) {
                String sessions = output(r, "show firewall session");
                assertTrue(sessions.lines().anyMatch(l -> l.contains(vpnPing) && l.strip().endsWith(" -")), sessions);
            }
            String sessionsB = output(pair.b(), "show firewall session");
            RouterPair.Side b = pair.side(false);
            assertTrue(sessionsB.lines().anyMatch(l -> l.contains(RouterPair.HOST_B + " > " + INTERNET + " id ")
                    && l.contains(b.wan() + " > " + INTERNET + " id ")), sessionsB);
        }
    }
}
