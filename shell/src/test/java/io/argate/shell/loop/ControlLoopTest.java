package io.argate.shell.loop;

import io.argate.shell.testing.StepClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlLoopTest {
    private final StepClock clock = new StepClock();
    private final ControlLoop loop = new ControlLoop(clock, "test-loop");

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void timersRunOnlyWhenTheClockIsSteppedEachAtItsOwnInstant() {
        Instant start = clock.instant();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        loop.every(Duration.ofSeconds(10), () -> ran.add("every@" + Duration.between(start, clock.instant()).toSeconds()));
        loop.schedule(Duration.ofSeconds(15), () -> ran.add("once@" + Duration.between(start, clock.instant()).toSeconds()));
        loop.drain();
        assertEquals(List.of(), ran);
        loop.advance(Duration.ofSeconds(9));
        assertEquals(List.of(), ran);
        loop.advance(Duration.ofSeconds(21));
        assertEquals(List.of("every@10", "once@15", "every@20", "every@30"), ran);
        assertEquals(start.plusSeconds(30), clock.instant());
    }

    @Test
    void everythingRunsOnTheOneLoopThread() {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        loop.every(Duration.ofSeconds(1), () -> threads.add(Thread.currentThread().getName()));
        loop.run(() -> threads.add(Thread.currentThread().getName()));
        loop.post(() -> threads.add(Thread.currentThread().getName()));
        loop.advance(Duration.ofSeconds(2));
        assertEquals(4, threads.size());
        assertTrue(threads.stream().allMatch("test-loop"::equals), threads.toString());
    }

    /**
     * drain() waits for events posted before it too, though the loop takes tasks first: the loop
     * is held busy while an event and then the drain's own task queue up behind it.
     */
    @Test
    void drainWaitsForEventsPostedBeforeIt() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            busy.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        assertTrue(loop.post(() -> ran.add("event")));
        Thread drainer = new Thread(loop::drain);
        drainer.start();
        // the drain's task is queued while the loop is still busy (it polls the queue, so wait until it is there)
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (drainer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        // and a task behind the drain's keeps the loop from reaching the event on its own afterwards
        CountDownLatch after = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                after.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            release.countDown();
            drainer.join(10_000);
            assertEquals(List.of("event"), ran, "drain returned before the event posted ahead of it ran");
        } finally {
            after.countDown();
        }
    }

    @Test
    void aCancelledTimerDoesNotRunAgain() {
        int[] n = new int[1];
        ControlLoop.Timer t = loop.every(Duration.ofSeconds(1), () -> n[0]++);
        loop.advance(Duration.ofSeconds(3));
        t.cancel();
        loop.advance(Duration.ofSeconds(3));
        assertEquals(3, loop.call(() -> n[0]));
    }

    @Test
    void aFailingTaskIsReportedAndTheLoopCarriesOn() {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        loop.onFailure((what, e) -> failures.add(what + ": " + e.getMessage()));
        loop.execute(() -> {
            throw new IllegalStateException("boom");
        });
        assertEquals(42, loop.call(() -> 42));
        assertEquals(List.of("task: boom"), failures);
        assertThrows(IllegalArgumentException.class, () -> loop.run(() -> {
            throw new IllegalArgumentException("to the caller");
        }));
    }

    @Test
    void theDataPathNeverBlocksOnAFullBacklog() throws InterruptedException {
        CountDownLatch hold = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int accepted = 0;
        for (int i = 0; i < ControlLoop.EVENT_BACKLOG + 100; i++) {
            if (loop.post(() -> { })) {
                accepted++;
            }
        }
        hold.countDown();
        assertEquals(ControlLoop.EVENT_BACKLOG, accepted);
        assertEquals(100, loop.eventsDropped());
        loop.drain();
    }

    @Test
    void aCallOnAStoppedLoopFailsInsteadOfHanging() {
        loop.close();
        assertThrows(IllegalStateException.class, () -> loop.call(() -> 1));
        assertFalse(loop.post(() -> { }));
    }
}
