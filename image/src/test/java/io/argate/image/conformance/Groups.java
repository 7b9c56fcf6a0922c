package io.argate.image.conformance;

import io.netty.buffer.Unpooled;

import java.util.HexFormat;
import java.util.List;

/**
 * The reference cut into the parts it is written in, in its own order, each with the minimum
 * setup it needs on a fresh router. Headings are quoted in the reference's Japanese (with the
 * English meaning beside them) because they are what the suite finds in the seed.
 *
 * <p>The examples of a section are alternatives that reuse names (policy {@code vpn} three times,
 * SA specification 1 four times): before an example re-creates an object, the suite removes the
 * earlier one, pinned to the reference line it prepares. Steps the reference describes in prose
 * without printing their command line ("log in again as the Security Officer", "enable IPsec",
 * "SET IPSEC UDPPORT changes the local port") are run by the suite and reported as missing lines.
 */
final class Groups {
    /** The reference's WAN side: router A is 1.1.1.1 on ppp0, its LAN 192.168.10.0/24 on vlan1. */
    static final String[] ROUTER_A = {
        "add ip int=vlan1 ip=192.168.10.1 mask=255.255.255.0",
        "add ip int=ppp0 ip=1.1.1.1 mask=255.255.255.255",
        "add ip route=0.0.0.0 mask=0.0.0.0 int=ppp0 next=0.0.0.0",
        "enable ip"};
    /**
     * The other side of the reference's VPN: router B, LAN 192.168.20.0/24, its ppp0 address
     * given by the provider (the reference's "address not fixed" side).
     */
    static final String[] ROUTER_B = {
        "add ip int=vlan1 ip=192.168.20.1 mask=255.255.255.0",
        "add ip int=ppp0 ip=0.0.0.0",
        "add ip route=0.0.0.0 mask=0.0.0.0 int=ppp0 next=0.0.0.0",
        "enable ip"};
    /** The walkthrough's pre-shared key, on the routers where the reference types the ISAKMP line that names it. */
    static final String PSK = "create enco key=1 type=general value=\"jogefoge\"";
    /** LOGIN, then the answers to login: and Password: (the Security Officer the walkthroughs add). */
    static final String LOGIN_SECOFF = "login\nsecoff\nPasswordS";
    static final String RELOGIN = "Security Officerレベルのユーザーでログインしなおします (log in again as the Security Officer)";
    /** The seed's manual keys (its SHOW ENCO KEY sample). */
    static final String DES_KEY = "create enco key=1 type=des value=0xF888CAC6C66ECF52";
    static final String SHA_KEY = "create enco key=2 type=general value=0x431d62cd3cb76fb8101dacaf43aa4dbfb919e957";

    private Groups() {
    }

    static List<Group> all() {
        return List.of(
                Group.paragraph("ISAKMP walkthrough", "ここでは、自動鍵管理によるIPsec VPN構築の要点")
                        .setup(ROUTER_A)
                        // lines 59 and 61 are the two sides of another VPN (fixed address, address not
                        // fixed), alternatives to line 55: each on its own router
                        .router("fixed side", concat(ROUTER_A, PSK))
                        .router("dynamic side", concat(ROUTER_B, PSK))
                        .on("fixed side", 59, "CREATE ISAKMP POLICY=i PEER=ANY KEY=1 SENDN=TRUE REMOTEID=\"RouterB\" MODE=AGGRESSIVE")
                        .on("dynamic side", 61, "CREATE ISAKMP POLICY=i PEER=1.1.1.1 KEY=1 SENDN=TRUE LOCALID=\"RouterB\" MODE=AGGRESSIVE")
                        .missing(89, "CREATE CONFIG=ipsecvpn.cfg", RELOGIN, LOGIN_SECOFF)
                        .check("show config", "ipsecvpn.cfg")
                        .check("show system", "Security Mode ..................... Enabled")
                        .check("show isakmp policy", policyRow("i", "2.2.2.2", "MAIN", 1))
                        .check("show isakmp", detail("Module Status", "ENABLED"))
                        .checkOn("fixed side", "show isakmp policy", policyRow("i", "ANY", "AGGRESSIVE", 1))
                        .checkOn("fixed side", "show isakmp policy=i", detail("Remote ID", "RouterB"), detail("Send Notify", "TRUE"))
                        .checkOn("dynamic side", "show isakmp policy", policyRow("i", "1.1.1.1", "AGGRESSIVE", 1))
                        .checkOn("dynamic side", "show isakmp policy=i", detail("Local ID", "RouterB")),
                Group.paragraph("manual-key walkthrough", "ここでは、手動鍵管理によるIPsec VPN構築の要点")
                        .setup(ROUTER_A)
                        // the two CREATE ENCO KEY lines with values are typed on the other router
                        .before(116, "CREATE ENCO KEY=1 TYPE=DES VALUE=0xF888CAC6C66ECF52 DESCRIPTION=\"IPsec DES key\"",
                                "destroy enco key=1", "destroy enco key=2")
                        // line 117 is refused for its typo (DESCRITION); the key it means is made without the description
                        .before(119, "CREATE IPSEC SASPEC=1 KEYMAN=MANUAL PROT=ESP ENCALG=DES ENCKEY=1 HASHALG=SHA HASHKEY=2 INSPI=1000 OUTSPI=1001",
                                SHA_KEY)
                        .missing(136, "ADD USER=secoff PASS=PasswordS PRIVILEGE=SECURITYOFFICER",
                                "IPsecを有効にします (enable IPsec)", "enable ipsec")
                        .missing(139, "CREATE CONFIG=ipsecvpn.cfg", RELOGIN, LOGIN_SECOFF)
                        .check("show enco key=1", "0xF888CAC6C66ECF52")
                        .check("show ipsec sa", "vpn                     1      Valid    ESP      1001        1000")
                        .check("show system", "Security Mode ..................... Enabled"),
                Group.paragraph("policy examples", "セキュリティーポリシーデータベース(SPD)は")
                        .setup(ROUTER_A)
                        .setup("create ipsec sas=1 key=isakmp prot=esp encalg=des hashalg=sha",
                                "create ipsec bundle=1 key=isakmp string=\"1\"", "create ipsec bundle=2 key=isakmp string=\"1\"",
                                "create ipsec bundle=3 key=isakmp string=\"1\"")
                        .before(222, "CREATE IPSEC POLICY=vpn INT=ppp0 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=DYNAMIC", "destroy ipsec policy=vpn")
                        .before(225, "CREATE IPSEC POLICY=vpn INT=ppp0 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=1.1.1.1", "destroy ipsec policy=vpn")
                        .before(234, "CREATE IPSEC POLICY=vpncli INT=ppp0 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=DYNAMIC", "destroy ipsec policy=vpncli")
                        .before(237, "CREATE IPSEC POLICY=vpncli INT=ppp0 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=1 PEER=1.1.1.1", "destroy ipsec policy=vpncli")
                        .before(250, "CREATE IPSEC POLICY=vpn INT=ppp0 ACTION=IPSEC KEYMAN=ISAKMP BUNDLE=2 PEER=1.2.3.4", "destroy ipsec policy=vpn")
                        .check("show ipsec policy=vpncli", "Peer Address ....................... 1.1.1.1")
                        .check("show ipsec policy", "inet                    ppp0      8   PERMIT"),
                Group.heading("SA specification examples", "SAスペック")
                        .setup(ROUTER_A)
                        .setup(DES_KEY, SHA_KEY)
                        .before(276, "CREATE IPSEC SASPEC=1 KEYMAN=ISAKMP PROTO=ESP ENCALG=DES HASHALG=NULL", "destroy ipsec sas=1")
                        .before(278, "CREATE IPSEC SASPEC=1 KEYMAN=ISAKMP PROTO=ESP ENCALG=NULL HASHALG=SHA", "destroy ipsec sas=1")
                        .before(282, "CREATE IPSEC SASPEC=1 KEYMAN=MANUAL PROTO=ESP ENCALG=DES HASHALG=SHA ENCKEY=1 HASHKEY=2 INSPI=1000 OUTSPI=1001",
                                "destroy ipsec sas=1")
                        .before(286, "CREATE IPSEC SASPEC=2 KEYMAN=MANUAL PROTO=AH HASHALG=SHA HASHKEY=2 INSPI=2000 OUTSPI=2001", "destroy ipsec sas=2")
                        .before(293, "CREATE IPSEC SASPEC=3 KEYMAN=MANUAL PROTO=COMP COMPALG=LZS", "destroy ipsec sas=3")
                        // SHOW IPSEC SA shows SAs: the manual specifications above, bundled and used by two policies
                        .before(298, "SHOW IPSEC SA", "create ipsec bundle=1 key=manual string=\"1\"",
                                "create ipsec bundle=2 key=manual string=\"2\"",
                                "create ipsec policy=vpn int=ppp0 action=ipsec key=manual bundle=1 peer=2.2.2.2 lad=192.168.10.0 lma=255.255.255.0 rad=192.168.20.0 rma=255.255.255.0",
                                "create ipsec policy=vpn2 int=ppp0 action=ipsec key=manual bundle=2 peer=3.3.3.3 lad=192.168.10.0 lma=255.255.255.0 rad=192.168.30.0 rma=255.255.255.0",
                                "enable ipsec")
                        .check("show ipsec sas=1", "Inbound SPI ........................ 1000"),
                Group.heading("bundle examples", "バンドルスペック")
                        .setup(ROUTER_A)
                        // the reference's table 5: 1 ESP DES/SHA1, 2 ESP DES/MD5, 3 AH SHA1, 4 AH MD5, 5 IPComp LZS;
                        // bundle 2 is MANUAL, so 2 and 4 carry keys and SPIs
                        .setup(DES_KEY, SHA_KEY, "create enco key=3 type=general value=0x00112233445566778899aabbccddeeff",
                                "create ipsec sas=1 key=isakmp prot=esp encalg=des hashalg=sha",
                                "create ipsec sas=2 key=manual prot=esp encalg=des hashalg=md5 enckey=1 hashkey=3 inspi=1000 outspi=1001",
                                "create ipsec sas=3 key=isakmp prot=ah hashalg=sha",
                                "create ipsec sas=4 key=manual prot=ah hashalg=md5 hashkey=3 inspi=2000 outspi=2001",
                                "create ipsec sas=5 key=isakmp prot=comp compalg=lzs")
                        .before(356, "SHOW IPSEC POLICY SABUNDLE",
                                "create ipsec policy=v1 int=ppp0 action=ipsec key=isakmp bundle=1 peer=dynamic",
                                "create ipsec policy=inet int=ppp0 action=permit")
                        .check("show ipsec policy sabundle", "Policy ..........v1")
                        .check("show ipsec bundle=3", "\"5 and 1, 1\""),
                Group.heading("ISAKMP policy examples", "ISAKMP/IKEによる自動鍵管理")
                        .setup(ROUTER_A)
                        // the examples are alternatives for policy i, and for one side or the other of a VPN
                        .before(375, "CREATE ISAKMP POLICY=i PEER=ANY KEY=1 REMOTEID=client MODE=AGGRESSIVE SENDN=TRUE", "destroy isakmp policy=i")
                        .router("dynamic side", concat(ROUTER_B, EXAMPLE_PSK))
                        .on("dynamic side", 378, "CREATE ISAKMP POLICY=i PEER=1.1.1.1 KEY=1 LOCALID=client MODE=AGGRESSIVE SENDN=TRUE")
                        // "3.3.3.3とは「2」を使って" (key 2 for 3.3.3.3): the reference implies the second pre-shared key
                        .before(383, "CREATE ISAKMP POLICY=three PEER=3.3.3.3 KEY=2 SENDN=TRUE", EXAMPLE_PSK2)
                        .router("XAUTH server", concat(ROUTER_A, EXAMPLE_PSK))
                        .on("XAUTH server", 389, "CREATE ISAKMP POLICY=i PEER=ANY KEY=1 SENDN=TRUE XAUTH=SERVER")
                        .on("XAUTH server", 390, "ADD USER=client1 PASSWORD=passclie1 LOGIN=NO")
                        .on("XAUTH server", 391, "ADD USER=client2 PASSWORD=passclie2 LOGIN=NO")
                        .router("XAUTH client", concat(ROUTER_B, EXAMPLE_PSK))
                        .on("XAUTH client", 394, "CREATE ISAKMP POLICY=i PEER=1.1.1.1 KEY=1 SENDN=TRUE XAUTH=CLIENT")
                        .on("XAUTH client", 395, "SET ISAKMP POLICY=i XAUTHNAME=client1 XAUTHPASS=passclie1")
                        // LOCALRSAKEY names the router's own RSA key pair, which the PKI chapter makes first
                        .router("RSA signatures", concat(ROUTER_A, EXAMPLE_RSA))
                        .on("RSA signatures", 397, "CREATE ISAKMP POLICY=i PEER=2.2.2.2 AUTHTYPE=RSASIG LOCALRSAKEY=2 SENDN=TRUE")
                        .before(400, "CREATE ISAKMP POLICY=i PEER=2.2.2.2 KEY=1 SENDN=TRUE GROUP=2", "destroy isakmp policy=i")
                        .check("show isakmp policy", policyRow("i", "2.2.2.2", "MAIN", 2), policyRow("two", "2.2.2.2", "MAIN", 1),
                                policyRow("three", "3.3.3.3", "MAIN", 1), policyRow("c1", "ANY", "AGGRESSIVE", 1),
                                policyRow("c2", "ANY", "AGGRESSIVE", 1))
                        .check("show isakmp policy=c1", detail("Remote ID", "peer1"), detail("Key", "1"))
                        .check("show isakmp policy=c2", detail("Remote ID", "peer2"), detail("Key", "2"))
                        .checkOn("dynamic side", "show isakmp policy=i", detail("Local ID", "client"), detail("Mode", "AGGRESSIVE"))
                        .roundTrip("show config dynamic=isakmp", List.of(EXAMPLE_PSK, EXAMPLE_PSK2),
                                "show isakmp policy", "show isakmp policy=i", "show isakmp policy=three", "show isakmp policy=c2"),
                Group.heading("UDP tunnelling (ESP over UDP)", "UDPトンネリング(ESP over UDP)")
                        .setup(ROUTER_A)
                        .setup("create ipsec sas=1 key=isakmp prot=esp encalg=des hashalg=sha", "create ipsec bundle=1 key=isakmp string=\"1\"",
                                "create ipsec policy=isa int=ppp0 action=permit lport=500 rport=500 transport=udp",
                                "create ipsec policy=vpn int=ppp0 action=ipsec key=isakmp bundle=1 peer=2.2.2.2")
                        .missing(423, "SET IPSEC POLICY=vpn UDPPORT=3456",
                                "ローカル側ポートを変更するには、SET IPSEC UDPPORTコマンドを使います (SET IPSEC UDPPORT changes the local port to 3456)",
                                "set ipsec udpport=3456")
                        .check("show ipsec policy=vpn", "UDP Tunnel ......................... TRUE", "3456")
                        .check("show ipsec", "3456"),
                Group.heading("NAT-Traversal", "IPsec NAT-Traversal(NAT-T)")
                        .setup(ROUTER_A)
                        // SET ISAKMP POLICY=i changes the walkthrough's policy i
                        .setup(PSK, "create isakmp policy=i peer=2.2.2.2 key=1 sendn=true")
                        .check("show isakmp policy=i", detail("NAT Traversal", "TRUE")),
                Group.heading("IPsec with the firewall", "IPsecとファイアウォールの併用")
                        .setup(ROUTER_A)
                        .check("show firewall", firewallDetail("Status", "ENABLED"), firewallDetail("Policies", "1"),
                                firewallDetail("Policy net", "vlan1 PRIVATE, ppp0 PUBLIC"))
                        .check("show firewall policy=net", firewallDetail("Interfaces", "vlan1 PRIVATE, ppp0 PUBLIC"),
                                firewallDetail("ICMP forwarding", "PARAMETER,PING,SOURCEQUENCH,TIMEEXCEEDED,TIMESTAMP,UNREACHABLE"),
                                firewallDetail("Ident proxy", "DISABLED"),
                                "ENHANCED vlan1 -> ppp0 as address of ppp0",
                                "rule=1 ac=allow int=ppp0 prot=udp ip=1.1.1.1 port=500 gblip=1.1.1.1 gblport=500",
                                "rule=2 ac=allow int=ppp0 prot=udp ip=1.1.1.1 port=2746 gblip=1.1.1.1 gblport=2746",
                                "rule=3 ac=allow int=ppp0 prot=udp ip=1.1.1.1 port=4500 gblip=1.1.1.1 gblport=4500",
                                "rule=4 ac=nonat int=vlan1 prot=all ip=192.168.10.1-192.168.10.254 remoteip=192.168.20.1-192.168.20.254",
                                "rule=5 ac=nonat int=ppp0 prot=all ip=192.168.10.1-192.168.10.254 encap=ipsec")
                        .check("show firewall policy=net counters", firewallDetail("Dropped: unsolicited from public", "0"))
                        // the interfaces the policy names must exist on the fresh router before its lines run
                        .roundTrip("show config dynamic=firewall", List.of(ROUTER_A), "show firewall", "show firewall policy=net"),
                Group.heading("unnumbered IP interface", "Unnumbered IPインターフェース使用時の注意")
                        // the two orders of the first example, then the two PPPoE configurations, each from scratch
                        .before(491, "ADD IP INT=vlan1-0 IP=4.4.4.1 MASK=255.255.255.248",
                                "delete ip int=vlan1-1", "delete ip int=vlan1-0")
                        .before(498, "ENABLE IP", "delete ip int=vlan1-0", "delete ip int=vlan1-1")
                        .before(507, "ENABLE IP", "delete ip route=0.0.0.0 int=ppp0 next=0.0.0.0", "delete ip int=ppp0",
                                "delete ip int=vlan1-0", "delete ip int=vlan1-1")
                        .check("show ip route", "0.0.0.0          0.0.0.0          0.0.0.0          ppp0-1")
                        .check("show ip", "Remote Assign ...................... ENABLED"),
                Group.paragraph("diagnostics", "IPsecの動作や設定を確認する場合")
                        // the manual-key VPN of the walkthrough, up, with the addresses of the reference's
                        // DEBUG=PACKET sample (LAN 192.168.20.0/24, WAN 63.12.66.239, peer 1.1.1.1), a second
                        // policy with an ESP and AH bundle as in the SHOW IPSEC SA sample, and a Security
                        // Officer as in the samples' prompts
                        .setup("add ip int=vlan1 ip=192.168.20.1 mask=255.255.255.0", "add ip int=ppp0 ip=63.12.66.239 mask=255.255.255.255",
                                "add ip route=0.0.0.0 mask=0.0.0.0 int=ppp0 next=0.0.0.0", "enable ip")
                        .setup(DES_KEY, SHA_KEY,
                                "create ipsec sas=1 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=1000 outspi=1001",
                                "create ipsec sas=2 key=manual prot=ah hashalg=sha hashkey=2 inspi=2000 outspi=2001",
                                "create ipsec sas=3 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=3000 outspi=3001",
                                "create ipsec bundle=1 key=manual string=\"1\"",
                                "create ipsec bundle=2 key=manual string=\"3 and 2\"",
                                "create ipsec policy=vpn int=ppp0 action=ipsec key=manual bundle=1 peer=1.1.1.1",
                                "set ipsec policy=vpn lad=192.168.20.0 lma=255.255.255.0 rad=192.168.1.0 rma=255.255.255.0",
                                "create ipsec policy=v1 int=ppp0 action=ipsec key=manual bundle=2 peer=3.3.3.3",
                                "set ipsec policy=v1 lad=192.168.20.0 lma=255.255.255.0 rad=192.168.30.0 rma=255.255.255.0",
                                "create ipsec policy=inet int=ppp0 action=permit",
                                "enable ipsec",
                                // the walkthrough's ISAKMP policy i (its pre-shared key as key 4: keys 1 and 2 are the manual SA's)
                                "create enco key=4 type=general value=\"jogefoge\"",
                                "create isakmp policy=i peer=1.1.1.1 key=4 sendn=true",
                                "enable isakmp",
                                "add user=secoff pass=PasswordS priv=securityofficer",
                                LOGIN_SECOFF)
                        .after(616, "ena ipsec policy=vpn debug=packet", "the sample's own packet arrives on vlan1",
                                (router, sample) -> router.forwarder().input("vlan1-0", Unpooled.wrappedBuffer(samplePacket(sample))))
                        .check("show ipsec sa", "v1                      2      Valid    ESP      3001        3000")
                        .check("show config dynamic=isakmp", "create isakmp policy=i peer=1.1.1.1 key=4", "enable isakmp")
                        .check("show isakmp", detail("Module Status", "ENABLED")));
    }

    /** The pre-shared key of the ISAKMP policy examples (line 367), and the second one line 383 names. */
    static final String EXAMPLE_PSK = "create enco key=1 type=general value=\"pobaetrpnjkakdf\"";
    static final String EXAMPLE_RSA = "create enco key=2 type=rsa length=1024";
    static final String EXAMPLE_PSK2 = "create enco key=2 type=general value=\"kakdfpobaetrpnj\"";

    static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** A row of SHOW ISAKMP POLICY: name, peer, mode, the default DES/SHA, the group. */
    static String policyRow(String name, String peer, String mode, int group) {
        return String.format("%-24s %-16s %-10s %-10s %-9s %d", name, peer, mode, "DES", "SHA", group);
    }

    /** A line of SHOW FIREWALL or SHOW FIREWALL POLICY=name: two spaces, the label, dots to column 34, the value. */
    static String firewallDetail(String label, String value) {
        return String.format("  %-32s %s", label + " " + ".".repeat(Math.max(0, 31 - label.length())), value);
    }

    /** A line of SHOW ISAKMP POLICY=name or SHOW ISAKMP: the label, dots to column 32, the value. */
    static String detail(String label, String value) {
        return String.format("%-32s %s", label + " " + ".".repeat(Math.max(2, 30 - label.length())), value);
    }

    /**
     * The packet of the reference's DEBUG=PACKET sample, from its "pre processing" lines: the IP
     * header and the TCP header (the sample packet has no data).
     */
    static byte[] samplePacket(List<String> sample) {
        StringBuilder hex = new StringBuilder();
        boolean pre = false;
        for (String l : sample) {
            String t = l.strip();
            if (t.startsWith("IPSEC ")) {
                pre = t.endsWith("pre processing:");
            } else if (pre && (t.startsWith("IP: ") || t.startsWith("TCP: "))) {
                hex.append(t.substring(t.indexOf(' ') + 1));
            }
        }
        if (hex.length() == 0) {
            throw new IllegalStateException("the DEBUG=PACKET sample has no pre-processing packet");
        }
        return HexFormat.of().parseHex(hex);
    }
}
