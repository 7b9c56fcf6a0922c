package io.argate.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A minimal telnet client for tests: raw bytes in and out, text with telnet commands removed. */
final class TelnetClient implements AutoCloseable {
    final Socket socket = new Socket();
    final InputStream in;
    final OutputStream out;
    final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    final StringBuilder text = new StringBuilder();
    private int skip;
    private boolean inSb;

    TelnetClient(InetSocketAddress address) throws IOException {
        socket.connect(address, 5000);
        socket.setSoTimeout(100);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(int... bytes) throws IOException {
        for (int b : bytes) {
            out.write(b);
        }
        out.flush();
    }

    void type(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads until the text contains {@code expected}; false on timeout or end of stream. */
    boolean waitFor(String expected, long millis) throws IOException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (text.indexOf(expected) >= 0) {
                return true;
            }
            if (!pump()) {
                return text.indexOf(expected) >= 0;
            }
        }
        return text.indexOf(expected) >= 0;
    }

    /** True while the connection is open. */
    boolean pump() throws IOException {
        try {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            raw.write(b);
            if (skip > 0) {
                skip--;
            } else if (inSb) {
                if (b == 240) {
                    inSb = false;
                }
            } else if (b == 255) {
                int verb = in.read();
                raw.write(verb);
                if (verb == 250) {
                    inSb = true;
                } else if (verb >= 251 && verb <= 254) {
                    skip = 1;
                } else if (verb == 255) {
                    text.append((char) 255);
                }
            } else {
                text.append((char) b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    boolean closedByServer(long millis) throws IOException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (!pump()) {
                return true;
            }
        }
        return false;
    }

    void clear() {
        text.setLength(0);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
