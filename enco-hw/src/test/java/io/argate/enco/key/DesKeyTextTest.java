package io.argate.enco.key;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DesKeyTextTest {
    @Test
    void theReferencesSample() {
        assertEquals("9cemvrwgn5hvek", DesKeyText.encode(HexFormat.of().parseHex("F888CAC6C66ECF52")));
    }

    @Test
    void everyKeyGivesFourteenCharactersOfTheAlphabet() {
        for (String hex : new String[]{"0000000000000000", "ffffffffffffffff", "0123456789abcdef"}) {
            String text = DesKeyText.encode(HexFormat.of().parseHex(hex));
            assertEquals(14, text.length(), text);
            assertTrue(text.chars().allMatch(c -> DesKeyText.ALPHABET.indexOf(c) >= 0), text);
        }
        assertEquals("aaaaaaaaaaaaaa", DesKeyText.encode(new byte[8]), "key 0, check 0");
        assertThrows(IllegalArgumentException.class, () -> DesKeyText.encode(new byte[7]));
    }
}
