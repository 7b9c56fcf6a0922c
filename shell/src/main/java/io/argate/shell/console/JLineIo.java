package io.argate.shell.console;

import io.argate.shell.CommandProcessor;
import io.argate.shell.parse.Candidate;
import io.argate.shell.session.Session;
import io.argate.shell.session.SessionIo;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A session terminal on JLine, the same for the console and for telnet (JLine's remote-telnet
 * idea: the shell takes a Terminal and never knows where it is). Line editing and history come
 * from the LineReader; TAB completes from the grammar; {@code ?} lists what may come next with
 * its help and redraws the line; Ctrl-C cancels the line; the pager waits for a key.
 */
public final class JLineIo implements SessionIo {
    private final Terminal terminal;
    private final LineReader reader;
    private final Runnable onClose;
    private final AtomicReference<Session> session = new AtomicReference<>();

    /** What a terminal that reports no size (a serial line: 0 rows, 0 columns) is taken to be. */
    static final Size DEFAULT_SIZE = new Size(80, 24);

    public JLineIo(Terminal terminal, CommandProcessor processor, Runnable onClose) {
        this.terminal = terminal;
        if (terminal.getWidth() <= 0 || terminal.getHeight() <= 0) {
            // with 0 columns the line editor draws prompts into nothing; a VT100's size is sane
            terminal.setSize(DEFAULT_SIZE);
        }
        this.onClose = onClose;
        Completer completer = (r, line, candidates) -> {
            String before = line.line().substring(0, line.cursor());
            for (Candidate c : processor.next(session.get(), before)) {
                if (c.word().isEmpty()) {
                    continue;
                }
                boolean finished = !c.word().endsWith("=");
                candidates.add(new org.jline.reader.Candidate(c.word(), c.word(), null, c.help(), null, null, finished));
            }
        };
        this.reader = LineReaderBuilder.builder().terminal(terminal).completer(completer)
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.BRACKETED_PASTE, false)
                .variable(LineReader.HISTORY_SIZE, 200)
                .build();
        reader.getWidgets().put("argate-help", () -> {
            String before = reader.getBuffer().upToCursor();
            if (insideQuotes(before)) {
                reader.getBuffer().write('?');
                return true;
            }
            reader.printAbove(HelpText.render(processor.next(session.get(), before)));
            return true;
        });
        reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference("argate-help"), "?");
    }

    /** The session this terminal serves (completion is session-aware). */
    public void attach(Session s) {
        session.set(s);
    }

    private static boolean insideQuotes(String s) {
        return s.chars().filter(c -> c == '"').count() % 2 == 1;
    }

    @Override
    public void println(String line) {
        terminal.writer().println(line);
        terminal.writer().flush();
    }

    @Override
    public void printAsync(String line) {
        // above the prompt and whatever is being typed, which JLine redraws
        reader.printAbove(line);
    }

    @Override
    public Optional<String> readLine(String prompt) {
        while (true) {
            try {
                return Optional.of(reader.readLine(prompt));
            } catch (UserInterruptException ctrlC) {
                // Ctrl-C cancels the line being typed, as on the AR
                continue;
            } catch (EndOfFileException | IllegalStateException | java.io.IOError end) {
                return Optional.empty();
            }
        }
    }

    @Override
    public Optional<String> readSecret(String prompt) {
        try {
            return Optional.of(reader.readLine(prompt, '\0'));
        } catch (UserInterruptException ctrlC) {
            return Optional.of("");
        } catch (EndOfFileException | IllegalStateException | java.io.IOError end) {
            return Optional.empty();
        }
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public int pageHeight() {
        return Math.max(0, terminal.getHeight());
    }

    @Override
    public boolean more() {
        terminal.writer().print("--More-- (<space> = next page, <CR> = one line, Q = quit)");
        terminal.writer().flush();
        int c;
        try {
            c = terminal.reader().read();
        } catch (IOException e) {
            c = 'q';
        }
        terminal.writer().print("\r" + " ".repeat(60) + "\r");
        terminal.writer().flush();
        return c != 'q' && c != 'Q' && c != 3 && c >= 0;
    }

    @Override
    public void close() {
        try {
            terminal.close();
        } catch (IOException ignored) {
            // the connection is going away anyway
        }
        onClose.run();
    }

    /** Formats the {@code ?} listing. */
    static final class HelpText {
        private HelpText() {
        }

        static String render(List<Candidate> cs) {
            if (cs.isEmpty()) {
                return "  (nothing can follow here)";
            }
            int w = cs.stream().mapToInt(c -> c.usage().length()).max().orElse(0);
            w = Math.min(w, 40);
            StringBuilder b = new StringBuilder();
            for (Candidate c : cs) {
                if (b.length() > 0) {
                    b.append('\n');
                }
                b.append("  ").append(String.format("%-" + w + "s", c.usage()));
                if (!c.help().isEmpty()) {
                    b.append("  ").append(c.help());
                }
            }
            return b.toString();
        }
    }
}
