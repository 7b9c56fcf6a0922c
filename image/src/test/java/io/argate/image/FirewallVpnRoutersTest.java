package io.argate.image;

import io.argate.ip.packet.Ipv4;
import io.argate.ip.packet.Udp;
import io.argate.ip.port.MemPort;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.argate.image.FirewallRouterTest.next;
import static io.argate.image.FirewallRouterTest.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference's "IPsecとファイアウォールの併用" (IPsec with the firewall) on two argate routers:
 * router A (WAN 1.1.1.1, LAN 192.168.10.0/24) and router B (WAN 2.2.2.2, LAN 192.168.20.0/24),
 * each with the section's firewall (PRIVATE vlan1, PUBLIC WAN, ENHANCED NAT on the WAN address,
 * rules 1 to 5) over the walkthrough's VPN, with manual keys or ISAKMP. The WAN is a small
 * switch in the test that delivers by destination address and keeps what each router sent, so
 * the test sees the wire: LAN-to-LAN traffic is ESP between the routers and the far LAN host sees
 * the near host's own address, while traffic to the Internet host 3.3.3.3 is plaintext from the
 * router's WAN address. The reference's ppp0 is eth0 here.
 */
class FirewallVpnRoutersTest {
    static final int A_WAN = 0x01010101;
    static final int B_WAN = 0x02020202;
    static final int INTERNET = 0x03030303;
    static final int HOST_A = 0xc0a80a05;
    static final int HOST_B = 0xc0a81407;

    @TempDir
    Path dir;

    /** One side: IP, the VPN of the walkthrough (manual keys or ISAKMP), and the reference's firewall. */
    static List<String> side(String keys, String wan, String peer, String lan, String remoteLan, int inSpi, int outSpi) {
        List<String> l = new ArrayList<>(List.of(
                "add ip int=vlan1 ip=" + lan + ".1 mask=255.255.255.0",
                "add ip int=eth0 ip=" + wan + " mask=255.255.255.0",
                "add ip route=0.0.0.0 mask=0.0.0.0 int=eth0 next=" + wan.substring(0, wan.lastIndexOf('.')) + ".254",
                "enable ip"));
        if (keys.equals("manual")) {
            l.addAll(List.of(
                    "CREATE ENCO KEY=1 TYPE=DES VALUE=0xF888CAC6C66ECF52",
                    "CREATE ENCO KEY=2 TYPE=GENERAL VALUE=0x431d62cd3cb76fb8101dacaf43aa4dbfb919e957",
                    "CREATE IPSEC SASPEC=1 KEYMAN=MANUAL PROT=ESP ENCALG=DES ENCKEY=1 HASHALG=SHA HASHKEY=2 INSPI=" + inSpi
                            + " OUTSPI=" + outSpi,
                    "CREATE IPSEC BUNDLE=1 KEYMAN=MANUAL STRING=\"1\"",
                    "CREATE IPSEC POLICY=vpn INT=eth0 ACTION=IPSEC KEYMAN=MANUAL BUNDLE=1 PEER=" + peer));
        } else {
            l.addAll(List.of(
                    "CREATE ENCO KEY=1 TYPE=GENERAL VALUE=\"jogefoge\"",
                    "CREATE ISAKMP POLICY=i PEER=" + peer + " KEY=1 SENDN=TRUE",
                    "CREATE IPSEC SASPEC=1 KEYMAN=ISAKMP PROT=ESP ENCALG=DES HASHALG=SHA",
                    "CREATE IPSEC BUNDLE=1 KEYMAN=ISAKMP STRING=\"1\"",
                    "CREATE IPSEC POLICY=isa INT=eth0 ACTION=PERMIT LPORT=500 RPORT=500 TRANSPORT=UDP",
                    "CREATE IPSEC POLICY=vpn INT=eth0 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=" + peer));
        }
        l.addAll(List.of(
                "SET IPSEC POLICY=vpn LAD=" + lan + ".0 LMA=255.255.255.0 RAD=" + remoteLan + ".0 RMA=255.255.255.0",
                "CREATE IPSEC POLICY=inet INT=eth0 ACTION=PERMIT",
                "ENABLE IPSEC"));
        if (!keys.equals("manual")) {
            l.add("ENABLE ISAKMP");
        }
        // the section's firewall, as printed, with its own addresses
        l.addAll(List.of(
                "ENABLE FIREWALL",
                "CREATE FIREWALL POLICY=net",
                "ENABLE FIREWALL POLICY=net ICMP_F=ALL",
                "DISABLE FIREWALL POLICY=net IDENTPROXY",
                "ADD FIREWALL POLICY=net INT=vlan1 TYPE=PRIVATE",
                "ADD FIREWALL POLICY=net INT=eth0 TYPE=PUBLIC",
                "ADD FIREWALL POLICY=net NAT=ENHANCED INT=vlan1 GBLINT=eth0",
                "ADD FIREWALL POLICY=net RULE=1 ACTION=ALLOW INT=eth0 PROT=UDP GBLPORT=500 GBLIP=" + wan + " PORT=500 IP=" + wan,
                "ADD FIREWALL POLICY=net RULE=2 ACTION=ALLOW INT=eth0 PROT=UDP GBLPORT=2746 GBLIP=" + wan + " PORT=2746 IP=" + wan,
                "ADD FIREWALL POLICY=net RULE=3 ACTION=ALLOW INT=eth0 PROT=UDP GBLPORT=4500 GBLIP=" + wan + " PORT=4500 IP=" + wan,
                "ADD FIREWALL POLICY=net RULE=4 ACTION=NONAT INT=vlan1 PROT=ALL IP=" + lan + ".1-" + lan + ".254",
                "SET FIREWALL POLICY=net RULE=4 REMOTEIP=" + remoteLan + ".1-" + remoteLan + ".254",
                "ADD FIREWALL POLICY=net RULE=5 ACTION=NONAT INT=eth0 PROT=ALL IP=" + lan + ".1-" + lan + ".254 ENCAP=IPSEC"));
        return l;
    }

    /** The WAN: delivers by destination between the two routers and the Internet host, and keeps what each router sent. */
    static final class Wan {
        final MemPort toA;
        final MemPort toB;
        final LinkedBlockingQueue<ByteBuf> fromA = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<ByteBuf> fromB = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<ByteBuf> atInternet = new LinkedBlockingQueue<>();

        Wan(String tag) {
            toA = new MemPort("wanA", "wa" + tag, 1500);
            toB = new MemPort("wanB", "wb" + tag, 1500);
            toA.start((p, b) -> deliver(b, fromA));
            toB.start((p, b) -> deliver(b, fromB));
        }

        private void deliver(ByteBuf b, LinkedBlockingQueue<ByteBuf> seen) {
            seen.add(b.copy());
            send(b);
        }

        /** Sends {@code b} to whoever owns its destination address (the Internet host keeps it). */
        void send(ByteBuf b) {
            int dst = Ipv4.destination(b, b.readerIndex());
            if (dst == A_WAN) {
                toA.transmit(b);
            } else if (dst == B_WAN) {
                toB.transmit(b);
            } else {
                atInternet.add(b.slice());
            }
        }

        void close() {
            toA.close();
            toB.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"manual", "isakmp"})
    void vpnTrafficStaysUntranslatedInEspWhileInternetTrafficIsNated(String keys) throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        Path pa = dir.resolve("a.platform");
        Path pb = dir.resolve("b.platform");
        Files.writeString(pa, "vlan1 mem link=la" + tag + "\neth0 mem link=wa" + tag + "\n");
        Files.writeString(pb, "vlan1 mem link=lb" + tag + "\neth0 mem link=wb" + tag + "\n");
        MemPort hostA = new MemPort("hostA", "la" + tag, 1500);
        MemPort hostB = new MemPort("hostB", "lb" + tag, 1500);
        LinkedBlockingQueue<ByteBuf> atA = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ByteBuf> atB = new LinkedBlockingQueue<>();
        hostA.start((p, b) -> atA.add(b.slice())); // offsets from 0: the router leaves headroom
        hostB.start((p, b) -> atB.add(b.slice()));
        Wan wan = new Wan(tag);
        try (RouterRig a = new RouterRig(dir.resolve("a"), Clock.systemUTC(), "--platform", pa.toString());
             RouterRig b = new RouterRig(dir.resolve("b"), Clock.systemUTC(), "--platform", pb.toString())) {
            for (String line : side(keys, "1.1.1.1", "2.2.2.2", "192.168.10", "192.168.20", 1000, 1001)) {
                a.ok(line);
            }
            for (String line : side(keys, "2.2.2.2", "1.1.1.1", "192.168.20", "192.168.10", 1001, 1000)) {
                b.ok(line);
            }

            // LAN to LAN: ESP on the wire, the far host sees the near host's own address
            // With ISAKMP the first datagram starts the negotiation and is held; it can still race
            // B's install of the SAs after Quick Mode (B installs on QM3), so send until one arrives.
            hostA.transmit(udp(HOST_A, 40000, HOST_B, 7, 1));
            for (int i = 0; i < 10 && keys.equals("isakmp") && atB.peek() == null; i++) {
                ByteBuf early = atB.poll(1, TimeUnit.SECONDS);
                if (early != null) {
                    atB.add(early);
                    break;
                }
                hostA.transmit(udp(HOST_A, 40000, HOST_B, 7, 1));
            }
            ByteBuf got = next(atB, "host A's datagram crossed the VPN (" + keys + ")\n" + show(a, "show firewall policy=net counters")
                    + show(a, "show ipsec counters") + show(b, "show firewall policy=net counters") + show(b, "show ipsec counters"));
            if (keys.equals("isakmp")) {
                // a resent copy may follow the first: the steps below look at what comes next
                Thread.sleep(300);
                atB.removeIf(p -> Ipv4.protocol(p, 0) == Ipv4.PROTO_UDP && Udp.destinationPort(p, 20) == 7);
            }
            assertEquals(HOST_A, Ipv4.source(got, 0), "the far LAN host sees the near host's real address");
            assertEquals(40000, Udp.sourcePort(got, 20), "and its real port");
            assertEquals(HOST_B, Ipv4.destination(got, 0));
            ByteBuf esp = lastEspOrFail(wan.fromA, B_WAN);
            assertEquals(A_WAN, Ipv4.source(esp, 0), "ESP from router A's WAN address");

            // B's LAN host answers, and starts a flow of its own towards A's LAN: both pass rule 5 (ENCAP=IPSEC)
            hostB.transmit(udp(HOST_B, 7, HOST_A, 40000, 2));
            ByteBuf answer = next(atA, "host B's answer came back through the VPN");
            assertEquals(HOST_B, Ipv4.source(answer, 0));
            hostB.transmit(udp(HOST_B, 9999, HOST_A, 5001, 3));
            ByteBuf fresh = next(atA, "a flow host B starts reaches host A: rule 5 lets decapsulated traffic to the LAN in");
            assertEquals(5001, Udp.destinationPort(fresh, 20));
            lastEspOrFail(wan.fromB, A_WAN);
            assertTrue(wan.atInternet.isEmpty(), "no LAN-to-LAN packet left in the clear: " + wan.atInternet);

            // LAN to the Internet: plaintext UDP from router A's WAN address, and the answer comes back
            wan.fromA.clear();
            hostA.transmit(udp(HOST_A, 41000, INTERNET, 53, 4));
            ByteBuf out = wan.atInternet.poll(10, TimeUnit.SECONDS);
            assertTrue(out != null, "host A's datagram reached the Internet host");
            assertEquals(Ipv4.PROTO_UDP, Ipv4.protocol(out, 0), "Internet traffic is not encrypted");
            assertEquals(A_WAN, Ipv4.source(out, 0), "ENAT put router A's WAN address on it");
            int port = Udp.sourcePort(out, 20);
            wan.send(udp(INTERNET, 53, A_WAN, port, 5));
            ByteBuf back = next(atA, "the Internet host's answer reached host A");
            assertEquals(HOST_A, Ipv4.destination(back, 0));
            assertEquals(41000, Udp.destinationPort(back, 20));

            // unsolicited from the Internet to A's LAN: dropped by the firewall, not decapsulated traffic
            wan.send(udp(INTERNET, 53, HOST_A, 40000, 6));
            assertTrue(atA.poll(300, TimeUnit.MILLISECONDS) == null, "nothing from the Internet reaches the LAN unasked");
        } finally {
            hostA.close();
            hostB.close();
            wan.close();
        }
    }

    /** The packets a router sent to {@code peer} were all ESP (at least one): returns the last. */
    static ByteBuf lastEspOrFail(LinkedBlockingQueue<ByteBuf> sent, int peer) {
        ByteBuf last = null;
        for (ByteBuf b : sent) {
            if (Ipv4.destination(b, 0) == peer && Ipv4.protocol(b, 0) != Ipv4.PROTO_UDP) {
                assertEquals(Ipv4.PROTO_ESP, Ipv4.protocol(b, 0), "LAN-to-LAN traffic is ESP on the wire");
                last = b;
            }
        }
        assertTrue(last != null, "an ESP packet to the peer was on the wire");
        return last;
    }

    static String show(RouterRig r, String command) {
        r.run(command);
        return r.out() + "\n";
    }
}
