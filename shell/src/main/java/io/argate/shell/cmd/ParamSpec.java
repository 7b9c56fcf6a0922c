package io.argate.shell.cmd;

/**
 * A parameter of one command: its keyword, whether it must be given, and the default a user
 * should expect when it is not (shown by {@code ?} and HELP; handlers apply it).
 */
public record ParamSpec(Keyword keyword, boolean required, String defaultText) {
    public String name() {
        return keyword.name();
    }
}
