package io.argate.shell.loop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The control plane (DESIGN.md section 5): one thread runs every command handler, every timer
 * and every event the data path raises, one at a time, so the state they touch needs no locks.
 * Nothing here waits for a terminal or a packet: sessions do their I/O on their own threads,
 * and receive threads only {@link #post} events, which never block.
 *
 * <p>Timers run by the injectable clock. With a {@link ManualClock} they run only inside
 * {@link #advance}, each at its due instant, so tests step time instead of sleeping.
 */
public final class ControlLoop implements Executor, AutoCloseable {
    /**
     * Events the data path may queue before further ones are dropped and counted: a flood of
     * unknown SPIs or ACQUIREs must cost the receive threads nothing and the loop a bounded backlog.
     */
    public static final int EVENT_BACKLOG = 4096;

    /** A scheduled task; {@link #cancel()} from the loop (or any thread) stops it running again. */
    public interface Timer {
        void cancel();
    }

    private final Clock clock;
    private final Thread thread;
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final ArrayDeque<Runnable> events = new ArrayDeque<>();
    private final PriorityQueue<Scheduled> timers = new PriorityQueue<>();
    private final LongAdder eventsDropped = new LongAdder();
    private volatile BiConsumer<String, RuntimeException> failures = (what, e) -> { };
    private long sequence;
    private boolean closed;

    public ControlLoop(Clock clock) {
        this(clock, "control-plane");
    }

    public ControlLoop(Clock clock, String name) {
        this.clock = clock;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public Clock clock() {
        return clock;
    }

    /** Told about a task that threw (a bug): the loop itself carries on. */
    public void onFailure(BiConsumer<String, RuntimeException> listener) {
        this.failures = listener;
    }

    /** True on the loop's own thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Queues a control-plane task (a command, a session's request). */
    @Override
    public void execute(Runnable task) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            tasks.add(task);
            lock.notifyAll();
        }
    }

    /**
     * Queues an event from the data path without ever blocking: false (and counted) when the
     * backlog is full.
     */
    public boolean post(Runnable event) {
        synchronized (lock) {
            if (closed || events.size() >= EVENT_BACKLOG) {
                eventsDropped.increment();
                return false;
            }
            events.add(event);
            lock.notifyAll();
            return true;
        }
    }

    /** Data-path events refused because the backlog was full. */
    public long eventsDropped() {
        return eventsDropped.sum();
    }

    /**
     * Runs {@code task} on the loop and returns its result, waiting for it; runs it at once when
     * already on the loop. A RuntimeException from the task is thrown here.
     */
    public <T> T call(Callable<T> task) {
        if (inLoop()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    synchronized (lock) {
                        if (closed && !f.isDone()) {
                            throw new IllegalStateException("the control plane has stopped");
                        }
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException r) {
                        throw r;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code task} on the loop and waits for it. */
    public void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Runs {@code task} once, {@code delay} from now by the loop's clock. */
    public Timer schedule(Duration delay, Runnable task) {
        return add(new Scheduled(task, clock.instant().plus(delay), null));
    }

    /** Runs {@code task} every {@code period}, the first time one period from now. */
    public Timer every(Duration period, Runnable task) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return add(new Scheduled(task, clock.instant().plus(period), period));
    }

    private Timer add(Scheduled s) {
        synchronized (lock) {
            s.order = sequence++;
            timers.add(s);
            lock.notifyAll();
        }
        return s;
    }

    /**
     * Tests: moves a {@link ManualClock} forward by {@code d}, running on the loop every timer
     * that falls due on the way, each with the clock at its own due instant, in order. Returns
     * when they (and any tasks they queued) have run.
     */
    public void advance(Duration d) {
        if (!(clock instanceof ManualClock manual)) {
            throw new IllegalStateException("advance needs a ManualClock");
        }
        if (inLoop()) {
            throw new IllegalStateException("advance is for tests, not for the loop itself");
        }
        Instant end = clock.instant().plus(d);
        while (true) {
            Scheduled next;
            synchronized (lock) {
                next = timers.peek();
            }
            if (next == null || next.due.isAfter(end)) {
                break;
            }
            Instant due = next.due;
            run(() -> {
                manual.set(due);
                runDue();
            });
        }
        run(() -> manual.set(end));
        drain();
    }

    /**
     * Tests: waits until every task and every data-path event queued so far has run. The loop
     * takes tasks before events, so a task alone could finish ahead of an event posted before it;
     * the drain task therefore runs the events waiting when it starts.
     */
    public void drain() {
        run(() -> {
            int waiting;
            synchronized (lock) {
                waiting = events.size();
            }
            for (int i = 0; i < waiting; i++) {
                Runnable event;
                synchronized (lock) {
                    event = events.poll();
                }
                if (event == null) {
                    return;
                }
                safely("task", event);
            }
        });
    }

    private void run() {
        while (true) {
            Runnable task;
            synchronized (lock) {
                while (true) {
                    if (closed) {
                        return;
                    }
                    if (!tasks.isEmpty()) {
                        task = tasks.poll();
                        break;
                    }
                    if (!events.isEmpty()) {
                        task = events.poll();
                        break;
                    }
                    long wait = waitMillis();
                    if (wait == 0) {
                        task = this::runDue;
                        break;
                    }
                    try {
                        lock.wait(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            safely("task", task);
        }
    }

    /** How long the loop may sleep: 0 when a timer is due, else until the next one (forever with a manual clock). */
    private long waitMillis() {
        Scheduled next = timers.peek();
        if (next == null) {
            return clock instanceof ManualClock ? 0x7fffffffL : 1000;
        }
        if (clock instanceof ManualClock) {
            return next.due.isAfter(clock.instant()) ? 0x7fffffffL : 0;
        }
        long ms = Duration.between(clock.instant(), next.due).toMillis();
        return ms <= 0 ? 0 : Math.min(ms, 1000);
    }

    /** Runs each timer whose instant has come; periodic ones are put back one period on. */
    private void runDue() {
        Instant now = clock.instant();
        while (true) {
            Scheduled s;
            synchronized (lock) {
                s = timers.peek();
                if (s == null || s.due.isAfter(now)) {
                    return;
                }
                timers.poll();
                if (s.cancelled) {
                    continue;
                }
                if (s.period != null) {
                    Instant again = s.due.plus(s.period);
                    // a loop that fell far behind (a suspended VM) does not run a burst to catch up
                    s.due = again.isAfter(now) ? again : now.plus(s.period);
                    s.order = sequence++;
                    timers.add(s);
                }
            }
            safely("timer", s.task);
        }
    }

    private void safely(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            failures.accept(what, e);
        }
    }

    /** Stops the loop; queued tasks are dropped. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            tasks.clear();
            events.clear();
            timers.clear();
            lock.notifyAll();
        }
        if (!inLoop()) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Scheduled implements Timer, Comparable<Scheduled> {
        final Runnable task;
        final Duration period;
        volatile Instant due;
        volatile boolean cancelled;
        long order;

        Scheduled(Runnable task, Instant due, Duration period) {
            this.task = task;
            this.due = due;
            this.period = period;
        }

        /**
         * Marks the timer; it leaves the queue when its time comes and is skipped then. Removing
         * it now would search the whole queue, and IKE cancels a retransmission timer per message.
         */
        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Scheduled o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
