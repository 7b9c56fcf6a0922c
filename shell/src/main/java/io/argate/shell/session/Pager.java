package io.argate.shell.session;

/** Entry point to the pager for code outside this package. */
public final class Pager {
    private Pager() {
    }

    /** Output for one command: paged on interactive terminals, direct otherwise. */
    public static Output of(SessionIo io) {
        return PagedOutput.forCommand(io);
    }
}
