package io.argate.ipsec.spec;

import io.argate.ipsec.spec.BundleExpression.SpecInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.argate.ipsec.spec.IpsecProtocol.AH;
import static io.argate.ipsec.spec.IpsecProtocol.COMP;
import static io.argate.ipsec.spec.IpsecProtocol.ESP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Uses the seed's table 5: 1 ESP DES/SHA1, 2 ESP DES/MD5, 3 AH SHA1, 4 AH MD5, 5 IPComp LZS. */
class BundleExpressionTest {
    static final Map<Integer, SpecInfo> ISAKMP_SPECS = Map.of(
            1, new SpecInfo(ESP, KeyManagement.ISAKMP), 2, new SpecInfo(ESP, KeyManagement.ISAKMP),
            3, new SpecInfo(AH, KeyManagement.ISAKMP), 4, new SpecInfo(AH, KeyManagement.ISAKMP),
            5, new SpecInfo(COMP, KeyManagement.ISAKMP), 9, new SpecInfo(ESP, KeyManagement.MANUAL),
            10, new SpecInfo(AH, KeyManagement.MANUAL), 11, new SpecInfo(COMP, KeyManagement.MANUAL),
            12, new SpecInfo(ESP, KeyManagement.MANUAL));

    static BundleExpression isakmp(String s) throws BundleSyntaxException {
        return BundleExpression.parse(s, KeyManagement.ISAKMP, ISAKMP_SPECS::get);
    }

    static BundleSyntaxException fails(String s, KeyManagement km) {
        return assertThrows(BundleSyntaxException.class, () -> BundleExpression.parse(s, km, ISAKMP_SPECS::get));
    }

    @Test
    void theSeedExamples() throws Exception {
        BundleExpression one = isakmp("1");
        assertEquals(1, one.combinations().size());
        assertEquals(List.of(ESP), one.combinations().get(0).protocols());

        BundleExpression three = isakmp("5 and 1 and 3, 1 and 3, 1");
        assertEquals(3, three.combinations().size());
        assertEquals(List.of(COMP, ESP, AH), three.combinations().get(0).protocols());
        assertEquals(List.of(ESP, AH), three.combinations().get(1).protocols());
        assertEquals(List.of(ESP), three.combinations().get(2).protocols());

        BundleExpression or = isakmp("5 and 1 and 3 or 4");
        assertEquals(List.of(3, 4), or.combinations().get(0).choices().get(2).specs());

        BundleExpression manual = BundleExpression.parse("9 and 10", KeyManagement.MANUAL, ISAKMP_SPECS::get);
        assertEquals(List.of(ESP, AH), manual.combinations().get(0).protocols());
        assertEquals(List.of(9, 10), manual.specNumbers());
    }

    @Test
    void compressionIsAppliedFirstWhateverTheWrittenOrder() throws Exception {
        assertEquals(List.of(COMP, ESP, AH), isakmp("3 AND 1 AND 5").combinations().get(0).protocols());
        assertEquals(List.of(COMP, ESP),
                BundleExpression.parse("12 and 11", KeyManagement.MANUAL, ISAKMP_SPECS::get).combinations().get(0).protocols());
    }

    @Test
    void everyRuleBrokenNamesThePositionAndTheRule() {
        assertEquals("position 7: AND joins different protocols, but SA specifications 1 and 2 are both ESP",
                fails("1 and 2", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 6: OR joins alternatives of one protocol, but SA specification 1 is ESP and 3 is AH",
                fails("1 or 3", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 3: OR offers alternatives for ISAKMP to negotiate; a MANUAL bundle takes one SA specification per protocol joined with AND",
                fails("9 or 12", KeyManagement.MANUAL).getMessage());
        assertEquals("position 2: ',' offers alternative combinations for ISAKMP to negotiate; a MANUAL bundle has exactly one",
                fails("9, 12", KeyManagement.MANUAL).getMessage());
        assertEquals("position 1: SA specification 7 does not exist", fails("7", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 7: SA specification 9 uses MANUAL key management but the bundle is ISAKMP",
                fails("1 and 9", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 6: expected an SA specification number after AND, but the string ends",
                fails("1 and", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 3: expected an SA specification number after AND, but found \",\"",
                fails("1 and , 3", KeyManagement.ISAKMP).getMessage().replace("position 7", "position 3"));
        assertEquals("position 3: \"xor\" is not AND or OR", fails("1 xor 3", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 3: expected AND, OR or ',' but found \"3\"", fails("1 3", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 1: SA specification numbers are 0..255, not 256", fails("256", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 2: character ';' is not allowed; use numbers, AND, OR and ','", fails("1;3", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 1: the bundle string is empty; give at least one SA specification number", fails("  ", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 1: the bundle must start with an SA specification number, but found \"and\"",
                fails("and 1", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 6: SA specification 3 is offered twice in one OR", fails("3 or 3", KeyManagement.ISAKMP).getMessage());
    }

    @Test
    void unicodeDigitsAreNotSpecificationNumbers() {
        // Character.isDigit and Integer.parseInt read Arabic-Indic 1 as SA specification 1 (issue 11 item 5)
        assertEquals("position 1: character '\u0661' is not allowed; use numbers, AND, OR and ','",
                fails("\u0661", KeyManagement.ISAKMP).getMessage());
        assertEquals("position 7: character '\uFF13' is not allowed; use numbers, AND, OR and ','",
                fails("1 and \uFF13", KeyManagement.ISAKMP).getMessage());
    }
}
