package io.argate.shell.testing;

import io.argate.shell.session.SessionIo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * In-memory terminal for tests: queued input lines and secrets, captured output lines.
 * Published in the shell's test-jar so every module tests its commands the same way.
 */
public final class BufferIo implements SessionIo {
    private final Deque<String> input = new ArrayDeque<>();
    private final Deque<String> secrets = new ArrayDeque<>();
    private final List<String> output = new ArrayList<>();
    private final boolean interactive;
    private int pageHeight;
    private int moreCalls;

    public BufferIo(boolean interactive) {
        this.interactive = interactive;
    }

    public BufferIo input(String... lines) {
        input.addAll(List.of(lines));
        return this;
    }

    public BufferIo secret(String... values) {
        secrets.addAll(List.of(values));
        return this;
    }

    public BufferIo pageHeight(int h) {
        this.pageHeight = h;
        return this;
    }

    @Override
    public synchronized void println(String line) {
        output.add(line);
    }

    @Override
    public Optional<String> readLine(String prompt) {
        output.add(prompt + (input.isEmpty() ? "" : input.peek()));
        return Optional.ofNullable(input.poll());
    }

    @Override
    public Optional<String> readSecret(String prompt) {
        output.add(prompt);
        return Optional.ofNullable(secrets.poll());
    }

    @Override
    public boolean interactive() {
        return interactive;
    }

    @Override
    public int pageHeight() {
        return pageHeight;
    }

    @Override
    public boolean more() {
        moreCalls++;
        output.add("--More--");
        return true;
    }

    public int moreCalls() {
        return moreCalls;
    }

    /** Everything printed so far. */
    public synchronized List<String> lines() {
        return List.copyOf(output);
    }

    /** Everything printed so far, joined with newlines. */
    public synchronized String text() {
        return String.join("\n", output);
    }

    public synchronized void clear() {
        output.clear();
    }
}
