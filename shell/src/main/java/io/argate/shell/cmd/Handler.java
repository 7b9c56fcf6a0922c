package io.argate.shell.cmd;

/** Runs a parsed, validated command. Must not change state before it is sure to succeed. */
@FunctionalInterface
public interface Handler {
    void handle(Invocation inv) throws CommandException;
}
