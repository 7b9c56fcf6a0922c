package io.argate.image.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer configuration file from {@code src/test/resources/interop/}, with {@code ${NAME}}
 * placeholders. Rendering replaces every placeholder and refuses one without a value, so a
 * template and the code that fills it cannot drift apart silently.
 */
final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

    private Template() {
    }

    static String load(String resource) {
        try (InputStream in = Template.class.getResourceAsStream("/interop/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no interop template " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String render(String resource, Map<String, String> values) {
        String text = load(resource);
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        TreeSet<String> missing = new TreeSet<>();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                missing.add(m.group(1));
                v = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(resource + " needs values for " + missing);
        }
        return out.toString();
    }
}
