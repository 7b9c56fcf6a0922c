package io.argate.bench.enco;

import io.argate.enco.Enco;
import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.AeadChannel;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.CipherChannel;
import io.argate.enco.spi.MacChannel;
import io.argate.store.EventLog;
import io.argate.store.Nvs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ENCO channels as ESP drives them: one packet per operation, a fresh IV per packet and the
 * cipher re-initialised with it, in place, through the Enco service's channel (the real path).
 * CBC ciphers encrypt what ESP would: the packet plus its 2-byte trailer, padded to the block
 * (1400 bytes -> 1408 with AES, as RFC 4303 section 2.4 pads). Score is packets/s; MB/s =
 * score x bytes / 10^6. bench/run-enco.sh runs openssl speed on the
 * same sizes in the same session and prints the ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+AlwaysPreTouch"})
public class CipherBench {
    @Param({"AES_GCM_128", "AES_GCM_256", "AES_CBC_128", "AES_CBC_128+HMAC_SHA1_96", "AES_CBC_256", "TDES_CBC", "DES_CBC"})
    String algorithm;

    @Param({"64", "1400", "8192"})
    int bytes;

    private Path dir;
    private Nvs nvs;
    private CipherChannel cipher;
    private AeadChannel aead;
    private MacChannel mac;
    private byte[] packet;
    private ByteBuffer view;
    private byte[] iv;
    private byte[] nonce;
    private final byte[] aad = new byte[8];
    private final byte[] icv = new byte[12];
    private long counter;

    @Setup
    public void setup() throws Exception {
        dir = Files.createTempDirectory("argate-bench");
        nvs = Nvs.open(dir);
        Enco enco = new Enco(new SoftwareDriver(), List.of(), new EventLog(nvs, Clock.systemUTC()));
        String[] parts = algorithm.split("\\+");
        Algorithm a = Algorithm.valueOf(parts[0]);
        if (a.kind() == Algorithm.Kind.AEAD) {
            aead = enco.aead("BENCH", a, new byte[a.keyLength()], 16);
            packet = new byte[bytes + 16];
            nonce = new byte[12];
        } else {
            cipher = enco.cipher("BENCH", a, key(a));
            packet = new byte[padded(bytes, a.blockSize())];
            iv = new byte[a.ivLength()];
        }
        if (parts.length > 1) {
            mac = enco.mac("BENCH", Algorithm.valueOf(parts[1]), new byte[20]);
        }
        view = ByteBuffer.wrap(packet, 0, aead != null ? bytes : packet.length);
    }

    /** ESP's encrypted length for a payload: payload + pad length + next header, to the block. */
    static int padded(int payload, int block) {
        int b = Math.max(4, block);
        return (payload + 2 + b - 1) / b * b;
    }

    private static byte[] key(Algorithm a) {
        byte[] k = new byte[a.keyLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 37 + 11);
        }
        return k;
    }

    @Benchmark
    public byte[] packet() throws Exception {
        counter++;
        if (aead != null) {
            // RFC 4106: salt (here zero) then an 8-byte counter IV, unique per packet
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] = (byte) (counter >>> (8 * i));
            }
            aead.seal(nonce, aad, view.clear(), bytes);
        } else {
            for (int i = 0; i < 8; i++) {
                iv[i] = (byte) (counter >>> (8 * i));
            }
            cipher.encrypt(iv, view.clear());
            if (mac != null) {
                mac.compute(icv, 0, view.clear());
            }
        }
        return packet;
    }

    @TearDown
    public void close() throws Exception {
        nvs.close();
    }
}
