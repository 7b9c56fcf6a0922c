package io.argate.shell.parse;

import io.argate.shell.Module;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.ValueType;
import io.argate.shell.cmd.Values;
import io.argate.shell.testing.CommandRig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 11 item 5: a value no parameter accepts is refused with an error that names the
 * parameter and the accepted form; it never escapes the command processor as an exception
 * (which stopped the boot and dropped telnet sessions).
 */
class HostileValuesTest {
    /** One command per value type the command language has, each with one parameter VALUE. */
    static final Map<String, ValueType> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("IP", Values.ip());
        TYPES.put("MASK", Values.mask());
        TYPES.put("RANGE", Values.ipRange());
        TYPES.put("BYTE", Values.integer(0, 255));
        TYPES.put("SPI", Values.integer(256, 4294967295L));
        TYPES.put("WIDE", Values.integer(0, Long.MAX_VALUE));
        TYPES.put("CHOICE", Values.choice("DES", "3DES", "AES128"));
        TYPES.put("BOOL", Values.bool());
        TYPES.put("NAME", Values.name(1, 15, "A-Za-z0-9-", "letters, digits and -"));
        TYPES.put("TEXT", Values.text(1, 64));
        TYPES.put("HEX", Values.hex(1, 32));
        TYPES.put("KEYVALUE", Values.or(Values.hex(1, 32), Values.text(1, 64)));
        TYPES.put("PORT", Values.or(Values.choice("ANY"), Values.integer(0, 65535)));
        TYPES.put("PEER", Values.or(Values.choice("ANY", "DYNAMIC"), Values.ip()));
    }

    private final List<Object> accepted = new ArrayList<>();

    private final Module fuzz = new Module() {
        @Override
        public String name() {
            return "FUZZ";
        }

        @Override
        public int number() {
            return 99;
        }

        @Override
        public int configOrder() {
            return 99;
        }

        @Override
        public void commands(CommandTable t) {
            for (Map.Entry<String, ValueType> e : TYPES.entrySet()) {
                t.add(CommandSpec.of("SET FUZZ " + e.getKey()).required("VALUE", e.getValue(), "the value")
                        .handler((Invocation inv) -> accepted.add(inv.get("VALUE"))));
            }
        }
    };

    private static String error(CommandRig rig, String line) {
        assertFalse(rig.run(line), line + " was accepted");
        return rig.lastOutput();
    }

    @Test
    void aNumberAboveTheLargestLongIsOutOfRangeAndNamesTheParameter() {
        CommandRig rig = new CommandRig(List.of(fuzz));
        assertEquals("Error (334006): Value \"9223372036854775808\" is not valid for VALUE: expected 256..4294967295 (out of range).",
                error(rig, "set fuzz spi value=9223372036854775808"));
        assertEquals("Error (334006): Value \"99999999999999999999999\" is not valid for VALUE: expected 0..255 (out of range).",
                error(rig, "set fuzz byte value=99999999999999999999999"));
        assertTrue(error(rig, "set fuzz wide value=9223372036854775808").contains("out of range"));
        assertTrue(rig.run("set fuzz wide value=9223372036854775807"));
        assertTrue(rig.run("set fuzz byte value=0000000000000000000000255"));
        assertEquals(List.of(Long.MAX_VALUE, 255L), accepted);
    }

    @Test
    void unicodeDigitsAreNotNumbersAddressesOrHex() {
        CommandRig rig = new CommandRig(List.of(fuzz));
        // Arabic-Indic 1 2: Character.isDigit and Long.parseLong read them as 12
        assertEquals("Error (334006): Value \"\\u0661\\u0662\" is not valid for VALUE: expected 0..255 (only the digits 0-9 are allowed).",
                error(rig, "set fuzz byte value=\u0661\u0662"));
        assertTrue(error(rig, "set fuzz ip value=10.0.0.\u06F1").contains("expected an IP address (a.b.c.d)"));
        // fullwidth 1 2: Character.digit accepts them, HexFormat throws
        assertEquals("Error (334006): Value \"0x\\uFF11\\uFF12\" is not valid for VALUE: expected hex 0x... of 1..32 bytes "
                        + "(only the hex digits 0-9 and A-F are allowed).",
                error(rig, "set fuzz hex value=0x\uFF11\uFF12"));
        assertTrue(error(rig, "set fuzz port value=\uFF18\uFF10").contains("for VALUE: expected ANY or 0..65535"));
        // the dotless i upper-cases to I: not a spelling of a keyword
        assertTrue(error(rig, "set fuzz bool value=\u0131").contains("for VALUE"));
        assertTrue(accepted.isEmpty());
    }

    @Test
    void aLongRefusedValueIsEchoedShortened() {
        CommandRig rig = new CommandRig(List.of(fuzz));
        String out = error(rig, "set fuzz byte value=" + "9".repeat(500));
        assertEquals("Error (334006): Value \"" + "9".repeat(40) + "...\" is not valid for VALUE: expected 0..255 (out of range).", out);
    }

    /** Hostile spellings: huge numbers, Unicode digits, empty, overlong, control and format characters. */
    static List<String> hostile(Random r) {
        List<String> v = new ArrayList<>(List.of("", "-1", "+1", "0x", "0X", "1e9", "1.5", "..", "1.2.3", "1.2.3.4.5",
                "256.1.1.1", "1.2.3.4-", "-1.2.3.4", "9223372036854775807", "9223372036854775808", "18446744073709551616",
                "9".repeat(19), "9".repeat(20), "9".repeat(400), "0x" + "f".repeat(65), "0x" + "0".repeat(900), "0xfff",
                "x".repeat(1000), "\"", "\"\"", "a=b", "==", "\u0000", "\u001b[2J", "\u007f", "\u0085", "\u202e1", "\u200b",
                "\ud800", "\udc00x", "\uD835\uDFCE", "\uFF10x\uFF11", "0x\uFF21\uFF22", "\u0660", "\u0966\u0967", "1\u00a02",
                "\u0131", "\u017f", "AN\u0130", "TRU\u0395"));
        String[] blocks = {"0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
                "\u06F0\u06F5\u06F9\u0966\u096F\u0E50\u0E59", "\uFF10\uFF11\uFF19\uFF21\uFF26\uFF41", ".-x", "\t\u3000\u2028",
                "\u0001\u0008\u000b\u001f\u0080\u009f", "abcdefABCDEF", "\ud83d\ude00\ud800"};
        for (int i = 0; i < 400; i++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(i % 10 == 0 ? 1100 : 30);
            if (r.nextBoolean()) {
                b.append("0x");
            }
            for (int k = 0; k < len; k++) {
                String block = blocks[r.nextInt(blocks.length)];
                b.append(block.charAt(r.nextInt(block.length())));
            }
            v.add(b.toString());
        }
        return v;
    }

    @Test
    void fuzzedValuesOfEveryTypeGiveACleanErrorAndNeverAnException() {
        CommandRig rig = new CommandRig(List.of(fuzz));
        Random r = new Random(11);
        int refused = 0;
        for (String type : TYPES.keySet()) {
            for (String v : hostile(r)) {
                for (String line : List.of("set fuzz " + type + " value=" + v, "set fuzz " + type + " value=\"" + v + "\"",
                        "set fuzz " + type + " " + v)) {
                    int before = accepted.size();
                    boolean ok;
                    try {
                        ok = rig.run(line);
                    } catch (RuntimeException e) {
                        fail("exception for " + printable(line), e);
                        return;
                    }
                    String out = rig.lastOutput();
                    if (ok) {
                        assertEquals(before + 1, accepted.size(), printable(line));
                        continue;
                    }
                    refused++;
                    assertEquals(1, out.lines().count(), printable(line) + " -> " + out);
                    assertTrue(out.startsWith("Error (334"), printable(line) + " -> " + out);
                    if (out.startsWith("Error (334006)")) {
                        assertTrue(out.contains(" for VALUE: expected " + TYPES.get(type).describe()), printable(line) + " -> " + out);
                    }
                }
            }
        }
        assertTrue(refused > TYPES.size() * 400, "the fuzz must mostly be refused: " + refused);
    }

    @Test
    void theGrammarAloneThrowsOnlyCommandErrors() {
        Grammar g = new Grammar(new CommandRig(List.of(fuzz)).processor().grammar().commands());
        Random r = new Random(5);
        for (String type : TYPES.keySet()) {
            for (String v : hostile(r)) {
                String line = "set fuzz " + type + " value=" + v;
                try {
                    g.parse(line);
                } catch (CommandException expected) {
                    assertTrue(expected.rendered().startsWith("Error ("));
                } catch (RuntimeException e) {
                    fail("exception for " + printable(line), e);
                }
            }
        }
        assertThrows(CommandException.class, () -> g.parse("set fuzz byte value=" + "9".repeat(30)));
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().limit(200).forEach(c -> b.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04X", c)));
        return b.toString();
    }
}
