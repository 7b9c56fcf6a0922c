package io.argate.store;

import java.util.Locale;

/**
 * A validated flash file name: {@code [device:]name.ext}, case-insensitive, held in lower case.
 *
 * <p>Rules (AR reference, files and the flash file system): the only device is FLASH; the name
 * part has 1-8 characters from {@code [A-Za-z0-9-]} and the extension 1-3 letters or digits. A
 * name part of 9-16 characters is a long name: accepted, but stored under a DOS 8.3 alias
 * ({@code extral~1.cfg}) listed in {@code longname.lfn}. An alias itself is also a valid name, so
 * either form can be typed afterwards.
 */
public final class FlashName {

    /** The only device the flat file system has. */
    public static final String DEVICE = "flash";
    public static final int SHORT_BASE_MAX = 8;
    public static final int LONG_BASE_MAX = 16;
    public static final int EXT_MAX = 3;

    private final String base;
    private final String ext;

    private FlashName(String base, String ext) {
        this.base = base;
        this.ext = ext;
    }

    /** Parses what a user typed; throws {@link StoreException} naming the rule broken. */
    public static FlashName parse(String typed) {
        if (typed == null || typed.isBlank()) {
            throw new StoreException("File name is missing");
        }
        String name = typed.strip();
        int colon = name.indexOf(':');
        if (colon >= 0) {
            String device = name.substring(0, colon);
            if (!device.equalsIgnoreCase(DEVICE)) {
                throw new StoreException("Device \"" + device + "\" in " + name
                        + " is not valid; the only device is FLASH");
            }
            name = name.substring(colon + 1);
        }
        int dot = name.indexOf('.');
        if (dot < 0) {
            throw new StoreException("File name " + name + " has no extension; the form is name.ext");
        }
        if (name.indexOf('.', dot + 1) >= 0) {
            throw new StoreException("File name " + name + " has more than one '.'; the form is name.ext");
        }
        String base = name.substring(0, dot).toLowerCase(Locale.ROOT);
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        checkBase(name, base);
        checkExt(name, ext);
        return new FlashName(base, ext);
    }

    /** True when {@code fileName} (as found on disk) is a stored 8.3 flash name. */
    static boolean isStoredForm(String fileName) {
        try {
            FlashName n = parse(fileName);
            return !n.isLong() && n.text().equals(fileName);
        } catch (StoreException e) {
            return false;
        }
    }

    private static void checkBase(String name, String base) {
        if (base.isEmpty()) {
            throw new StoreException("File name " + name + " has an empty name part before the '.'");
        }
        if (base.length() > LONG_BASE_MAX) {
            throw new StoreException("File name " + name + " has a name part of " + base.length()
                    + " characters; the limit is " + SHORT_BASE_MAX + " (" + LONG_BASE_MAX + " as a long name)");
        }
        if (isAliasForm(base)) {
            return;
        }
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (!isNameChar(c)) {
                throw new StoreException("File name " + name + " contains '" + c
                        + "'; a name may only contain letters, digits and '-'");
            }
        }
    }

    private static void checkExt(String name, String ext) {
        if (ext.isEmpty()) {
            throw new StoreException("File name " + name + " has an empty extension after the '.'");
        }
        if (ext.length() > EXT_MAX) {
            throw new StoreException("File name " + name + " has an extension of " + ext.length()
                    + " characters; the limit is " + EXT_MAX);
        }
        for (int i = 0; i < ext.length(); i++) {
            char c = ext.charAt(i);
            if (!isLetterOrDigit(c)) {
                throw new StoreException("File name " + name + " has '" + c
                        + "' in its extension; an extension may only contain letters and digits");
            }
        }
    }

    /** The DOS alias shape {@code prefix~n}: at most 8 characters, prefix of name characters. */
    private static boolean isAliasForm(String base) {
        int tilde = base.indexOf('~');
        if (tilde < 1 || base.length() > SHORT_BASE_MAX || tilde == base.length() - 1) {
            return false;
        }
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            boolean ok = i < tilde ? isNameChar(c) : i == tilde || (c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return base.charAt(tilde + 1) != '0';
    }

    private static boolean isNameChar(char c) {
        return isLetterOrDigit(c) || c == '-';
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** The name part, lower case. */
    public String base() {
        return base;
    }

    /** The extension, lower case. */
    public String ext() {
        return ext;
    }

    /** Canonical text, {@code name.ext} in lower case without the device. */
    public String text() {
        return base + "." + ext;
    }

    /** A name part longer than 8: stored under an alias. */
    public boolean isLong() {
        return base.length() > SHORT_BASE_MAX;
    }

    /** The {@code prefix~n} form that stands for a long name. */
    public boolean isAlias() {
        return base.indexOf('~') >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlashName other && other.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
