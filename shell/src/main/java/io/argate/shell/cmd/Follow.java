package io.argate.shell.cmd;

import io.argate.shell.session.Output;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The rest of a command's output when the command goes on after its handler returned (PING
 * waiting for replies): the handler starts the work on the control plane and returns at once;
 * the work prints here and calls {@link #finish}; the session's own thread prints the lines as
 * they come. The control plane never waits for the terminal: lines beyond {@link #BACKLOG}
 * are dropped and counted.
 */
public final class Follow {
    public static final int BACKLOG = 1024;

    private final ArrayBlockingQueue<String> lines = new ArrayBlockingQueue<>(BACKLOG);
    private final LongAdder dropped = new LongAdder();
    private volatile boolean finished;
    private volatile boolean ok = true;
    private volatile boolean abandoned;

    /** From the control plane: one line of output. */
    public void println(String line) {
        if (!lines.offer(line)) {
            dropped.increment();
        }
    }

    /** From the control plane: the command is over; {@code success} is its exit status. */
    public void finish(boolean success) {
        this.ok = success;
        this.finished = true;
    }

    /** True once the session stopped listening (it closed): the work should stop too. */
    public boolean abandoned() {
        return abandoned;
    }

    public boolean finished() {
        return finished;
    }

    /** The session's side: prints lines until the work finishes; returns its status. */
    public boolean drainTo(Output out) {
        try {
            while (true) {
                boolean last = finished;
                String line = lines.poll(50, TimeUnit.MILLISECONDS);
                if (line != null) {
                    out.println(line);
                    continue;
                }
                if (last) {
                    if (dropped.sum() > 0) {
                        out.println("(" + dropped.sum() + " lines of output were dropped: the terminal fell behind)");
                    }
                    return ok;
                }
            }
        } catch (InterruptedException e) {
            abandoned = true;
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException terminalGone) {
            abandoned = true;
            throw terminalGone;
        }
    }
}
