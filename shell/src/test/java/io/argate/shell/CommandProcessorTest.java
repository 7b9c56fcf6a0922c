package io.argate.shell;

import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.cmd.Values;
import io.argate.shell.msg.CliMessages;
import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionKind;
import io.argate.shell.testing.BufferIo;
import org.junit.jupiter.api.Test;

import io.argate.shell.testing.StepClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandProcessorTest {


    enum TestMessages implements MessageDef {
        KEY_EXISTS(Kind.ERROR, 1, "Key %d already exists"),
        KEY_CREATED(Kind.INFO, 2, "Key %d created");

        private final Message message;

        TestMessages(Kind kind, int number, String text) {
            this.message = new Message(kind, 99, number, text);
        }

        @Override
        public Message message() {
            return message;
        }
    }

    /** A module with one ordinary, one security, one talkative and one broken command. */
    static final class Sample implements Module {
        final List<Long> keys = new ArrayList<>();

        public String name() {
            return "SAMPLE";
        }

        public int number() {
            return 99;
        }

        public int configOrder() {
            return 99;
        }

        public void commands(CommandTable t) {
            t.add(CommandSpec.of("SET THING").optional("SIZE", Values.integer(1, 9), "1", "size").handler(inv -> { }));
            t.add(CommandSpec.of("CREATE KEY").value(Values.integer(0, 9)).security().handler(inv -> {
                long n = inv.number("KEY");
                if (keys.contains(n)) {
                    throw new CommandException(TestMessages.KEY_EXISTS, n);
                }
                keys.add(n);
                inv.say(TestMessages.KEY_CREATED, n);
            }));
            t.add(CommandSpec.of("SHOW THINGS").privilege(Privilege.USER).handler(inv -> {
                for (int i = 1; i <= 25; i++) {
                    inv.println("line " + i);
                }
            }));
            t.add(CommandSpec.of("BREAK THING").handler(inv -> {
                throw new IllegalStateException("boom");
            }));
            t.add(CommandSpec.of("SET SECRET").privilege(Privilege.SECURITY_OFFICER).handler(inv -> { }));
        }
    }

    final StepClock clock = new StepClock();
    boolean securityMode;
    final Sample sample = new Sample();
    final CommandProcessor processor = new CommandProcessor(List.of(sample), new SecurityContext() {
        public boolean securityMode() {
            return securityMode;
        }

        public Duration securityTimeout() {
            return Duration.ofSeconds(60);
        }

        public boolean checkPassword(String user, String password) {
            return "s3cret".equals(password);
        }
    }, clock);

    Session session(boolean interactive, Privilege p, BufferIo io) {
        Session s = new Session(1, interactive ? SessionKind.TELNET : SessionKind.BATCH, io);
        s.login("officer", p, clock.instant());
        return s;
    }

    @Test
    void successPrintsTheGenericMessageUnlessTheHandlerSpoke() {
        BufferIo io = new BufferIo(false);
        Session s = session(false, Privilege.MANAGER, io);
        assertTrue(processor.execute(s, "set thing size=3"));
        assertEquals(List.of("Info (134003): Operation successful."), io.lines());
        io.clear();
        assertTrue(processor.execute(s, "create key=4"));
        assertEquals(List.of("Info (199002): Key 4 created."), io.lines());
        io.clear();
        assertFalse(processor.execute(s, "create key=4"));
        assertEquals(List.of("Error (399001): Key 4 already exists."), io.lines());
        assertEquals(List.of(4L), sample.keys, "a refused command changed nothing");
    }

    @Test
    void blankAndCommentLinesSucceedSilently() {
        BufferIo io = new BufferIo(false);
        Session s = session(false, Privilege.MANAGER, io);
        assertTrue(processor.execute(s, ""));
        assertTrue(processor.execute(s, "   # a comment"));
        assertEquals(List.of(), io.lines());
    }

    @Test
    void privilegeLevels() {
        BufferIo io = new BufferIo(false);
        Session user = session(false, Privilege.USER, io);
        assertFalse(processor.execute(user, "set thing"));
        assertEquals("Error (334014): Command requires MANAGER privilege.", io.lines().get(0));
        assertTrue(processor.execute(user, "show things"));
        io.clear();
        Session manager = session(false, Privilege.MANAGER, io);
        assertFalse(processor.execute(manager, "set secret"));
        assertEquals("Error (334014): Command requires SECURITY OFFICER privilege.", io.lines().get(0));
        Session nobody = new Session(2, SessionKind.TELNET, io);
        io.clear();
        assertFalse(processor.execute(nobody, "set thing"));
        assertEquals(CliMessages.NOT_LOGGED_IN.render(), io.lines().get(0));
    }

    @Test
    void securityCommandsNeedSecurityOfficerInSecurityModeOnly() {
        BufferIo io = new BufferIo(false);
        Session manager = session(false, Privilege.MANAGER, io);
        assertTrue(processor.execute(manager, "create key=1"), "normal mode: manager may");
        securityMode = true;
        io.clear();
        assertFalse(processor.execute(manager, "create key=2"));
        assertEquals(CliMessages.SECURITY_MODE.render(), io.lines().get(0));
        assertTrue(processor.execute(manager, "set thing"), "ordinary commands still work");
        Session officer = session(false, Privilege.SECURITY_OFFICER, io);
        assertTrue(processor.execute(officer, "create key=2"));
    }

    @Test
    void securityTimerAsksForThePasswordAgainAfterSixtySeconds() {
        securityMode = true;
        BufferIo io = new BufferIo(true);
        Session officer = session(true, Privilege.SECURITY_OFFICER, io);
        clock.advanceSeconds(59);
        assertTrue(processor.execute(officer, "create key=1"));
        assertFalse(io.lines().contains("Password: "), "within 60 s of the last security command: no prompt");

        clock.advanceSeconds(61);
        io.clear();
        io.secret("wrong");
        assertFalse(processor.execute(officer, "create key=2"));
        assertEquals(List.of("Password: ", CliMessages.SECURITY_TIMER.render()), io.lines());
        assertFalse(sample.keys.contains(2L));

        io.clear();
        io.secret("s3cret");
        assertTrue(processor.execute(officer, "create key=2"));
        assertEquals(List.of("Password: ", "Info (199002): Key 2 created."), io.lines());

        clock.advanceSeconds(30);
        io.clear();
        assertTrue(processor.execute(officer, "create key=3"), "timer restarted by the last security command");
        assertEquals(List.of("Info (199002): Key 3 created."), io.lines());
        clock.advanceSeconds(600);
        io.clear();
        assertTrue(processor.execute(officer, "set thing"), "ordinary commands are not under the timer");
    }

    @Test
    void aHandlerBugIsReportedNotThrown() {
        BufferIo io = new BufferIo(false);
        Session s = session(false, Privilege.MANAGER, io);
        List<String> seen = new ArrayList<>();
        processor.onHandlerFailure((spec, e) -> seen.add(spec.title() + ": " + e.getMessage()));
        assertFalse(processor.execute(s, "break thing"));
        assertEquals("Error (334016): Command failed inside SAMPLE: IllegalStateException boom; part of it may have been applied, see SHOW CONFIG DYNAMIC.", io.lines().get(0));
        assertEquals(List.of("BREAK THING: boom"), seen);
    }

    @Test
    void longOutputIsPagedOnInteractiveTerminalsOnly() {
        BufferIo tty = new BufferIo(true).pageHeight(11);
        assertTrue(processor.execute(session(true, Privilege.MANAGER, tty), "show things"));
        assertEquals(2, tty.moreCalls(), "25 lines at 10 a page");
        assertEquals("--More--", tty.lines().get(10));
        BufferIo batch = new BufferIo(false).pageHeight(11);
        assertTrue(processor.execute(session(false, Privilege.MANAGER, batch), "show things"));
        assertEquals(0, batch.moreCalls());
        assertEquals(25, batch.lines().size());
    }
}
