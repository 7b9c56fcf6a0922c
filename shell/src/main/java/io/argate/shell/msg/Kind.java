package io.argate.shell.msg;

/** The three AR result kinds; the digit leads the message code (fact sheet 1.4). */
public enum Kind {
    INFO("Info", 1),
    WARNING("Warning", 2),
    ERROR("Error", 3);

    private final String label;
    private final int digit;

    Kind(String label, int digit) {
        this.label = label;
        this.digit = digit;
    }

    public String label() {
        return label;
    }

    public int digit() {
        return digit;
    }
}
