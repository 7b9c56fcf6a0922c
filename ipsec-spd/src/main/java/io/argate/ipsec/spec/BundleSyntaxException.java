package io.argate.ipsec.spec;

/** A bundle STRING that breaks a rule; says where (1-based column) and which rule. */
public final class BundleSyntaxException extends Exception {
    private final int column;
    private final String rule;

    public BundleSyntaxException(int column, String rule) {
        super("position " + column + ": " + rule, null, false, false);
        this.column = column;
        this.rule = rule;
    }

    public int column() {
        return column;
    }

    public String rule() {
        return rule;
    }
}
