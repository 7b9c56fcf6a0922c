package io.argate.shell.session;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * A non-interactive terminal: output lines go to a consumer, nothing can be read. Scripts and
 * batch runs use it; their commands come from a file, not from the terminal.
 */
public final class LineIo implements SessionIo {
    private final Consumer<String> sink;

    public LineIo(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public void println(String line) {
        sink.accept(line);
    }

    @Override
    public Optional<String> readLine(String prompt) {
        return Optional.empty();
    }

    @Override
    public Optional<String> readSecret(String prompt) {
        return Optional.empty();
    }

    @Override
    public boolean interactive() {
        return false;
    }
}
