package io.argate.shell.parse;

import io.argate.shell.cmd.CommandSpec;

import java.util.Map;

/** A command line resolved to its command and typed values. */
public record Parsed(CommandSpec spec, Map<String, Object> values) {
}
