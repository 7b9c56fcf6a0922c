package io.argate.image;

import io.argate.store.LogEntry;
import io.argate.store.LogFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 5: one bad number in a boot script, or typed in a session, no longer stops the
 * boot or drops the session; the router comes up with the good lines and stays reachable.
 */
class HostileBootTest {
    @TempDir
    Path data;

    @Test
    void aBootScriptFullOfBadNumbersBootsWithItsGoodLinesAndTelnetAnswers() throws Exception {
        Files.createDirectories(data.resolve("flash"));
        String script = String.join("\n",
                "set system name=hq",
                "set system idletimeout=99999999999999999999",
                "set system idletimeout=\u0667",
                "create ipsec saspec=1 key=manual prot=esp encalg=des hashalg=sha inspi=18446744073709551616 outspi=300",
                "create enco key=9223372036854775808 type=des random",
                "add ip int=eth0 ip=192.168.1.\uFF11",
                "set system idletimeout=7", "");
        Files.writeString(data.resolve("flash").resolve("boot.cfg"), script, StandardCharsets.UTF_8);
        try (RouterRig r = new RouterRig(data, "--telnet", "127.0.0.1:0")) {
            assertEquals(5, r.router.lastBoot().failed(), String.join("\n", r.router.lastBoot().errors()));
            assertEquals("hq", r.router.shell().systemName().get());
            r.ok("show config dynamic");
            assertTrue(r.out().contains("set system idletimeout=7"), r.out());
            List<String> logged = r.router.log().query(LogFilter.all().module("CFG").type("SCRIPT")).stream().map(LogEntry::message).toList();
            assertTrue(logged.contains("boot.cfg line 2: Error (334006): Value \"99999999999999999999\" is not valid for IDLETIMEOUT: "
                    + "expected 0..1440 (out of range)."), logged.toString());
            assertTrue(logged.contains("boot.cfg line 3: Error (334006): Value \"\\u0667\" is not valid for IDLETIMEOUT: "
                    + "expected 0..1440 (only the digits 0-9 are allowed)."), logged.toString());
            for (int line = 4; line <= 6; line++) {
                String prefix = "boot.cfg line " + line + ": Error (334006)";
                assertTrue(logged.stream().anyMatch(m -> m.startsWith(prefix)), prefix + " in " + logged);
            }
            assertNotNull(r.router.telnetAddress(), "telnet is up");
            try (TelnetClient c = new TelnetClient(r.router.telnetAddress())) {
                TelnetTest.login(c, "manager", "friend");
                assertTrue(c.waitFor("Manager > ", 5000), c.text.toString());
            }
        }
    }

    @Test
    void aUserTypingAHugeNumberGetsAnErrorAndKeepsTheSession() throws Exception {
        try (RouterRig r = new RouterRig(data, "--telnet", "127.0.0.1:0")) {
            r.ok("add user=guest pass=guestpass priv=user login=yes");
            try (TelnetClient c = new TelnetClient(r.router.telnetAddress())) {
                TelnetTest.login(c, "guest", "guestpass");
                assertTrue(c.waitFor("User > ", 5000), c.text.toString());
                c.type("show ipsec sa=9999999999999999999\r\n");
                assertTrue(c.waitFor("Error (334006): Value \"9999999999999999999\" is not valid for SA", 5000), c.text.toString());
                c.clear();
                c.type("show time\r\n");
                assertTrue(c.waitFor("System time is", 5000), "the session is still there: " + c.text);
            }
        }
    }

    @Test
    void everyParameterOfEveryCommandRefusesHostileValuesWithACommandError() throws Exception {
        List<String> hostile = List.of("99999999999999999999", "9223372036854775808", "-1", "\u0661\u0662", "\uFF11.\uFF12.3.4",
                "0x\uFF21\uFF22", "0x" + "f".repeat(999), "", "\u202e", "\ud800", "x".repeat(1000), "1.2.3.4-\u0660.0.0.0");
        try (RouterRig r = new RouterRig(data)) {
            var grammar = r.router.shell().processor().grammar();
            int lines = 0;
            for (var spec : grammar.commands()) {
                List<io.argate.shell.cmd.Keyword> keywords = new java.util.ArrayList<>(spec.words());
                spec.params().values().forEach(p -> keywords.add(p.keyword()));
                for (var k : keywords) {
                    if (k.mode() == io.argate.shell.cmd.ValueMode.NONE) {
                        continue;
                    }
                    for (String v : hostile) {
                        String line = spec.words().stream().map(w -> w == k ? w.name() + "=" + v : w.name())
                                .collect(java.util.stream.Collectors.joining(" "))
                                + (spec.words().contains(k) ? "" : " " + k.name() + "=\"" + v + "\"");
                        lines++;
                        try {
                            grammar.parse(line);
                        } catch (io.argate.shell.cmd.CommandException refused) {
                            assertTrue(refused.rendered().startsWith("Error (334"), refused.rendered());
                        } catch (RuntimeException e) {
                            throw new AssertionError("exception for " + spec.title() + " " + k.name(), e);
                        }
                    }
                }
            }
            assertTrue(lines > 500, "lines tried: " + lines);
        }
    }
}
