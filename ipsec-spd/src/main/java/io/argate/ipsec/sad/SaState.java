package io.argate.ipsec.sad;

/** SA states as SHOW IPSEC SA prints them (fact sheet 2.7). */
public enum SaState {
    UNDEF("Undef"), CREATING("Creating"), VALID("Valid"), REMOVING("Removing");

    private final String display;

    SaState(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }
}
