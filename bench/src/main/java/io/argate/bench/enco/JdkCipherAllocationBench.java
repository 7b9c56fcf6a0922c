package io.argate.bench.enco;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

/**
 * What the JDK's own crypto allocates per packet, nothing of argate's around it, so that
 * {@code -prof gc}'s gc.alloc.rate.norm of an ESP path can be split into "cipher" and "own"
 * (issue 15: the path shows 0 B/op, the JDK cipher's allocations aside, measured and named).
 * Each benchmark is one ESP packet's worth of calls on the sizes {@code EspAllocationBench}'s
 * 1400-byte inner packet gives (tunnel mode: 1404 bytes to encrypt with GCM, 1408 with CBC; the
 * HMAC over ESP header, IV and ciphertext), in place in one array as the path does it:
 * <ul>
 * <li>{@code gcmSeal}/{@code gcmOpen}: what ENCO's software AES-GCM channel calls: init with a
 * new {@link GCMParameterSpec} for the packet's nonce (the JDK allows no other way to give a
 * GCM cipher a new IV), updateAAD with SPI and sequence number, doFinal in place; the
 * {@code ...Buffers} variants the same through heap ByteBuffers (doFinal(ByteBuffer, ByteBuffer)),
 * to see whether the JDK's other entry point allocates less;</li>
 * <li>{@code cbcInitDoFinal}: AES-CBC as a cipher is usually driven, init with a new
 * {@link IvParameterSpec} per packet and doFinal in place (what ENCO did before);
 * {@code cbcChained}: what ENCO's channel does now, one init for the SA's life with a zero IV,
 * the packet's IV folded into the first block, update into a scratch array copied back, and an
 * empty doFinal to reset ({@code cbcChainedInPlace} the same with update in place, which the
 * JDK answers with a copy of the input);</li>
 * <li>{@code hmacMac}: javax.crypto.Mac update and doFinal(out, 0); {@code hmacDigest}: the
 * same HMAC (RFC 2104) as ENCO now computes it on a MessageDigest.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class JdkCipherAllocationBench {
    private static final int GCM_LENGTH = 1404;
    private static final int CBC_LENGTH = 1408;
    private static final int TAG = 16;

    private final byte[] packet = new byte[2048];
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[8];
    private final byte[] iv = new byte[16];
    private final byte[] zeros = new byte[16];
    private final byte[] icv = new byte[64];
    private final byte[] inner = new byte[64];
    private final byte[] ipad = new byte[64];
    private final byte[] opad = new byte[64];
    private SecretKeySpec key;
    private Cipher gcm;
    private Cipher gcmDecrypt;
    private Cipher cbc;
    private Cipher cbcChained;
    private Mac mac;
    private MessageDigest sha1;
    private ByteBuffer view;
    private final byte[] sealed = new byte[2048];
    private final byte[] scratch = new byte[2048];
    private long n;

    @Setup
    public void setup() throws Exception {
        key = new SecretKeySpec(new byte[16], "AES");
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcmDecrypt = Cipher.getInstance("AES/GCM/NoPadding");
        cbc = Cipher.getInstance("AES/CBC/NoPadding");
        cbcChained = Cipher.getInstance("AES/CBC/NoPadding");
        cbcChained.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(zeros));
        mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(new byte[20], "HmacSHA1"));
        sha1 = MessageDigest.getInstance("SHA-1");
        for (int i = 0; i < 64; i++) {
            ipad[i] = 0x36;
            opad[i] = 0x5c;
        }
        view = ByteBuffer.wrap(packet);
        // one sealed packet for the open benchmarks (its tag verifies on every run)
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        gcm.updateAAD(aad);
        gcm.doFinal(sealed, 0, GCM_LENGTH, sealed, 0);
    }

    private void nextNonce() {
        n++;
        nonce[4] = (byte) n;
        nonce[5] = (byte) (n >>> 8);
        nonce[6] = (byte) (n >>> 16);
        nonce[7] = (byte) (n >>> 24);
    }

    @Benchmark
    public int gcmSeal() throws Exception {
        nextNonce();
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        gcm.updateAAD(aad);
        return gcm.doFinal(packet, 0, GCM_LENGTH, packet, 0);
    }

    @Benchmark
    public int gcmSealBuffers() throws Exception {
        nextNonce();
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        gcm.updateAAD(aad);
        view.clear().limit(GCM_LENGTH);
        ByteBuffer out = view.duplicate().clear();
        return gcm.doFinal(view, out);
    }

    @Benchmark
    public int gcmOpen() throws Exception {
        System.arraycopy(sealed, 0, packet, 0, GCM_LENGTH + TAG);
        gcmDecrypt.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce, 0, 12));
        gcmDecrypt.updateAAD(aad);
        return gcmDecrypt.doFinal(packet, 0, GCM_LENGTH + TAG, packet, 0);
    }

    @Benchmark
    public int gcmOpenBuffers() throws Exception {
        System.arraycopy(sealed, 0, packet, 0, GCM_LENGTH + TAG);
        gcmDecrypt.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce, 0, 12));
        gcmDecrypt.updateAAD(aad);
        view.clear().limit(GCM_LENGTH + TAG);
        ByteBuffer out = view.duplicate().clear();
        return gcmDecrypt.doFinal(view, out);
    }

    @Benchmark
    public int cbcInitDoFinal() throws Exception {
        iv[0] = (byte) ++n;
        cbc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
        return cbc.doFinal(packet, 16, CBC_LENGTH, packet, 16);
    }

    @Benchmark
    public int cbcChained() throws Exception {
        iv[0] = (byte) ++n;
        for (int i = 0; i < 16; i++) {
            packet[16 + i] ^= iv[i];
        }
        int done = cbcChained.update(packet, 16, CBC_LENGTH, scratch, 0);
        System.arraycopy(scratch, 0, packet, 16, CBC_LENGTH);
        return done + cbcChained.doFinal(zeros, 0);
    }

    /** cbcChained's in-place call as the JDK takes it: update in and out of one array (the JDK copies the input). */
    @Benchmark
    public int cbcChainedInPlace() throws Exception {
        iv[0] = (byte) ++n;
        for (int i = 0; i < 16; i++) {
            packet[16 + i] ^= iv[i];
        }
        int done = cbcChained.update(packet, 16, CBC_LENGTH, packet, 16);
        return done + cbcChained.doFinal(zeros, 0);
    }

    @Benchmark
    public int hmacMac() throws Exception {
        mac.update(packet, 0, 16 + 8 + CBC_LENGTH);
        mac.doFinal(icv, 0);
        return icv[0];
    }

    @Benchmark
    public int hmacDigest() throws Exception {
        sha1.update(ipad);
        sha1.update(packet, 0, 16 + 8 + CBC_LENGTH);
        sha1.digest(inner, 0, 20);
        sha1.update(opad);
        sha1.update(inner, 0, 20);
        return sha1.digest(icv, 0, 20);
    }
}
