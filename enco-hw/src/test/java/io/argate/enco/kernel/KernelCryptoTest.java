package io.argate.enco.kernel;

import io.argate.enco.KnownAnswers;
import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.Capability;
import io.argate.enco.spi.CipherChannel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelCryptoTest {
    static final String SAMPLE = """
            name         : cbc(aes)
            driver       : cbc-aes-aesni
            module       : aesni_intel
            priority     : 400
            type         : skcipher

            name         : cbc(aes)
            driver       : cbc(aes-generic)
            module       : kernel
            priority     : 100
            type         : skcipher

            name         : gcm(aes)
            driver       : gcm-aes-qat
            module       : intel_qat
            priority     : 4001
            type         : aead

            name         : hmac(sha1)
            driver       : hmac(sha1-generic)
            module       : kernel
            priority     : 100
            type         : shash
            """;

    @Test
    void procCryptoPicksTheHighestPriorityDriverAndTellsHardwareFromCpu() {
        ProcCrypto p = ProcCrypto.parse(SAMPLE);
        assertEquals(4, p.entries().size());
        assertEquals("cbc-aes-aesni", p.selected("cbc(aes)").orElseThrow().driver());
        assertFalse(p.selected("cbc(aes)").orElseThrow().hardware(), "AES-NI is the CPU, not a board");
        assertTrue(p.selected("gcm(aes)").orElseThrow().hardware(), "QAT is an accelerator");
        assertTrue(p.selected("cbc(des)").isEmpty());
        assertEquals(0, ProcCrypto.parse("garbage\n: :\nname: x\n\n").entries().size(), "an entry without a driver is ignored");
    }

    @Test
    void thisMachinesProcCryptoParses() {
        Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/crypto")), "skipped: no /proc/crypto");
        ProcCrypto p = ProcCrypto.read();
        assertFalse(p.entries().isEmpty(), "a Linux kernel lists at least its generic drivers");
        assertTrue(p.entries().stream().allMatch(e -> !e.driver().isBlank() && !e.type().isBlank()), p.entries().toString());
    }

    @Test
    void withoutAfAlgNothingIsOfferedAndTheReasonIsClear() {
        KernelCryptoDriver d = new KernelCryptoDriver(ProcCrypto.parse(SAMPLE), true);
        if (d.unavailableReason() != null) {
            assertTrue(d.capabilities().isEmpty());
            assertTrue(d.unavailableReason().startsWith("AF_ALG sockets are not available"), d.unavailableReason());
        } else {
            // with AF_ALG: unforced, only the hardware-backed algorithm is offered
            KernelCryptoDriver plain = new KernelCryptoDriver(ProcCrypto.parse(SAMPLE), false);
            assertEquals(java.util.List.of(Algorithm.AES_GCM_128, Algorithm.AES_GCM_256),
                    plain.capabilities().stream().map(Capability::algorithm).toList());
        }
    }

    /** Forced on, the kernel's software drivers must pass the KATs and agree with ENCO's software driver. */
    @Test
    void forcedOnTheKernelAgreesWithSoftwareOnRandomInputs() throws Exception {
        KernelCryptoDriver k = new KernelCryptoDriver(ProcCrypto.read(), true);
        Assumptions.assumeTrue(k.unavailableReason() == null, "skipped: " + k.unavailableReason());
        SoftwareDriver s = new SoftwareDriver();
        Random r = new Random(11);
        for (Capability c : k.capabilities()) {
            assertNull(KnownAnswers.check(k, c.algorithm()), c.algorithm().name());
            if (c.algorithm().kind() == Algorithm.Kind.CIPHER) {
                byte[] key = new byte[c.algorithm().keyLength()];
                r.nextBytes(key);
                try (CipherChannel kc = k.cipher(c.algorithm(), key); CipherChannel sc = s.cipher(c.algorithm(), key)) {
                    for (int i = 0; i < 50; i++) {
                        byte[] iv = new byte[c.algorithm().ivLength()];
                        r.nextBytes(iv);
                        byte[] a = new byte[c.algorithm().blockSize() * (1 + r.nextInt(100))];
                        r.nextBytes(a);
                        byte[] b = a.clone();
                        kc.encrypt(iv, ByteBuffer.wrap(a));
                        sc.encrypt(iv, ByteBuffer.wrap(b));
                        assertArrayEquals(b, a);
                    }
                }
            }
        }
    }
}
