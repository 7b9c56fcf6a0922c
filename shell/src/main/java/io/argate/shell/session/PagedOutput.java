package io.argate.shell.session;

/**
 * The {@code --More--} pager for one command's output on an interactive terminal: after each
 * page it asks the terminal to wait for a key, and drops the rest if the user says stop.
 */
final class PagedOutput implements Output {
    private final SessionIo io;
    private final int height;
    private int lines;
    private boolean stopped;

    PagedOutput(SessionIo io, int height) {
        this.io = io;
        this.height = height;
    }

    static Output forCommand(SessionIo io) {
        int h = io.interactive() ? io.pageHeight() : 0;
        return h > 1 ? new PagedOutput(io, h - 1) : io;
    }

    @Override
    public void println(String line) {
        if (stopped) {
            return;
        }
        if (lines == height) {
            if (!io.more()) {
                stopped = true;
                return;
            }
            lines = 0;
        }
        io.println(line);
        lines++;
    }
}
