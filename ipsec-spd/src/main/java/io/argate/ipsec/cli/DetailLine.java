package io.argate.ipsec.cli;

/** The {@code Label ........ value} lines of the AR detail views (fact sheet 2.7). */
final class DetailLine {
    private static final int WIDTH = 36;

    private DetailLine() {
    }

    static String of(String label, Object value) {
        StringBuilder b = new StringBuilder(label).append(' ');
        while (b.length() < WIDTH) {
            b.append('.');
        }
        return b.append(' ').append(value).toString();
    }
}
