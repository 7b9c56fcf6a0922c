package io.argate.shell.parse;

import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.Keyword;

import java.util.LinkedHashMap;
import java.util.Map;

/** A node of the grammar tree: one command word, its children, and the command ending here. */
final class GrammarNode {
    final Keyword word;
    final Map<String, GrammarNode> children = new LinkedHashMap<>();
    CommandSpec command;

    GrammarNode(Keyword word) {
        this.word = word;
    }

    /** Path of words from the root, for messages: {@code SHOW IPSEC}. */
    String path;
}
