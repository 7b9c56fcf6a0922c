package io.argate.shell.tap;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded queue of debug lines from the data path or the control plane to one session's
 * terminal (DESIGN.md section 5: the data path never writes to a terminal). {@link #offer} never
 * blocks: when the terminal is slower than the traffic, lines are dropped and counted, and the
 * session says how many when it catches up.
 */
public final class Tap {
    /** Lines a terminal may fall behind by before debug output is dropped. */
    public static final int CAPACITY = 2048;

    private final ArrayBlockingQueue<String> lines;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder offered = new LongAdder();

    public Tap() {
        this(CAPACITY);
    }

    public Tap(int capacity) {
        this.lines = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues one line for the terminal; false (and counted) when it is full. Never blocks. */
    public boolean offer(String line) {
        offered.increment();
        if (lines.offer(line)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /** The terminal side: the next line, waiting up to {@code millis}; null when none came. */
    public String poll(long millis) throws InterruptedException {
        return lines.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Lines dropped because the terminal had fallen {@link #CAPACITY} lines behind. */
    public long dropped() {
        return dropped.sum();
    }

    /** Every line offered, delivered or not. */
    public long offered() {
        return offered.sum();
    }

    /** Lines waiting for the terminal. */
    public int backlog() {
        return lines.size();
    }
}
