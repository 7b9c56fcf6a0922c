package io.argate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlashNameTest {

    private static String rejection(String name) {
        return assertThrows(StoreException.class, () -> FlashName.parse(name)).getMessage();
    }

    @Test
    void eightCharacterNameIsShortAndNineIsLong() {
        assertFalse(FlashName.parse("abcdefgh.cfg").isLong());
        assertTrue(FlashName.parse("abcdefghi.cfg").isLong());
    }

    @Test
    void sixteenCharactersIsTheLongNameLimit() {
        assertTrue(FlashName.parse("abcdefghijklmnop.cfg").isLong());
        String message = rejection("abcdefghijklmnopq.cfg");
        assertTrue(message.contains("17 characters") && message.contains("limit is 8 (16 as a long name)"), message);
    }

    @Test
    void extensionOfThreeIsAcceptedAndFourRejected() {
        assertEquals("cfg", FlashName.parse("boot.cfg").ext());
        assertEquals("c", FlashName.parse("boot.c").ext());
        String message = rejection("boot.cfgx");
        assertTrue(message.contains("extension of 4 characters; the limit is 3"), message);
    }

    @Test
    void namesAreCaseInsensitiveAndHeldInLowerCase() {
        assertEquals("boot.cfg", FlashName.parse("BOOT.CFG").text());
        assertEquals(FlashName.parse("Boot.Cfg"), FlashName.parse("boot.cfg"));
        assertEquals("boot.cfg", Flash.canonicalName("  FLASH:Boot.CFG "));
    }

    @Test
    void flashIsTheOnlyDevice() {
        assertEquals("boot.cfg", FlashName.parse("flash:boot.cfg").text());
        assertEquals("boot.cfg", FlashName.parse("Flash:boot.cfg").text());
        String message = rejection("nvs:boot.cfg");
        assertTrue(message.contains("Device \"nvs\"") && message.contains("only device is FLASH"), message);
    }

    @Test
    void hyphenAndDigitsAreNameCharacters() {
        assertEquals("my-cfg-2.scp", FlashName.parse("my-cfg-2.scp").text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a_b.cfg", "a b.cfg", "a/b.cfg", "a*b.cfg", "ab~.cfg", "~1.cfg", "é.cfg"})
    void otherCharactersInTheNameAreRejected(String name) {
        assertTrue(rejection(name).contains("may only contain letters, digits and '-'"), name);
    }

    @Test
    void extensionAllowsOnlyLettersAndDigits() {
        assertTrue(rejection("boot.c-g").contains("an extension may only contain letters and digits"));
    }

    @ParameterizedTest
    @CsvSource({
        "boot, has no extension",
        "boot., has an empty extension",
        ".cfg, has an empty name part",
        "a.b.cfg, more than one '.'",
    })
    void shapeErrorsSayWhatIsMissing(String name, String expected) {
        String message = rejection(name);
        assertTrue(message.contains(expected), message);
    }

    @Test
    void missingNameIsRejected() {
        assertEquals("File name is missing", rejection(""));
        assertEquals("File name is missing", rejection(null));
    }

    @Test
    void dosAliasFormIsAValidName() {
        FlashName alias = FlashName.parse("EXTRAL~1.CFG");
        assertTrue(alias.isAlias());
        assertFalse(alias.isLong());
        assertEquals("extral~1.cfg", alias.text());
        assertTrue(FlashName.parse("extra~10.cfg").isAlias());
        assertTrue(rejection("extra~x.cfg").contains("'~'"));
        assertTrue(rejection("extral~01.cfg").contains("'~'"));
    }

    @Test
    void storedFormIsLowerCaseEightThree() {
        assertTrue(FlashName.isStoredForm("boot.cfg"));
        assertTrue(FlashName.isStoredForm("extral~1.cfg"));
        assertFalse(FlashName.isStoredForm("BOOT.CFG"));
        assertFalse(FlashName.isStoredForm("extralongname.cfg"));
        assertFalse(FlashName.isStoredForm(".tmp-boot.cfg-1a2b"));
    }
}
