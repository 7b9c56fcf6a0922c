package io.argate.image.interop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One section of a VICI message as {@code swanctl --pretty} prints it: {@code key = value}
 * pairs, {@code key = [ ... ]} lists (one item a line) and nested {@code name { ... }}
 * sections. Parsing the pretty form rather than the table keeps values with spaces (DN
 * identities) whole.
 */
record ViciSection(String name, Map<String, String> values, Map<String, List<String>> lists,
                   Map<String, ViciSection> sections) {

    /** Parses every top-level section of swanctl's pretty output (e.g. one per list-sa event). */
    static List<ViciSection> parse(String text) {
        List<ViciSection> top = new ArrayList<>();
        List<ViciSection> stack = new ArrayList<>();
        String list = null;
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.isEmpty()) {
                continue;
            }
            ViciSection cur = stack.isEmpty() ? null : stack.get(stack.size() - 1);
            if (list != null) {
                if (line.equals("]")) {
                    list = null;
                } else if (cur != null) {
                    cur.lists.get(list).add(line);
                }
            } else if (line.endsWith("{")) {
                ViciSection s = new ViciSection(line.substring(0, line.length() - 1).trim(),
                        new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
                if (cur == null) {
                    top.add(s);
                } else {
                    cur.sections.put(s.name, s);
                }
                stack.add(s);
            } else if (line.equals("}")) {
                if (!stack.isEmpty()) {
                    stack.remove(stack.size() - 1);
                }
            } else if (cur != null) {
                int eq = line.indexOf(" = ");
                if (eq < 0) {
                    continue;
                }
                String key = line.substring(0, eq);
                String value = line.substring(eq + 3);
                if (value.equals("[")) {
                    cur.lists.put(key, new ArrayList<>());
                    list = key;
                } else {
                    cur.values.put(key, value);
                }
            }
        }
        return top;
    }

    String get(String key) {
        return values.getOrDefault(key, "");
    }

    List<String> list(String key) {
        return lists.getOrDefault(key, List.of());
    }
}
