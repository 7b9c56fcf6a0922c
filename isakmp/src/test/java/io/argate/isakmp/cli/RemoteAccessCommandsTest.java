package io.argate.isakmp.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** XAUTH parameters (seed 003 "XAUTH", fact sheet 2.5) and the Mode Config pools, through the command language and back. */
class RemoteAccessCommandsTest {
    final IsakmpCommandsTest base = new IsakmpCommandsTest();

    @AfterEach
    void close() {
        base.close();
    }

    void ok(String line) {
        assertTrue(base.rig.run(line), line + " -> " + base.rig.lastOutput());
    }

    String fails(String line) {
        assertFalse(base.rig.run(line), line + " should fail");
        return base.rig.lastOutput();
    }

    String out() {
        return base.rig.lastOutput();
    }

    List<String> config() {
        List<String> out = new ArrayList<>();
        base.module.writeConfig(out::add);
        return out;
    }

    @Test
    void theSeedsXauthExampleIsTakenAsWrittenAndRoundTrips() {
        // seed 003: the fixed side (server) and the dynamic side (client), with the abbreviation XAUTHPASS
        ok("CREATE ISAKMP POLICY=i PEER=ANY KEY=1 SENDN=TRUE XAUTH=SERVER");
        ok("CREATE ISAKMP POLICY=c PEER=1.1.1.1 KEY=1 SENDN=TRUE XAUTH=CLIENT");
        ok("SET ISAKMP POLICY=c XAUTHNAME=client1 XAUTHPASS=passclie1");
        ok("SET ISAKMP POLICY=c HYBRIDXAUTH=ON XAUTHTYPE=GENERIC");
        ok("SHOW ISAKMP POLICY=c");
        assertTrue(out().contains("XAUTH ......") && out().contains("CLIENT"), out());
        assertTrue(out().contains("client1"), out());
        assertFalse(out().contains("passclie1"), "SHOW never prints the password: " + out());
        List<String> written = config();
        assertEquals(List.of(
                "create isakmp policy=i peer=any key=1 sendnotify=true xauth=server",
                "create isakmp policy=c peer=1.1.1.1 key=1 sendnotify=true xauth=client xauthname=client1 xauthpassword=passclie1 hybridxauth=true"),
                written);
        ok("PURGE ISAKMP");
        written.forEach(this::ok);
        assertEquals(written, config());
    }

    @Test
    void radiusIsAClearError() {
        assertTrue(fails("CREATE ISAKMP POLICY=i PEER=ANY KEY=1 XAUTH=SERVER XAUTHTYPE=RADIUS").contains("XAUTHTYPE=RADIUS needs a RADIUS client"), out());
    }

    @Test
    void poolsRoundTripAndAPolicyNamesOne() {
        ok("CREATE ISAKMP POOL=clients RANGE=10.9.0.10-10.9.0.20 DNS=10.0.0.53,10.0.0.54 WINS=10.0.0.55 SPLIT=192.168.20.0/24,10.10.0.0/16");
        ok("CREATE ISAKMP POOL=lab RANGE=10.8.0.1-10.8.0.2 NETMASK=255.255.255.0");
        ok("CREATE ISAKMP POLICY=gw PEER=ANY KEY=1 XAUTH=SERVER POOL=clients");
        ok("CREATE ISAKMP POLICY=push PEER=ANY KEY=1 POOL=lab MODECFG=PUSH MODE=AGGRESSIVE REMOTEID=x");
        ok("CREATE ISAKMP POLICY=cl PEER=2.2.2.2 KEY=1 XAUTH=CLIENT MODECFG=CLIENT");
        ok("SHOW ISAKMP POOL");
        assertTrue(out().contains("clients") && out().contains("10.9.0.10-10.9.0.20") && out().contains("11"), out());
        ok("SHOW ISAKMP POOL=clients");
        assertTrue(out().contains("10.0.0.53, 10.0.0.54") && out().contains("192.168.20.0/24, 10.10.0.0/16"), out());
        List<String> written = config();
        assertEquals(List.of(
                "create isakmp pool=clients range=10.9.0.10-10.9.0.20 dns=10.0.0.53,10.0.0.54 wins=10.0.0.55 split=192.168.20.0/24,10.10.0.0/16",
                "create isakmp pool=lab range=10.8.0.1-10.8.0.2 netmask=255.255.255.0",
                "create isakmp policy=gw peer=any key=1 xauth=server pool=clients",
                "create isakmp policy=push peer=any key=1 mode=aggressive remoteid=x pool=lab modecfg=push",
                "create isakmp policy=cl peer=2.2.2.2 key=1 xauth=client modecfg=client"), written);
        ok("PURGE ISAKMP");
        written.forEach(this::ok);
        assertEquals(written, config());
    }

    @Test
    void poolMistakesAreRefusedWithTheReason() {
        assertTrue(fails("CREATE ISAKMP POLICY=gw PEER=ANY KEY=1 POOL=nope").contains("POOL=nope does not exist"), out());
        assertTrue(fails("CREATE ISAKMP POOL=p RANGE=10.0.0.0-10.2.0.0").contains("at most 65536"), out());
        assertTrue(fails("CREATE ISAKMP POOL=p RANGE=10.0.0.1-10.0.0.9 SPLIT=10.1.1.1/24").contains("host bits are set"), out());
        assertTrue(fails("CREATE ISAKMP POOL=p RANGE=10.0.0.1-10.0.0.9 DNS=10.0.0.x").contains("not an IP address"), out());
        ok("CREATE ISAKMP POOL=p RANGE=10.0.0.1-10.0.0.9");
        assertTrue(fails("CREATE ISAKMP POLICY=gw PEER=ANY KEY=1 MODECFG=PUSH").contains("needs POOL=name"), out());
        ok("CREATE ISAKMP POLICY=gw PEER=ANY KEY=1 POOL=p");
        assertTrue(fails("DESTROY ISAKMP POOL=p").contains("is used by ISAKMP policy gw"), out());
        ok("SET ISAKMP POLICY=gw POOL=NONE");
        ok("DESTROY ISAKMP POOL=p");
    }

    @Test
    void counterGroupsTransactionAndXauthExist() {
        ok("SHOW ISAKMP COUNTERS=XAUTH");
        assertTrue(out().contains("ISAKMP Xauth Counters") && out().contains("xauthServerRefused"), out());
        ok("SHOW ISAKMP COUNTERS=TRANSACTION");
        assertTrue(out().contains("transMessagesSent") && out().contains("modeCfgAddressAssigned"), out());
    }
}
