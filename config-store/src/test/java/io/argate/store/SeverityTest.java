package io.argate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeverityTest {

    @Test
    void levelsCarryTheAlliedWareNumbers() {
        int expected = 0;
        for (Severity s : Severity.values()) {
            assertEquals(expected++, s.number(), s.name());
            assertEquals(s, Severity.ofNumber(s.number()));
        }
        assertEquals(3, Severity.INFO.number());
        assertEquals(7, Severity.CRITICAL.number());
    }

    @Test
    void parsesNumbersNamesAndUniquePrefixes() {
        assertEquals(Severity.NOTICE, Severity.parse("4"));
        assertEquals(Severity.INFO, Severity.parse("info"));
        assertEquals(Severity.INFO, Severity.parse("IN"));
        assertEquals(Severity.IMPORTANT, Severity.parse("imp"));
        assertEquals(Severity.CRITICAL, Severity.parse(" Crit "));
        assertEquals(Severity.DEBUG, Severity.parse("DEB"));
        assertEquals(Severity.TRIVIAL, Severity.parse("t"));
    }

    @Test
    void ambiguousPrefixNamesTheCandidates() {
        assertEquals("Severity I is ambiguous: [INFO, IMPORTANT]",
                assertThrows(IllegalArgumentException.class, () -> Severity.parse("I")).getMessage());
        assertEquals("Severity de is ambiguous: [DEBUG, DETAIL]",
                assertThrows(IllegalArgumentException.class, () -> Severity.parse("de")).getMessage());
    }

    @Test
    void invalidValuesSayWhatIsAccepted() {
        for (String bad : new String[] {"8", "10", "-1", "loud", "", null}) {
            String message = assertThrows(IllegalArgumentException.class, () -> Severity.parse(bad)).getMessage();
            assertTrue(message.contains("use 0-7 or DEBUG"), bad + ": " + message);
        }
        assertThrows(IllegalArgumentException.class, () -> Severity.ofNumber(8));
    }
}
