package io.argate.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 7: a key or an interface that the IPsec configuration names cannot be removed
 * from under it; the refusal names the user, as DESTROY IPSEC SASPECIFICATION does for bundles.
 */
class DanglingReferencesTest {
    @TempDir
    Path data;

    @Test
    void anEncoKeyUsedByAManualSaSpecificationCannotBeDestroyed() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("create enco key=1 type=des value=0xf888cac6c66ecf52");
            r.ok("create enco key=2 type=general value=0x431d62cd3cb76fb8101dacaf43aa4dbfb919e957");
            r.ok("create enco key=3 type=des value=0x0123456789abcdef");
            r.ok("create ipsec sas=1 key=manual prot=esp encalg=des enckey=1 hashalg=sha hashkey=2 inspi=300 outspi=301");

            assertFalse(r.run("destroy enco key=1"));
            assertEquals("Error (371016): ENCO key 1 is used by IPsec SA specification 1 (ENCKEY); destroy or change that first.", r.out());
            assertFalse(r.run("destroy enco key=2"));
            assertEquals("Error (371016): ENCO key 2 is used by IPsec SA specification 1 (HASHKEY); destroy or change that first.", r.out());
            r.ok("show enco key");
            assertTrue(r.out().contains("1") && r.out().contains("2"), "both keys are still there: " + r.out());

            r.ok("set ipsec sas=1 enckey=3");
            r.ok("destroy enco key=1");
            assertEquals("Info (171009): ENCO key 1 has been destroyed.", r.out());
            r.ok("destroy ipsec sas=1");
            r.ok("destroy enco key=2");
            r.ok("destroy enco key=3");
        }
    }

    @Test
    void anInterfaceWithIpsecPoliciesCannotBeDeleted() throws Exception {
        try (RouterRig r = new RouterRig(data)) {
            r.ok("add ip int=eth0 ip=192.0.2.1 mask=255.255.255.0");
            r.ok("add ip int=vlan1 ip=10.1.0.1 mask=255.255.255.0");
            r.ok("create ipsec policy=inet int=eth0 action=permit");

            assertFalse(r.run("delete ip int=eth0"));
            assertEquals("Error (340012): Interface eth0-0 is used by IPsec policy inet; destroy or change that first.", r.out());
            assertFalse(r.run("delete ip int=ETH0-0"));
            r.ok("show ip interface");
            assertTrue(r.out().contains("192.0.2.1"), "the interface is still there: " + r.out());

            r.ok("create ipsec policy=lan int=vlan1 action=deny srcinterface=eth0");
            r.ok("destroy ipsec policy=inet");
            assertFalse(r.run("delete ip int=eth0"));
            assertEquals("Error (340012): Interface eth0-0 is used by IPsec policy lan (SRCINTERFACE); destroy or change that first.", r.out());
            r.ok("destroy ipsec policy=lan");
            r.ok("delete ip int=eth0");
            r.ok("delete ip int=vlan1");
        }
    }
}
