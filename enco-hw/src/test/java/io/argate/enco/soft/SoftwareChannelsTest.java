package io.argate.enco.soft;

import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.CipherChannel;
import io.argate.enco.spi.DriverFailure;
import io.argate.enco.spi.MacChannel;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The software channels compute without allocating per packet (issue 15): CBC folds each
 * packet's IV into the first block of a cipher initialised once with a zero IV, and HMAC runs
 * on a MessageDigest. These check that what they give is exactly what the ordinary one-shot
 * computation gives (a fresh cipher initialised with the packet's IV; javax.crypto.Mac), packet
 * after packet on one channel, so no state leaks from one packet into the next.
 */
class SoftwareChannelsTest {
    private final Random random = new Random(15);

    @Test
    void cbcPacketAfterPacketIsCbcWithEachPacketsIv() throws Exception {
        for (Algorithm a : new Algorithm[]{Algorithm.AES_CBC_128, Algorithm.AES_CBC_192, Algorithm.AES_CBC_256,
                Algorithm.DES_CBC, Algorithm.TDES_CBC}) {
            byte[] key = bytes(a.keyLength());
            int block = a == Algorithm.DES_CBC || a == Algorithm.TDES_CBC ? 8 : 16;
            CipherChannel enc = SoftwareCipher.open(a, key);
            CipherChannel dec = SoftwareCipher.open(a, key).fork();
            for (int packet = 0; packet < 50; packet++) {
                byte[] iv = bytes(block);
                int length = block * (1 + random.nextInt(200));
                int at = random.nextInt(40);
                byte[] plain = bytes(length);
                byte[] buf = new byte[at + length + 7];
                System.arraycopy(plain, 0, buf, at, length);
                enc.encrypt(iv, ByteBuffer.wrap(buf, at, length));
                byte[] want = reference(a, key, iv, plain, true);
                assertArrayEquals(want, Arrays.copyOfRange(buf, at, at + length), a + " packet " + packet);
                dec.decrypt(iv, ByteBuffer.wrap(buf, at, length));
                assertArrayEquals(plain, Arrays.copyOfRange(buf, at, at + length), a + " packet " + packet + " back");
            }
        }
    }

    @Test
    void cbcOnDirectBuffersToo() throws Exception {
        byte[] key = bytes(16);
        CipherChannel c = SoftwareCipher.open(Algorithm.AES_CBC_128, key);
        for (int packet = 0; packet < 5; packet++) {
            byte[] iv = bytes(16);
            byte[] plain = bytes(16 * 90);
            ByteBuffer direct = ByteBuffer.allocateDirect(plain.length + 20);
            direct.position(20);
            direct.put(plain).position(20);
            c.encrypt(iv, direct);
            byte[] got = new byte[plain.length];
            direct.get(20, got);
            assertArrayEquals(reference(Algorithm.AES_CBC_128, key, iv, plain, true), got);
            assertEquals(20, direct.position(), "the channel leaves the position where it was");
        }
    }

    @Test
    void cbcRefusesPartialBlocks() {
        CipherChannel c;
        try {
            c = SoftwareCipher.open(Algorithm.AES_CBC_128, new byte[16]);
        } catch (DriverFailure e) {
            throw new AssertionError(e);
        }
        DriverFailure f = org.junit.jupiter.api.Assertions.assertThrows(DriverFailure.class,
                () -> c.encrypt(new byte[16], ByteBuffer.allocate(20)));
        assertEquals("AES_CBC_128: 20 bytes is not a whole number of 16-byte blocks", f.getMessage());
    }

    @Test
    void hmacIsTheJdksMacForEveryHashAndKeySize() throws Exception {
        Object[][] cases = {
                {Algorithm.HMAC_MD5_96, "HmacMD5"}, {Algorithm.HMAC_SHA1_96, "HmacSHA1"},
                {Algorithm.HMAC_SHA256_128, "HmacSHA256"}, {Algorithm.HMAC_SHA384_192, "HmacSHA384"},
                {Algorithm.HMAC_SHA512_256, "HmacSHA512"}, {Algorithm.HMAC_MD5, "HmacMD5"},
                {Algorithm.HMAC_SHA1, "HmacSHA1"}, {Algorithm.HMAC_SHA256, "HmacSHA256"},
                {Algorithm.HMAC_SHA384, "HmacSHA384"}, {Algorithm.HMAC_SHA512, "HmacSHA512"}};
        for (Object[] c : cases) {
            Algorithm a = (Algorithm) c[0];
            // the fixed ESP key length, or for the PRF HMACs keys shorter than, as long as and
            // longer than the hash's block (RFC 2104: a longer key is hashed first)
            int[] keyLengths = a.keyLength() != 0 ? new int[]{a.keyLength()} : new int[]{1, 20, 64, 128, 129, 300};
            for (int keyLength : keyLengths) {
                byte[] key = bytes(keyLength);
                MacChannel m = new SoftwareMac(a, key);
                Mac jdk = Mac.getInstance((String) c[1]);
                jdk.init(new SecretKeySpec(key, (String) c[1]));
                for (int packet = 0; packet < 20; packet++) {
                    byte[] one = bytes(random.nextInt(1500));
                    byte[] two = bytes(random.nextInt(30));
                    byte[] out = new byte[a.outputLength() + 3];
                    m.compute(out, 3, ByteBuffer.wrap(one), ByteBuffer.wrap(two));
                    jdk.update(one);
                    byte[] want = Arrays.copyOf(jdk.doFinal(two), a.outputLength());
                    assertArrayEquals(want, Arrays.copyOfRange(out, 3, out.length), a + " key " + keyLength + " packet " + packet);
                }
            }
        }
    }

    @Test
    void hmacSha1OfRfc2202Case2() throws Exception {
        MacChannel m = new SoftwareMac(Algorithm.HMAC_SHA1, "Jefe".getBytes());
        byte[] out = new byte[20];
        ByteBuffer text = ByteBuffer.wrap("what do ya want for nothing?".getBytes());
        m.compute(out, 0, text);
        assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", HexFormat.of().formatHex(out));
        assertEquals(0, text.position(), "the parts' positions are kept");
    }

    private byte[] reference(Algorithm a, byte[] key, byte[] iv, byte[] data, boolean encrypt) throws Exception {
        if (a == Algorithm.DES_CBC || a == Algorithm.TDES_CBC) {
            BlockCipher engine = a == Algorithm.DES_CBC ? new DESEngine() : new DESedeEngine();
            CBCBlockCipher cbc = (CBCBlockCipher) CBCBlockCipher.newInstance(engine);
            cbc.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
            byte[] out = new byte[data.length];
            for (int i = 0; i < data.length; i += 8) {
                cbc.processBlock(data, i, out, i);
            }
            return out;
        }
        Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
        c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return c.doFinal(data);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
