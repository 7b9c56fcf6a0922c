package io.argate.image.lab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Small TCP and UDP end hosts for lab tests, run by the system's python3 inside a namespace
 * (the machine has no nc or socat): a TCP sink that reports who connected and what it received,
 * a TCP sender of random bytes, a UDP echo that answers with the address it saw, and a UDP
 * asker. Every program prints one line; a server prints {@code ready} first, so a test starts
 * the client only once the socket is bound.
 */
final class NetHost implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";

    private static final String SCRIPT = """
            import hashlib, os, socket, sys
            cmd = sys.argv[1]
            if cmd == 'tcp-sink':
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((sys.argv[2], int(sys.argv[3]))); s.listen(1); print('ready', flush=True)
                c, peer = s.accept(); h = hashlib.sha256(); n = 0
                while True:
                    b = c.recv(65536)
                    if not b: break
                    h.update(b); n += len(b)
                line = '%s %d %d %s' % (peer[0], peer[1], n, h.hexdigest())
                c.sendall((line + '\\n').encode()); c.close(); print(line, flush=True)
            elif cmd == 'tcp-send':
                s = socket.socket(); s.settimeout(float(sys.argv[6]) if len(sys.argv) > 6 else 20)
                if sys.argv[2] != '-': s.bind((sys.argv[2], 0))
                s.connect((sys.argv[3], int(sys.argv[4])))
                data = os.urandom(int(sys.argv[5])); s.sendall(data); s.shutdown(socket.SHUT_WR)
                reply = b''
                while True:
                    b = s.recv(4096)
                    if not b: break
                    reply += b
                print('%d %s %s' % (s.getsockname()[1], hashlib.sha256(data).hexdigest(), reply.decode().strip()), flush=True)
            elif cmd == 'udp-echo':
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[2], int(sys.argv[3])))
                print('ready', flush=True)
                while True:
                    b, peer = s.recvfrom(2048)
                    s.sendto(('%s %d %s' % (peer[0], peer[1], b.decode())).encode(), peer)
            elif cmd == 'udp-ask':
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(float(sys.argv[6]))
                if sys.argv[2] != '-': s.bind((sys.argv[2], int(sys.argv[3])))
                for attempt in range(3):
                    s.sendto(b'hello', (sys.argv[4], int(sys.argv[5])))
                    try:
                        print(s.recv(2048).decode(), flush=True); sys.exit(0)
                    except socket.timeout:
                        pass
                print('no answer', flush=True); sys.exit(3)
            """;

    private final Process process;
    private final BufferedReader out;

    private NetHost(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Skips (or fails, when lab tests are required) unless python3 is there. */
    static void require() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            String why = "this lab test needs " + PYTHON + " for its end hosts";
            if (Lab.required()) {
                throw new AssertionError(why + ", and ARGATE_LAB_REQUIRED is set");
            }
            org.junit.jupiter.api.Assumptions.abort("skipped: " + why);
        }
    }

    static Path script(Path dir) throws Exception {
        Path p = dir.resolve("nethost.py");
        Files.writeString(p, SCRIPT);
        return p;
    }

    /** Starts a server ({@code tcp-sink} or {@code udp-echo}) in {@code netns} and waits until it is bound. */
    static NetHost serve(Path script, String netns, String... args) throws Exception {
        String[] cmd = new String[5 + args.length];
        cmd[0] = "ip";
        cmd[1] = "netns";
        cmd[2] = "exec";
        cmd[3] = netns;
        cmd[4] = PYTHON;
        String[] all = new String[cmd.length + 1];
        System.arraycopy(cmd, 0, all, 0, 5);
        all[5] = script.toString();
        System.arraycopy(args, 0, all, 6, args.length);
        NetHost h = new NetHost(new ProcessBuilder(all).redirectErrorStream(true).start());
        String first = h.line(20);
        if (!"ready".equals(first)) {
            h.close();
            throw new AssertionError(String.join(" ", args) + " in " + netns + " did not start: " + first);
        }
        return h;
    }

    /** The server's next line, waiting up to {@code seconds}; null when none came. */
    String line(int seconds) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            if (out.ready()) {
                return out.readLine();
            }
            if (!process.isAlive() && !out.ready()) {
                return out.readLine();
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** Runs a client program in {@code netns} to its end. */
    static Lab.Result client(Path script, String netns, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = PYTHON;
        all[1] = script.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Lab.in(netns, all);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
