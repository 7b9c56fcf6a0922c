package io.argate.shell.telnet;

import io.argate.shell.Authenticator;
import io.argate.shell.Authenticator.LoginResult;
import io.argate.shell.CommandProcessor;
import io.argate.shell.Module;
import io.argate.shell.SecurityContext;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.login.SessionRegistry;
import io.argate.shell.login.ShellContext;
import io.argate.shell.testing.StepClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 1: what one telnet client can make the router hold is bounded; a connection past
 * a bound is closed and counted, and the server goes on serving everyone else.
 */
class TelnetServerTest {
    private final StepClock clock = new StepClock();
    private final List<AutoCloseable> open = new ArrayList<>();
    private TelnetServer server;
    private TelnetModule telnet;

    /** A command printing a lot, for a client that stops reading. */
    private static final Module LOTS = new Module() {
        @Override
        public String name() {
            return "TEST";
        }

        @Override
        public int number() {
            return 99;
        }

        @Override
        public int configOrder() {
            return 99;
        }

        @Override
        public void commands(CommandTable t) {
            t.add(CommandSpec.of("SHOW LOTS").privilege(Privilege.USER).help("print a lot").handler(inv -> {
                for (int i = 0; i < 200_000; i++) {
                    inv.println("line " + i + " of a long listing that a client that stopped reading never takes");
                }
            }));
        }
    };

    private TelnetServer start(TelnetLimits limits) throws InterruptedException {
        SecurityContext sc = new SecurityContext() {
            @Override
            public boolean securityMode() {
                return false;
            }

            @Override
            public Duration securityTimeout() {
                return Duration.ofSeconds(60);
            }

            @Override
            public boolean checkPassword(String user, String password) {
                return "friend".equals(password);
            }
        };
        telnet = new TelnetModule();
        CommandProcessor processor = new CommandProcessor(List.of(telnet, LOTS), sc, clock);
        Authenticator auth = (user, password, origin) -> "friend".equals(password)
                ? LoginResult.success("manager", Privilege.MANAGER) : LoginResult.failure("Login incorrect");
        ShellContext ctx = new ShellContext(processor, auth, () -> "", clock, () -> Duration.ZERO,
                new SessionRegistry(clock, () -> Duration.ZERO));
        server = new TelnetServer(ctx, new InetSocketAddress("127.0.0.1", 0), limits, telnet.counters());
        return server;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Waits for something the server does on its own threads; fails after 20 s. */
    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A raw client: bytes out, text in with telnet commands skipped. */
    private final class Client implements AutoCloseable {
        final Socket socket = new Socket();
        final StringBuilder text = new StringBuilder();
        final InputStream in;
        final OutputStream out;

        Client(int receiveBuffer) throws IOException {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(server.address(), 5000);
            socket.setSoTimeout(50);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            open.add(this);
        }

        Client() throws IOException {
            this(0);
        }

        void type(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Reads until {@code expected} shows; false when the connection ends first. */
        boolean waitFor(String expected) throws IOException {
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int skip = 0;
            while (text.indexOf(expected) < 0 && System.nanoTime() < end) {
                int b;
                try {
                    b = in.read();
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException reset) {
                    return false;
                }
                if (b < 0) {
                    return text.indexOf(expected) >= 0;
                }
                if (skip > 0) {
                    skip--;
                } else if (b == 255) {
                    skip = 2;
                } else {
                    text.append((char) b);
                }
            }
            return text.indexOf(expected) >= 0;
        }

        void login() throws IOException {
            assertTrue(waitFor("login: "), text.toString());
            type("manager\r\n");
            assertTrue(waitFor("Password: "), text.toString());
            type("friend\r\n");
            assertTrue(waitFor("Manager > "), text.toString());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static boolean endOfStream(Client c) throws IOException {
        c.socket.setSoTimeout(10_000);
        try {
            while (c.in.read() >= 0) {
                // the few replies sent before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void anOptionFloodIsClosedAndCountedAndTheServerGoesOn() throws Exception {
        start(TelnetLimits.DEFAULT);
        Client flood = new Client(4096);
        byte[] chunk = new byte[3 * 1024];
        for (int i = 0; i < chunk.length; i += 3) {
            chunk[i] = (byte) 255;
            chunk[i + 1] = (byte) 253;
            chunk[i + 2] = (byte) (i / 3);
        }
        // a client that never reads and asks DO for every option, on and on (8 MB at most here;
        // before the bound each 3 bytes queued a reply of some 60 heap bytes)
        for (int sent = 0; sent < 8 * 1024 * 1024 && telnet.counters().closedNegotiation() == 0; sent += chunk.length) {
            try {
                flood.out.write(chunk);
            } catch (IOException reset) {
                break;
            }
        }
        await("the flood is closed and counted", () -> telnet.counters().closedNegotiation() == 1);
        assertTrue(telnet.counters().optionReplies() <= 256,
                "each option is refused once, so replies stay bounded: " + telnet.counters().optionReplies());
        assertTrue(endOfStream(flood), "the flooding connection is closed");
        await("the flood's connection is gone", () -> telnet.counters().open() == 0);

        Client user = new Client();
        user.login();
        user.type("show telnet\r\n");
        assertTrue(user.waitFor("Closed (negotiation flood) ........ 1"), user.text.toString());
    }

    @Test
    void strangersAreLimitedInNumberAndALoginMakesRoom() throws Exception {
        start(new TelnetLimits(4, 2, 256, 1024, 4096, Duration.ofSeconds(30)));
        Client a = new Client();
        Client b = new Client();
        assertTrue(a.waitFor("login: "));
        assertTrue(b.waitFor("login: "));
        Client c = new Client();
        assertTrue(c.waitFor(TelnetConnection.FULL), "a third stranger is turned away: " + c.text);
        assertTrue(endOfStream(c), "and disconnected");
        assertEquals(1, telnet.counters().refusedFull());
        assertEquals(2, telnet.counters().waitingLogin());

        a.login();
        await("a logged-in session no longer counts as a stranger", () -> telnet.counters().waitingLogin() == 1);
        Client d = new Client();
        assertTrue(d.waitFor("login: "), "room again: " + d.text);
        d.login();
        Client e = new Client();
        e.login();
        Client f = new Client();
        assertTrue(f.waitFor(TelnetConnection.FULL), "four connections in all: " + f.text);
        assertEquals(2, telnet.counters().refusedFull());
        a.type("show telnet\r\n");
        assertTrue(a.waitFor("Refused (server full) ............. 2"), a.text.toString());
    }

    /** Bytes still readable on a connection the server has closed. */
    private static long remaining(Client c) throws IOException {
        c.socket.setSoTimeout(10_000);
        long n = 0;
        byte[] b = new byte[8192];
        try {
            for (int r = c.in.read(b); r >= 0; r = c.in.read(b)) {
                n += r;
            }
        } catch (IOException reset) {
            // what arrived before the reset is counted
        }
        return n;
    }

    @Test
    void aClientThatStopsReadingIsClosedAndCounted() throws Exception {
        TelnetLimits limits = new TelnetLimits(4, 2, 256, 1024, 4096, Duration.ofSeconds(1));
        start(limits);
        Client slow = new Client(4096);
        slow.login();
        // the pager asks for a key per page: answer ahead (8000 pages, some 15 MB), then stop reading
        slow.type("show lots\r\n" + " ".repeat(8000));
        await("the stalled connection is closed and counted", () -> telnet.counters().closedOutput() == 1);
        await("and gone", () -> telnet.counters().open() == 0);
        // what the router held for the client (Netty's queue up to the mark, the kernel's send
        // buffer) plus the client's own receive buffer: tens of kilobytes, never megabytes
        long held = remaining(slow);
        assertTrue(held < 16L * limits.writeHigh(), "output held for a client that does not read: " + held);
        Client next = new Client();
        next.login();
    }
}
