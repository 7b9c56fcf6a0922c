package io.argate.shell.cmd;

/** The three AR privilege levels (fact sheet 1.1), lowest first. */
public enum Privilege {
    USER("User"),
    MANAGER("Manager"),
    SECURITY_OFFICER("SecOff");

    private final String prompt;

    Privilege(String prompt) {
        this.prompt = prompt;
    }

    /** The word in the prompt: {@code Manager >}. */
    public String prompt() {
        return prompt;
    }

    public boolean atLeast(Privilege other) {
        return compareTo(other) >= 0;
    }

    /** Config/CLI spelling: USER, MANAGER, SECURITYOFFICER. */
    public String keyword() {
        return this == SECURITY_OFFICER ? "SECURITYOFFICER" : name();
    }
}
