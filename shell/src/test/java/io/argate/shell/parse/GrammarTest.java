package io.argate.shell.parse;

import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.IpRange;
import io.argate.shell.cmd.Values;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing against a grammar shaped like the IPsec and ENCO commands of the reference. */
class GrammarTest {
    static final Grammar G = new Grammar(List.of(
            CommandSpec.of("CREATE IPSEC POLICY").value(Values.name(1, 23, "\\x20-\\x7e", "printable characters"))
                    .required("INTERFACE", Values.name(1, 15, "A-Za-z0-9-", "letters, digits and -"), "interface")
                    .required("ACTION", Values.choice("DENY", "IPSEC", "PERMIT"), "action")
                    .optional("KEYMANAGEMENT", Values.choice("ISAKMP", "MANUAL"), "MANUAL", "key management")
                    .optional("PEERADDRESS", Values.or(Values.choice("ANY", "DYNAMIC"), Values.ip()), "ANY", "peer")
                    .optional("LADDRESS", Values.or(Values.choice("ANY"), Values.ipRange()), "ANY", "local")
                    .optional("LMASK", Values.mask(), null, "local mask")
                    .optional("LPORT", Values.or(Values.choice("ANY"), Values.integer(0, 65535)), "ANY", "local port")
                    .optional("LNAME", Values.text(1, 120), null, "local name")
                    .optional("UDPTUNNEL", Values.bool(), "FALSE", "ESP over UDP")
                    .optional("UDPHEARTBEAT", Values.bool(), "FALSE", "heartbeat")
                    .handler(GrammarTest::nothing),
            CommandSpec.of("CREATE IPSEC SASPECIFICATION").value(Values.integer(0, 255))
                    .required("PROTOCOL", Values.choice("AH", "ESP", "COMP"), "protocol")
                    .optional("INSPI", Values.integer(256, 4294967295L), null, "inbound SPI")
                    .handler(GrammarTest::nothing),
            CommandSpec.of("CREATE ENCO KEY").value(Values.integer(0, 65535))
                    .required("TYPE", Values.choice("DES", "3DESINNER", "3DESOUTER", "3DES2KEY", "AES128", "GENERAL"), "type")
                    .optional("VALUE", Values.or(Values.hex(1, 256), Values.text(1, 256)), null, "value")
                    .flag("RANDOM", "random value")
                    .exclusive("RANDOM", "VALUE")
                    .handler(GrammarTest::nothing),
            CommandSpec.of("SHOW IPSEC").handler(GrammarTest::nothing),
            CommandSpec.of("SHOW IPSEC POLICY").optionalValue(Values.text(1, 23))
                    .flag("COUNTERS", "counters").flag("SABUNDLE", "bundles").handler(GrammarTest::nothing),
            CommandSpec.of("SHOW IPSEC SA").optionalValue(Values.integer(0, 65535)).handler(GrammarTest::nothing),
            CommandSpec.of("SHOW IP").handler(GrammarTest::nothing),
            CommandSpec.of("SHOW CONFIG").optionalWithValue("DYNAMIC", Values.choice("IP", "IPSEC", "ISAKMP"), "module")
                    .handler(GrammarTest::nothing),
            CommandSpec.of("SET IPSEC POLICY").value(Values.text(1, 23))
                    .optional("SENDNOTIFY", Values.bool(), null, "x").optional("SENDDELETES", Values.bool(), null, "y")
                    .handler(GrammarTest::nothing),
            CommandSpec.of("LOGIN").alias("LOGON", "LOGI").handler(GrammarTest::nothing),
            CommandSpec.of("PING").value(Values.ip()).optional("NUMBER", Values.integer(1, 100), "5", "count").positional()
                    .handler(GrammarTest::nothing),
            CommandSpec.of("LOGOFF").alias("LOGOUT", "LO").handler(GrammarTest::nothing)));

    static void nothing(Invocation inv) {
    }

    static String error(String line) {
        CommandException e = assertThrows(CommandException.class, () -> G.parse(line));
        return e.rendered();
    }

    @Test
    void abbreviatedWordsParametersAndValues() throws Exception {
        Parsed p = G.parse("cre ipsec pol=vpn INT=ppp0 ac=ips KEYMAN=isa peer=2.2.2.2 lad=192.168.10.0 lma=255.255.255.0");
        assertEquals("CREATE IPSEC POLICY", p.spec().title());
        assertEquals("vpn", p.values().get("POLICY"));
        assertEquals("ppp0", p.values().get("INTERFACE"));
        assertEquals("IPSEC", p.values().get("ACTION"));
        assertEquals("ISAKMP", p.values().get("KEYMANAGEMENT"));
        assertEquals("2.2.2.2", ((Inet4Address) p.values().get("PEERADDRESS")).getHostAddress());
        assertEquals("192.168.10.0", p.values().get("LADDRESS").toString());
    }

    @Test
    void exactSpellingWinsOverLongerKeyword() throws Exception {
        // IP is both a whole keyword and a prefix of IPSEC
        assertEquals("SHOW IP", G.parse("sh ip").spec().title());
        assertEquals("SHOW IPSEC", G.parse("sh ips").spec().title());
    }

    @Test
    void ambiguityListsTheCandidates() {
        assertEquals("Error (334002): \"s\" is ambiguous here; it could be SENDNOTIFY, SENDDELETES.",
                error("set ipsec pol=a s=yes"));
        assertEquals("Error (334002): \"SEND\" is ambiguous here; it could be SENDNOTIFY, SENDDELETES.",
                error("set ipsec pol=a SEND=yes"));
        assertTrue(error("create ipsec policy=a int=x ac=ip lp=1 l=1").contains("ambiguous"));
    }

    @Test
    void aliasesMatchExactly() throws Exception {
        assertEquals("LOGOFF", G.parse("lo").spec().title());
        assertEquals("LOGOFF", G.parse("LOGOUT").spec().title());
        assertEquals("LOGIN", G.parse("logi").spec().title());
        assertEquals("LOGIN", G.parse("logon").spec().title());
        assertTrue(error("logo").contains("ambiguous"));
    }

    @Test
    void quotedValuesKeepSpacesAndCase() throws Exception {
        Parsed p = G.parse("create ipsec pol=\"My VPN\" int=eth0 ac=permit lname=\"Site A HQ\"");
        assertEquals("My VPN", p.values().get("POLICY"));
        assertEquals("Site A HQ", p.values().get("LNAME"));
    }

    @Test
    void structuralErrors() {
        assertEquals("Error (334001): Unknown command \"frobnicate\".", error("frobnicate ip"));
        assertEquals("Error (334010): Incomplete command; next could be POLICY, SASPECIFICATION.", error("create ipsec"));
        assertEquals("Error (334005): Parameter ACTION is required.", error("create ipsec pol=a int=eth0"));
        assertEquals("Error (334008): POLICY needs a value (POLICY=a name of 1..23 printable characters).",
                error("create ipsec pol int=eth0 ac=deny"));
        assertEquals("Error (334009): Parameter ACTION is given more than once.",
                error("create ipsec pol=a int=eth0 ac=deny act=permit"));
        assertEquals("Error (334007): RANDOM does not take a value.", error("create enco key=1 type=des random=yes"));
        assertEquals("Error (334017): Parameters RANDOM and VALUE cannot be used together.",
                error("create enco key=1 type=des value=0x0102 random"));
        assertTrue(error("create ipsec pol=a int=eth0 ac=deny bogus=1")
                .startsWith("Error (334004): Parameter \"bogus\" is not valid for CREATE IPSEC POLICY; valid here: INTERFACE, ACTION"));
        assertEquals("Error (334011): Quoted string is not terminated.", error("create ipsec pol=\"abc int=eth0"));
        assertEquals("Error (334013): Command line contains a control character (0x07).", error("show ip\u0007"));
        assertEquals("Error (334012): Command line is longer than 1024 characters.", error("show ip " + "x".repeat(1100)));
    }

    @Test
    void valueErrorsNameTheParameterAndTheForm() {
        assertEquals("Error (334006): Value \"300\" is not valid for SASPECIFICATION: expected 0..255 (out of range).",
                error("create ipsec sas=300 prot=esp"));
        assertEquals("Error (334006): Value \"255\" is not valid for INSPI: expected 256..4294967295 (out of range).",
                error("create ipsec sas=1 prot=esp inspi=255"));
        assertEquals("Error (334006): Value \"-1\" is not valid for SASPECIFICATION: expected 0..255.",
                error("create ipsec sas=-1 prot=esp"));
        assertTrue(error("create ipsec pol=a int=eth0 ac=deny peer=1.2.3.256").contains("PEERADDRESS"));
        assertTrue(error("create ipsec pol=a int=eth0 ac=deny lma=255.0.255.0").contains("contiguous"));
        assertTrue(error("create ipsec pol=a int=eth0 ac=d udptunnel=maybe").contains("TRUE|FALSE|YES|NO|ON|OFF"));
        assertTrue(error("create ipsec pol=a int=e_0 ac=deny").contains("only letters, digits and - are allowed"));
        assertTrue(error("create ipsec pol=" + "p".repeat(24) + " int=eth0 ac=deny").contains("length must be 1..23"));
        assertTrue(error("create ipsec pol=a int=eth0 ac=deny lad=10.0.0.9-10.0.0.1").contains("must not be above"));
        assertTrue(error("create ipsec pol=a int=eth0 ac=deny lp=65536").contains("LPORT"));
        assertTrue(error("create ipsec pol=a int=eth0 ac=deny lp=").contains("LPORT"));
    }

    @Test
    void edgeValuesOfEveryType() throws Exception {
        assertEquals(0L, G.parse("create ipsec sas=0 prot=ah").values().get("SASPECIFICATION"));
        assertEquals(255L, G.parse("create ipsec sas=255 prot=ah").values().get("SASPECIFICATION"));
        assertEquals(4294967295L, G.parse("create ipsec sas=1 prot=ah inspi=4294967295").values().get("INSPI"));
        assertEquals("0.0.0.0", ((Inet4Address) G.parse("create ipsec pol=a int=e ac=d peer=0.0.0.0").values().get("PEERADDRESS")).getHostAddress());
        assertEquals("0.0.0.0", ((Inet4Address) G.parse("create ipsec pol=a int=e ac=d lma=0.0.0.0").values().get("LMASK")).getHostAddress());
        assertEquals("255.255.255.255", ((Inet4Address) G.parse("create ipsec pol=a int=e ac=d lma=255.255.255.255").values().get("LMASK")).getHostAddress());
        assertEquals("DYNAMIC", G.parse("create ipsec pol=a int=e ac=d peer=dyn").values().get("PEERADDRESS"));
        assertEquals("ANY", G.parse("create ipsec pol=a int=e ac=d lp=any").values().get("LPORT"));
        assertEquals(65535L, G.parse("create ipsec pol=a int=e ac=d lp=65535").values().get("LPORT"));
        IpRange r = (IpRange) G.parse("create ipsec pol=a int=e ac=d lad=10.0.0.1-10.0.0.9").values().get("LADDRESS");
        assertEquals("10.0.0.1-10.0.0.9", r.toString());
        for (String t : List.of("TRUE", "yes", "On", "t", "y")) {
            assertEquals(Boolean.TRUE, G.parse("create ipsec pol=a int=e ac=d udpt=" + t).values().get("UDPTUNNEL"), t);
        }
        for (String f : List.of("FALSE", "no", "OFF", "f", "n")) {
            assertEquals(Boolean.FALSE, G.parse("create ipsec pol=a int=e ac=d udpt=" + f).values().get("UDPTUNNEL"), f);
        }
        assertTrue(error("create ipsec pol=a int=e ac=d udpt=o").contains("ambiguous, could be ON or OFF"));
        assertArrayEquals(new byte[]{0x01, (byte) 0xab}, (byte[]) G.parse("create enco key=1 type=des value=0x01AB").values().get("VALUE"));
        assertEquals("plain secret", G.parse("create enco key=1 type=gen value=\"plain secret\"").values().get("VALUE"));
        assertEquals("3DESINNER", G.parse("create enco key=1 type=3desi random").values().get("TYPE"));
        assertTrue(error("create enco key=1 type=3des random").contains("ambiguous"));
        assertEquals(Boolean.TRUE, G.parse("create enco key=65535 type=des random").values().get("RANDOM"));
    }

    @Test
    void optionalValuesAndKeywordParameters() throws Exception {
        Parsed bare = G.parse("show ipsec pol");
        assertEquals(Invocation.Present.BARE, bare.values().get("POLICY"));
        Parsed named = G.parse("show ipsec pol=vpn co sab");
        assertEquals("vpn", named.values().get("POLICY"));
        assertEquals(Boolean.TRUE, named.values().get("COUNTERS"));
        assertEquals(Boolean.TRUE, named.values().get("SABUNDLE"));
        assertEquals(Invocation.Present.BARE, G.parse("show config dyn").values().get("DYNAMIC"));
        assertEquals("IPSEC", G.parse("show config dynamic=ipsec").values().get("DYNAMIC"));
        assertNull(G.parse("   "));
    }

    @Test
    void completionOffersWordsParametersAndValues() {
        assertEquals(List.of("POLICY=", "SASPECIFICATION="), words(G.next("create ipsec ")));
        assertEquals(List.of("IP", "IPSEC"), words(G.next("show i")));
        assertEquals(List.of("SENDNOTIFY=", "SENDDELETES="), words(G.next("set ipsec pol=a se")));
        assertEquals(List.of("ac=IPSEC"), words(G.next("create ipsec pol=a int=e ac=i")));
        List<String> after = words(G.next("create ipsec pol=a int=eth0 "));
        assertTrue(after.contains("ACTION="), after.toString());
        assertTrue(!after.contains("INTERFACE="), "given parameters are not offered again: " + after);
        assertTrue(after.contains(""), "<cr> is offered once the command can end");
        Candidate action = G.next("create ipsec pol=a int=eth0 ").stream().filter(c -> c.word().equals("ACTION=")).findFirst().orElseThrow();
        assertEquals("ACTION=DENY|IPSEC|PERMIT", action.usage());
        Candidate km = G.next("create ipsec pol=a int=eth0 ").stream().filter(c -> c.word().equals("KEYMANAGEMENT=")).findFirst().orElseThrow();
        assertEquals("[KEYMANAGEMENT=ISAKMP|MANUAL]", km.usage());
        assertTrue(km.help().contains("default MANUAL"));
        assertEquals(List.of(), words(G.next("bogus ")));
    }

    private static List<String> words(List<Candidate> cs) {
        return cs.stream().map(Candidate::word).toList();
    }

    @Test
    void positionalValues() throws Exception {
        assertEquals("10.0.0.1", ((Inet4Address) G.parse("ping 10.0.0.1 num=2").values().get("PING")).getHostAddress());
        assertEquals(2L, G.parse("ping 10.0.0.1 num=2").values().get("NUMBER"));
        assertEquals("10.0.0.2", ((Inet4Address) G.parse("ping=10.0.0.2").values().get("PING")).getHostAddress());
        assertTrue(error("ping 10.0.0.300").contains("PING"));
        assertTrue(error("ping num=2").contains("PING needs a value"));
    }

    @Test
    void conflictingDeclarationsAreProgrammingErrors() {
        assertThrows(IllegalStateException.class, () -> new Grammar(List.of(
                CommandSpec.of("SHOW X").handler(GrammarTest::nothing),
                CommandSpec.of("SHOW X").handler(GrammarTest::nothing))));
        assertThrows(IllegalArgumentException.class, () -> CommandSpec.of("A B").flag("C", "").flag("C", ""));
    }
}
