package io.argate.store;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The translation table kept in flash as {@code longname.lfn}: which 8.3 alias stands for which
 * long name (AR reference, files and the flash file system).
 *
 * <p>On disk one line per file, {@code alias long}, both lower case. Lines that do not parse as
 * two valid names are skipped rather than failing the boot: the aliased files stay reachable
 * under their 8.3 names.
 */
final class LongNameTable {

    static final String FILE_NAME = "longname.lfn";

    /** alias -> long name. */
    private final Map<String, String> longByAlias = new TreeMap<>();
    /** long name -> alias. */
    private final Map<String, String> aliasByLong = new TreeMap<>();

    static LongNameTable decode(byte[] content) {
        LongNameTable table = new LongNameTable();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length != 2) {
                continue;
            }
            try {
                FlashName alias = FlashName.parse(parts[0]);
                FlashName longName = FlashName.parse(parts[1]);
                if (alias.isAlias() && longName.isLong()) {
                    table.put(alias.text(), longName.text());
                }
            } catch (StoreException skipped) {
                // a damaged line: the file stays reachable under its alias
            }
        }
        return table;
    }

    byte[] encode() {
        StringBuilder out = new StringBuilder();
        longByAlias.forEach((alias, longName) -> out.append(alias).append(' ').append(longName).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    Optional<String> aliasOf(String longName) {
        return Optional.ofNullable(aliasByLong.get(longName));
    }

    Optional<String> longNameOf(String alias) {
        return Optional.ofNullable(longByAlias.get(alias));
    }

    Set<String> aliases() {
        return Set.copyOf(longByAlias.keySet());
    }

    boolean isEmpty() {
        return longByAlias.isEmpty();
    }

    void put(String alias, String longName) {
        remove(alias);
        String oldAlias = aliasByLong.remove(longName);
        if (oldAlias != null) {
            longByAlias.remove(oldAlias);
        }
        longByAlias.put(alias, longName);
        aliasByLong.put(longName, alias);
    }

    void remove(String alias) {
        String longName = longByAlias.remove(alias);
        if (longName != null) {
            aliasByLong.remove(longName);
        }
    }

    /**
     * The DOS-style alias for {@code longName}: the first characters of the name part, {@code ~}
     * and the lowest number not yet taken ({@code extral~1.cfg}, then {@code extral~2.cfg};
     * from 10 on the prefix shortens to keep 8 characters).
     *
     * @param taken true for 8.3 names already used by a file or by another entry
     */
    static String newAlias(FlashName longName, java.util.function.Predicate<String> taken) {
        for (int n = 1; ; n++) {
            String suffix = "~" + n;
            int prefixLength = Math.min(FlashName.SHORT_BASE_MAX - suffix.length(), 6);
            if (prefixLength < 1) {
                throw new StoreException("No 8.3 name is left for " + longName.text());
            }
            String alias = longName.base().substring(0, prefixLength) + suffix + "." + longName.ext();
            if (!taken.test(alias)) {
                return alias;
            }
        }
    }
}
