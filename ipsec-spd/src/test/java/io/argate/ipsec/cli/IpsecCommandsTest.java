package io.argate.ipsec.cli;

import io.argate.ipsec.diag.PolicyCounters;
import io.argate.ipsec.diag.PolicyDebug;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.replay.ReplayWindow;
import io.argate.ipsec.sad.Lifetime;
import io.argate.ipsec.sad.Sa;
import io.argate.ipsec.sad.SaBundle;
import io.argate.ipsec.sad.SaDetails;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spd.CompiledSpd;
import io.argate.ipsec.spd.Direction;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.shell.ConfigOut;
import io.argate.shell.testing.CommandRig;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpsecCommandsTest {
    /** ENCO keys as the seed's manual example creates them: 1 DES, 2 GENERAL 20 bytes. */
    static final EncoKeys KEYS = new EncoKeys() {
        final Map<Integer, KeyInfo> keys = Map.of(1, new KeyInfo("DES", 8), 2, new KeyInfo("GENERAL", 20),
                3, new KeyInfo("AES128", 16), 4, new KeyInfo("GENERAL", 16));

        public Optional<KeyInfo> info(int n) {
            return Optional.ofNullable(keys.get(n));
        }

        public Optional<byte[]> value(int n) {
            return Optional.empty();
        }
    };

    record Details(String alg) implements SaDetails {
        public List<String[]> details() {
            return List.<String[]>of(new String[]{"Encryption algorithm", alg});
        }
    }

    final IpsecConfig config = new IpsecConfig();
    final io.argate.shell.testing.StepClock clock = new io.argate.shell.testing.StepClock();
    final Sad<Details> sad = new Sad<>(clock);
    final IpsecModule module = new IpsecModule(config, sad, d -> d, KEYS, Set.of("ppp0", "eth0", "vlan1")::contains,
            new IpsecCounter.Set(), new PolicyCounters(), new PolicyDebug());
    final CommandRig rig = new CommandRig(List.of(module));

    void ok(String line) {
        assertTrue(rig.run(line), line + " -> " + rig.lastOutput());
    }

    String fails(String line) {
        assertFalse(rig.run(line), line + " should fail");
        return rig.lastOutput();
    }

    static final List<String> SEED_MANUAL = List.of(
            "CREATE IPSEC SASPEC=1 KEYMAN=MANUAL PROT=ESP ENCALG=DES ENCKEY=1 HASHALG=SHA HASHKEY=2 INSPI=1000 OUTSPI=1001",
            "CREATE IPSEC BUNDLE=1 KEYMAN=MANUAL STRING=\"1\"",
            "CREATE IPSEC POLICY=vpn INT=ppp0 ACTION=IPSEC KEYMAN=MANUAL BUNDLE=1 PEER=2.2.2.2",
            "SET IPSEC POLICY=vpn LAD=192.168.10.0 LMA=255.255.255.0 RAD=192.168.20.0 RMA=255.255.255.0",
            "CREATE IPSEC POLICY=inet INT=ppp0 ACTION=PERMIT",
            "ENABLE IPSEC");

    /** PFS with the RFC 3526 groups beside the AR's 1 and 2; anything else is refused by name. */
    @Test
    void pfsGroupsAreTheOnesArgateOffers() {
        ok("create ipsec sas=1 key=isakmp prot=esp encalg=des hashalg=sha");
        ok("create ipsec bundle=1 key=isakmp string=\"1\"");
        ok("create ipsec policy=vpn int=eth0 action=ipsec key=isakmp bundle=1 peer=10.0.0.2 group=14");
        ok("set ipsec policy=vpn group=5");
        assertEquals("Error (381024): GROUP=3 is not a group argate offers for PFS; use 0 (none), 1, 2, 5, 14, 15 or 16.",
                fails("set ipsec policy=vpn group=3"));
    }

    @Test
    void theSeedsManualKeyExample() {
        SEED_MANUAL.forEach(this::ok);
        assertTrue(config.enabled());
        IpsecPolicy vpn = config.policy("VPN").orElseThrow();
        assertEquals("vpn", vpn.name());
        CompiledSpd<IpsecPolicy> spd = config.spd();
        assertEquals("vpn", spd.lookup("ppp0", Direction.OUTBOUND, 0xC0A80A05, 0xC0A81409, 1, -2, -2).policy().name());
        assertEquals("inet", spd.lookup("ppp0", Direction.OUTBOUND, 0xC0A80A05, 0x08080808, 1, -2, -2).policy().name());
    }

    @Test
    void configurationRoundTripsThroughScriptLines() {
        SEED_MANUAL.forEach(this::ok);
        ok("create ipsec sas=3 key=isakmp prot=comp compalg=lzs");
        ok("create ipsec sas=4 key=isakmp prot=esp encalg=aes256 hashalg=sha mode=transport antireplay=yes replay=128");
        ok("create ipsec sas=5 key=isakmp prot=ah hashalg=md5");
        ok("create ipsec bundle=2 key=isakmp string=\"3 and 4 and 5, 4\" expirys=3600 expiryk=100000");
        ok("create ipsec pol=isa int=ppp0 ac=permit lp=500 rp=500 tran=udp position=1");
        ok("create ipsec pol=\"road warrior\" int=eth0 ac=ipsec key=isakmp bund=2 peer=dynamic rname=\"client1\" udpt=yes udph=yes udpp=3000 gr=2 df=set resp=yes");
        ok("create ipsec pol=range int=vlan1 ac=deny lad=10.0.0.1-10.0.0.9 rad=172.16.0.1");
        ok("set ipsec udpport=3001");
        List<String> first = script(module);

        IpsecConfig config2 = new IpsecConfig();
        IpsecModule module2 = new IpsecModule(config2, new Sad<Details>(Clock.systemUTC()), d -> d, KEYS, Set.of("ppp0", "eth0", "vlan1")::contains,
                new IpsecCounter.Set(), new PolicyCounters(), new PolicyDebug());
        CommandRig rig2 = new CommandRig(List.of(module2));
        for (String line : first) {
            assertTrue(rig2.run(line), line + " -> " + rig2.lastOutput());
        }
        assertEquals(first, script(module2));
        assertEquals(List.of("isa", "vpn", "inet"), config2.policiesOf("ppp0").stream().map(IpsecPolicy::name).toList());
        assertTrue(first.contains("create ipsec pol=\"road warrior\" int=eth0 ac=ipsec key=isakmp bund=2 peer=dynamic rn=client1 df=set gr=2 udpt=true udph=true udpp=3000 resp=true"),
                String.join("\n", first));
        assertTrue(first.contains("create ipsec sas=1 key=manual prot=esp encalg=des hashalg=sha enckey=1 hashkey=2 inspi=1000 outspi=1001"));
    }

    /**
     * Thousands of command lines, mostly wrong (values out of range, of the wrong kind, empty,
     * oversized; grammar that does not parse; references to things that do not exist), mixed with
     * right ones. None may reach a handler bug, and whatever configuration results must still be
     * a script that builds the same configuration again.
     */
    @Test
    void randomCommandLinesNeverReachAHandlerBugAndLeaveAValidConfiguration() {
        List<String> bugs = new ArrayList<>();
        rig.processor().onHandlerFailure((spec, e) -> bugs.add(spec + ": " + e));
        SEED_MANUAL.forEach(this::ok);
        java.util.Random r = new java.util.Random(4301);
        String[] values = {"1", "0", "255", "256", "-1", "4294967295", "4294967296", "99999999999999999999", "", "\"\"", "x",
                "\"1 and 2\"", "\"1 and\"", "\"1 or or 2\"", "\"1,,2\"", "\"3 and 3\"", "\"(1)\"", "yes", "no", "true", "maybe",
                "esp", "ah", "comp", "des", "3desouter", "aes128", "aesgcm128", "null", "sha", "md5", "sha2-256", "lzs", "deflate",
                "manual", "isakmp", "tunnel", "transport", "ipsec", "permit", "deny", "dynamic", "set", "clear", "copy",
                "10.0.0.1", "10.0.0.1-10.0.0.9", "10.0.0.9-10.0.0.1", "255.255.255.0", "255.0.255.0", "0.0.0.0", "1.2.3", "300.1.1.1",
                "ppp0", "eth0", "vlan1", "eth9", "vpn", "inet", "new", "\"a b\"", "a".repeat(80), "tcp", "udp", "6", "17", "2746",
                "65535", "65536", "32", "64", "128", "256", "300", "86400", "all", "packet", "trace", "filter"};
        String[] saParams = {"key", "prot", "mode", "encalg", "hashalg", "compalg", "enckey", "hashkey", "inspi", "outspi",
                "antireplay", "replay"};
        String[] bundleParams = {"key", "string", "expirys", "expiryk"};
        String[] policyParams = {"int", "ac", "key", "bund", "peer", "lad", "lma", "lp", "ln", "rad", "rma", "rp", "rn", "tran",
                "position", "udpt", "udph", "udpp", "df", "gr", "srci", "resp"};
        String[] verbs = {"create", "set", "destroy", "show", "enable", "disable"};
        for (int i = 0; i < 4000; i++) {
            StringBuilder line = new StringBuilder();
            int kind = r.nextInt(6);
            String verb = verbs[r.nextInt(verbs.length)];
            String[] params = kind == 0 ? saParams : kind == 1 ? bundleParams : policyParams;
            String object = switch (kind) {
                case 0 -> "ipsec sas=" + values[r.nextInt(values.length)];
                case 1 -> "ipsec bundle=" + values[r.nextInt(values.length)];
                case 2, 3 -> "ipsec policy=" + values[r.nextInt(values.length)];
                case 4 -> "ipsec " + (r.nextBoolean() ? "udpport=" + values[r.nextInt(values.length)] : "counters");
                default -> "ipsec policy=" + values[r.nextInt(values.length)] + " debug=" + values[r.nextInt(values.length)];
            };
            line.append(verb).append(' ').append(object);
            for (int n = r.nextInt(5); n > 0; n--) {
                line.append(' ').append(params[r.nextInt(params.length)]).append('=').append(values[r.nextInt(values.length)]);
            }
            rig.run(line.toString());
            assertTrue(bugs.isEmpty(), line + " -> " + bugs + "\n" + rig.lastOutput());
        }
        rig.run("purge ipsec");
        assertTrue(bugs.isEmpty(), bugs.toString());

        // whatever the lines left behind is a configuration that rebuilds itself exactly: mostly
        // sensible values this time, so that many lines succeed and build on each other
        Map<String, String[]> good = Map.ofEntries(
                Map.entry("sas", new String[]{"1", "2", "3", "4", "5"}), Map.entry("bundle", new String[]{"1", "2", "3"}),
                Map.entry("policy", new String[]{"a", "b", "c", "d", "vpn", "inet"}), Map.entry("key", new String[]{"manual", "isakmp"}),
                Map.entry("prot", new String[]{"esp", "ah", "comp"}), Map.entry("mode", new String[]{"tunnel", "transport"}),
                Map.entry("encalg", new String[]{"des", "aes128", "aesgcm128", "null"}), Map.entry("hashalg", new String[]{"sha", "md5", "null"}),
                Map.entry("compalg", new String[]{"lzs", "deflate"}), Map.entry("enckey", new String[]{"1", "3"}),
                Map.entry("hashkey", new String[]{"2", "4"}), Map.entry("inspi", new String[]{"300", "1000", "5000"}),
                Map.entry("outspi", new String[]{"301", "1001", "5001"}), Map.entry("antireplay", new String[]{"yes", "no"}),
                Map.entry("replay", new String[]{"32", "64", "256"}), Map.entry("string", new String[]{"\"1\"", "\"1 and 2\"", "\"2 or 3, 1\"", "\"3 and 1\""}),
                Map.entry("expirys", new String[]{"600", "3600"}), Map.entry("expiryk", new String[]{"100", "5000"}),
                Map.entry("int", new String[]{"ppp0", "eth0", "vlan1"}), Map.entry("ac", new String[]{"ipsec", "permit", "deny"}),
                Map.entry("bund", new String[]{"1", "2"}), Map.entry("peer", new String[]{"10.0.0.2", "dynamic"}),
                Map.entry("lad", new String[]{"192.168.1.0", "10.0.0.1-10.0.0.9"}), Map.entry("lma", new String[]{"255.255.255.0"}),
                Map.entry("rad", new String[]{"192.168.2.0", "172.16.0.1"}), Map.entry("rma", new String[]{"255.255.255.0", "255.255.0.0"}),
                Map.entry("lp", new String[]{"500", "any"}), Map.entry("rp", new String[]{"4500", "any"}), Map.entry("ln", new String[]{"client"}),
                Map.entry("rn", new String[]{"server"}), Map.entry("tran", new String[]{"tcp", "udp", "any"}),
                Map.entry("position", new String[]{"1", "2"}), Map.entry("udpt", new String[]{"yes", "no"}), Map.entry("udph", new String[]{"yes", "no"}),
                Map.entry("udpp", new String[]{"2746", "3000"}), Map.entry("df", new String[]{"set", "clear", "copy"}),
                Map.entry("gr", new String[]{"1", "2"}), Map.entry("srci", new String[]{"vlan1"}), Map.entry("resp", new String[]{"yes", "no"}));
        java.util.function.Function<String, String> pick = name -> r.nextInt(10) == 0 ? values[r.nextInt(values.length)]
                : good.get(name)[r.nextInt(good.get(name).length)];
        for (int i = 0; i < 3000; i++) {
            int kind = r.nextInt(3);
            String what = kind == 0 ? "sas" : kind == 1 ? "bundle" : "policy";
            String verb = r.nextInt(4) == 0 ? "set" : r.nextInt(10) == 0 ? "destroy" : "create";
            StringBuilder line = new StringBuilder(verb).append(" ipsec ").append(what).append('=').append(pick.apply(what));
            if (!verb.equals("destroy")) {
                List<String> params = new ArrayList<>(List.of(kind == 0 ? saParams : kind == 1 ? bundleParams : policyParams));
                List<String> required = verb.equals("set") ? List.of()
                        : kind == 0 ? List.of("key", "prot") : kind == 1 ? List.of("key", "string") : List.of("int", "ac");
                params.removeAll(required);
                java.util.Collections.shuffle(params, r);
                List<String> chosen = new ArrayList<>(required);
                chosen.addAll(params.subList(0, r.nextInt(Math.min(5, params.size()))));
                for (String param : chosen) {
                    line.append(' ').append(param).append('=').append(pick.apply(param));
                }
            }
            rig.run(line.toString());
        }
        assertTrue(bugs.isEmpty(), bugs.toString());
        List<String> first = script(module);
        assertTrue(first.size() > 10, "many of the sensible lines were valid: " + first);
        IpsecModule module2 = new IpsecModule(new IpsecConfig(), new Sad<Details>(Clock.systemUTC()), d -> d, KEYS,
                Set.of("ppp0", "eth0", "vlan1")::contains, new IpsecCounter.Set(), new PolicyCounters(), new PolicyDebug());
        CommandRig rig2 = new CommandRig(List.of(module2));
        for (String line : first) {
            assertTrue(rig2.run(line), line + " -> " + rig2.lastOutput());
        }
        assertEquals(first, script(module2));
    }

    static List<String> script(IpsecModule m) {
        List<String> lines = new ArrayList<>();
        m.writeConfig(lines::add);
        return lines;
    }

    @Test
    void saSpecificationRulesNameTheParameter() {
        assertEquals("Error (381003): SA specification 1: ENCALG and HASHALG cannot both be NULL.",
                fails("create ipsec sas=1 key=isakmp prot=esp encalg=null hashalg=null"));
        assertTrue(fails("create ipsec sas=1 key=isakmp prot=esp").contains("ESP needs ENCALG"));
        assertTrue(fails("create ipsec sas=1 key=manual prot=esp encalg=des hashalg=sha hashkey=2 inspi=1000 outspi=1001")
                .contains("manual DES needs ENCKEY (an ENCO key of TYPE=DES, 8 bytes)"));
        assertTrue(fails("create ipsec sas=1 key=manual prot=esp encalg=des enckey=2 inspi=1000 outspi=1001")
                .contains("ENCKEY=2 is an ENCO key of TYPE=GENERAL; DES needs TYPE=DES"));
        assertTrue(fails("create ipsec sas=1 key=manual prot=esp encalg=des enckey=9 inspi=1000 outspi=1001")
                .contains("ENCKEY=9 names no ENCO key"));
        assertTrue(fails("create ipsec sas=1 key=manual prot=ah hashalg=sha hashkey=4 inspi=1000 outspi=1001")
                .contains("HASHKEY=4 is 16 bytes long; SHA needs 20"));
        assertTrue(fails("create ipsec sas=1 key=manual prot=esp encalg=des enckey=1").contains("needs INSPI and OUTSPI"));
        assertTrue(fails("create ipsec sas=1 key=isakmp prot=esp encalg=des inspi=1000").contains("are for KEYMANAGEMENT=MANUAL"));
        assertTrue(fails("create ipsec sas=1 key=isakmp prot=ah encalg=des").contains("AH does not encrypt"));
        assertTrue(fails("create ipsec sas=1 key=isakmp prot=comp hashalg=sha").contains("IPComp only compresses"));
        assertTrue(fails("create ipsec sas=1 key=isakmp prot=esp encalg=des replay=100").contains("32, 64, 128 or 256"));
        assertTrue(fails("create ipsec sas=1 key=isakmp prot=esp encalg=des inspi=100").contains("256..4294967295"));
        assertEquals(List.of(), config.specs(), "nothing was created by refused commands");
        ok("create ipsec sas=1 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=1000 outspi=1001");
        assertEquals("Error (381001): SA specification 1 already exists.", fails("create ipsec sas=1 key=isakmp prot=ah"));
        assertTrue(fails("set ipsec sas=1 hashalg=null encalg=null").contains("cannot both be NULL"));
        assertEquals("SHA", config.spec(1).orElseThrow().hashAlg().name(), "a refused SET changes nothing");
    }

    @Test
    void bundleAndPolicyReferencesAreChecked() {
        ok("create ipsec sas=1 key=isakmp prot=esp encalg=des hashalg=sha");
        ok("create ipsec sas=2 key=isakmp prot=esp encalg=aes128 hashalg=sha");
        assertEquals("Error (381007): Bundle specification 1 STRING \"1 and 2\": position 7: AND joins different protocols, but SA specifications 1 and 2 are both ESP.",
                fails("create ipsec bundle=1 key=isakmp string=\"1 and 2\""));
        ok("create ipsec bundle=1 key=isakmp string=\"1 or 2\"");
        assertTrue(fails("create ipsec pol=vpn int=ppp9 ac=ipsec bund=1 peer=1.2.3.4").contains("Interface ppp9 does not exist"));
        assertTrue(fails("create ipsec pol=vpn int=ppp0 ac=ipsec peer=1.2.3.4").contains("ACTION=IPSEC needs BUNDLESPECIFICATION"));
        assertTrue(fails("create ipsec pol=vpn int=ppp0 ac=ipsec bund=7 peer=1.2.3.4").contains("bundle specification 7 does not exist"));
        assertTrue(fails("create ipsec pol=vpn int=ppp0 ac=ipsec key=manual bund=1 peer=1.2.3.4").contains("KEYMANAGEMENT=MANUAL but bundle specification 1 is ISAKMP"));
        assertTrue(fails("create ipsec pol=vpn int=ppp0 ac=permit bund=1").contains("BUNDLESPECIFICATION is only for ACTION=IPSEC"));
        assertTrue(fails("create ipsec pol=vpn int=ppp0 ac=ipsec bund=1 peer=1.2.3.4 udph=yes").contains("set UDPTUNNEL=TRUE as well"));
        assertTrue(fails("create ipsec pol=vpn int=ppp0 ac=permit lma=255.255.255.0").contains("LMASK needs LADDRESS with a single address"));
        assertTrue(fails("create ipsec pol=vpn int=ppp0 ac=permit position=2").contains("POSITION 2 is past the end"));
        ok("create ipsec pol=vpn int=ppp0 ac=ipsec bund=1 peer=1.2.3.4");
        assertEquals("Error (381008): Bundle specification 1 is used by IPsec policy vpn; destroy or change the policy first.",
                fails("destroy ipsec bundle=1"));
        assertEquals("Error (381004): SA specification 1 is used by bundle specification 1; destroy or change the bundle first.",
                fails("destroy ipsec sas=1"));
        assertEquals("Error (381009): IPsec policy VPN already exists.", fails("create ipsec pol=VPN int=ppp0 ac=permit"));
        ok("destroy ipsec pol=vpn");
        ok("destroy ipsec bundle=1");
        ok("destroy ipsec sas=1");
    }

    @Test
    void positionOrdersPoliciesAndImplicitDenyFollows() {
        ok("create ipsec pol=inet int=ppp0 ac=permit");
        ok("create ipsec pol=block int=ppp0 ac=deny rad=10.0.0.0 rma=255.0.0.0 pos=1");
        assertEquals(List.of("block", "inet"), config.policiesOf("ppp0").stream().map(IpsecPolicy::name).toList());
        assertTrue(config.spd().lookup("ppp0", Direction.OUTBOUND, 1, 0x0A000001, 6, 1, 2).policy().name().equals("block"));
        ok("set ipsec pol=block pos=2");
        assertEquals("inet", config.spd().lookup("ppp0", Direction.OUTBOUND, 1, 0x0A000001, 6, 1, 2).policy().name());
        ok("destroy ipsec pol=inet");
        assertTrue(config.spd().lookup("ppp0", Direction.OUTBOUND, 1, 0x0B000001, 6, 1, 2).implicitDeny());
    }

    @Test
    void showOutputs() {
        SEED_MANUAL.forEach(this::ok);
        ok("show ipsec");
        assertTrue(rig.lastOutput().contains("Module Status ...................... ENABLED"), rig.lastOutput());
        ok("show ipsec policy");
        assertTrue(rig.lastOutput().contains("vpn                     ppp0      1   IPSEC   MANUAL  1      2.2.2.2"), rig.lastOutput());
        ok("show ipsec policy=vpn");
        assertTrue(rig.lastOutput().contains(DetailLine.of("  Local Address", "192.168.10.0 / 255.255.255.0")), rig.lastOutput());
        ok("show ipsec sas=1");
        assertTrue(rig.lastOutput().contains("Inbound SPI ........................ 1000"), rig.lastOutput());
        ok("show ipsec bundle=1");
        assertTrue(rig.lastOutput().contains("Proposal 1 ......................... ESP (1: DES/SHA)"), rig.lastOutput());
        ok("show ipsec counters");
        assertTrue(rig.lastOutput().contains("  inReplayDuplicate"));
        assertEquals("Error (381023): SA 5 does not exist.", fails("show ipsec sa=5"));
    }

    @Test
    void showIpsecSaUsesTheConfirmedColumns() {
        Sa<Details> out = new Sa<>(5, IpsecProtocol.ESP, (int) 554781384L, false, 1, new Details("DES"), null);
        Sa<Details> in = new Sa<>(5, IpsecProtocol.ESP, (int) 2776920516L, true, 1, new Details("DES"), new ReplayWindow(64));
        sad.install(new SaBundle<>(5, "MY_VPN1_POLICY", 5, 0x02020202, true, List.of(out), List.of(in), Clock.systemUTC().instant(), Lifetime.UNLIMITED));
        ok("show ipsec sa");
        assertTrue(rig.lastOutput().contains("SA Id  Policy                  Bundle State    Protocol OutSPI      InSPI"), rig.lastOutput());
        assertTrue(rig.lastOutput().contains("5      MY_VPN1_POLICY          5      Valid    ESP      554781384   2776920516"), rig.lastOutput());
        ok("show ipsec sa=5");
        assertTrue(rig.lastOutput().contains("Role ............................... INITIATOR"));
        assertTrue(rig.lastOutput().contains("Encryption algorithm ............... DES"));
        assertTrue(rig.lastOutput().contains("Anti-replay window ................. 64"));
        sad.countBytes(sad.bundle(5).orElseThrow(), in, 1400);
        ok("show ipsec sa=5 counters");
        assertTrue(rig.lastOutput().contains("SA 5 (ESP, policy MY_VPN1_POLICY) counters:"), rig.lastOutput());
        assertTrue(rig.lastOutput().contains(DetailLine.of("  inBytes", 1400)), rig.lastOutput());
        ok("show ipsec sa counters");
        assertTrue(rig.lastOutput().contains(DetailLine.of("  inPackets", 1)), rig.lastOutput());
        assertEquals("Error (381023): SA 6 does not exist.", fails("show ipsec sa=6 counters"));
    }

    /** The reference's sample: SAs of policies v1, vf3 and vf1 show Bundle 1, the bundle specification, not a running number. */
    @Test
    void theBundleColumnIsTheBundleSpecification() {
        Sa<Details> out = new Sa<>(4, IpsecProtocol.ESP, 28060662, false, 1, new Details("DES"), null);
        Sa<Details> in = new Sa<>(4, IpsecProtocol.ESP, 981246197, true, 1, new Details("DES"), null);
        sad.install(new SaBundle<>(7, "vf3", 1, 0x02020202, true, List.of(out), List.of(in), clock.instant(), Lifetime.UNLIMITED));
        ok("show ipsec sa");
        assertTrue(rig.lastOutput().contains("4      vf3                     1      Valid    ESP      28060662    981246197"), rig.lastOutput());
        ok("show ipsec sa=4");
        assertTrue(rig.lastOutput().contains(DetailLine.of("Bundle", 1)), rig.lastOutput());
    }

    @Test
    void policySabundleUsesTheReferencesLayout() {
        SEED_MANUAL.forEach(this::ok);
        Sa<Details> espOut = new Sa<>(2, IpsecProtocol.ESP, 3001, false, 1, new Details("DES"), null);
        Sa<Details> espIn = new Sa<>(2, IpsecProtocol.ESP, 4001, true, 1, new Details("DES"), null);
        Sa<Details> ahOut = new Sa<>(3, IpsecProtocol.AH, 3002, false, 3, new Details("-"), null);
        Sa<Details> ahIn = new Sa<>(3, IpsecProtocol.AH, 4002, true, 3, new Details("-"), null);
        SaBundle<Details> b = new SaBundle<>(0, "vpn", 1, 0x02020202, true, List.of(espOut, ahOut), List.of(ahIn, espIn), clock.instant(),
                Lifetime.of(28800, 0));
        sad.install(b);
        sad.countBytes(b, espIn, 1728);
        clock.advanceSeconds(2732);
        ok("show ipsec policy sabundle");
        List<String> lines = rig.lastOutput().lines().toList();
        assertEquals(List.of("", "Ipsec Policy SA Bundles",
                "                           Bundle Expiry Limits - hard/soft/used",
                "Index  SA's       State     Bytes                   Seconds",
                "------------------------------------------------------------------------",
                "Policy ..........vpn",
                "0      2,3        VALID     -/-/1728                28800/27360/2732"), lines,
                "the seed's example row, same numbers; the PERMIT policy inet has no bundles and is not listed");
        ok("create ipsec policy=vx1 int=ppp0 action=ipsec key=manual bundle=1 peer=3.3.3.3");
        ok("show ipsec policy sabundle");
        assertTrue(rig.lastOutput().endsWith("Policy ..........vx1"), "an IPSEC policy without bundles is listed bare: " + rig.lastOutput());
        ok("show ipsec policy=vpn sabundle counters");
        assertTrue(rig.lastOutput().contains("  outMatched") && rig.lastOutput().contains("0      2,3        VALID"), rig.lastOutput());
    }

    @Test
    void debugNeedsAnExistingPolicy() {
        assertEquals("Error (381010): IPsec policy nope does not exist.", fails("enable ipsec pol=nope debug=all"));
        SEED_MANUAL.forEach(this::ok);
        ok("enable ipsec pol=vpn debug=packet");
        assertEquals("Info (181057): IPSEC Policy Debugging has been enabled.", rig.lastOutput());
    }

    @Test
    void purgeAndSecurityMode() {
        SEED_MANUAL.forEach(this::ok);
        rig.securityMode(true);
        assertTrue(fails("purge ipsec").contains("security command"));
        rig.securityMode(false);
        ok("purge ipsec");
        assertEquals(List.of(), script(module));
    }
}
