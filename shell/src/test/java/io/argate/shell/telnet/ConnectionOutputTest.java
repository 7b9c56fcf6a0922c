package io.argate.shell.telnet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a session's terminal output looks like on the connection: JLine's line discipline hands
 * the output stream one byte at a time, and each flush must leave as one write, not one TCP
 * segment per byte.
 */
class ConnectionOutputTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final TelnetCounters counters = new TelnetCounters();
    private final ConnectionOutput out = new ConnectionOutput(channel,
            new TelnetLimits(4, 2, 256, 1024, 4096, Duration.ofSeconds(1)), counters);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        b.release();
        return a;
    }

    @Test
    void bytesWrittenOneAtATimeLeaveAsOneWriteWhenFlushed() {
        out.sessionThread(Thread.currentThread());
        for (byte b : "line 1\r\n".getBytes(StandardCharsets.US_ASCII)) {
            out.write(b);
        }
        out.write(255);
        assertNull(channel.readOutbound(), "nothing leaves before the flush");

        out.flush();

        ByteBuf sent = channel.readOutbound();
        assertArrayEquals(new byte[]{'l', 'i', 'n', 'e', ' ', '1', '\r', '\n', (byte) 255, (byte) 255}, bytes(sent),
                "one write, IAC doubled (RFC 854)");
        assertNull(channel.readOutbound());
    }

    @Test
    void aLongWriteWithoutFlushLeavesInChunks() {
        out.sessionThread(Thread.currentThread());
        byte[] listing = new byte[5 * TelnetLimits.outputChunk() + 17];
        for (int i = 0; i < listing.length; i++) {
            out.write('a' + i % 26);
        }
        out.flush();

        int total = 0;
        int writes = 0;
        for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
            assertTrue(b.readableBytes() <= TelnetLimits.outputChunk(), "no write larger than a chunk");
            total += bytes(b).length;
            writes++;
        }
        assertEquals(listing.length, total);
        assertEquals(6, writes);
    }

    @Test
    void aLinePrintedThroughJLineIsOneWrite() throws IOException {
        ExternalTerminal t = new ExternalTerminal("telnet", "vt100", InputStream.nullInputStream(), out,
                StandardCharsets.UTF_8);
        try {
            out.sessionThread(Thread.currentThread());
            t.writer().println("line 0 of a long listing");
            t.writer().flush();

            assertEquals("line 0 of a long listing\r\n", new String(bytes(channel.readOutbound()), StandardCharsets.US_ASCII));
            assertNull(channel.readOutbound());
        } finally {
            t.close();
        }
    }

    @Test
    void eachThreadsBytesLeaveTogether() throws InterruptedException {
        out.sessionThread(Thread.currentThread());
        out.write('a');
        Thread other = new Thread(() -> {
            out.write('x');
            out.flush();
        });
        other.start();
        other.join();
        out.write('b');
        out.flush();

        assertEquals("x", new String(bytes(channel.readOutbound()), StandardCharsets.US_ASCII));
        assertEquals("ab", new String(bytes(channel.readOutbound()), StandardCharsets.US_ASCII));
        assertEquals(0, counters.outputDropped());
    }
}
