package io.argate.shell.telnet;

import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes from the network to the session's terminal. The event loop offers without ever
 * blocking; beyond {@link #CAPACITY} unread bytes input is dropped and counted (a client pasting
 * megabytes cannot stall the router). Closing makes the reader see end of input.
 */
final class InputQueue extends InputStream {
    static final int CAPACITY = 16 * 1024;

    private final byte[] ring = new byte[CAPACITY];
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private int head;
    private int size;
    private boolean closed;
    private long dropped;

    /** Queues one byte; false when the queue was full and the byte was dropped. */
    boolean offer(int b) {
        lock.lock();
        try {
            if (closed) {
                return true;
            }
            if (size == CAPACITY) {
                dropped++;
                return false;
            }
            ring[(head + size) % CAPACITY] = (byte) b;
            size++;
            readable.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() {
        lock.lock();
        try {
            while (size == 0 && !closed) {
                readable.await(1, TimeUnit.SECONDS);
            }
            if (size == 0) {
                return -1;
            }
            int b = ring[head] & 0xff;
            head = (head + 1) % CAPACITY;
            size--;
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int first = read();
        if (first < 0) {
            return -1;
        }
        b[off] = (byte) first;
        int n = 1;
        lock.lock();
        try {
            while (n < len && size > 0) {
                b[off + n++] = ring[head];
                head = (head + 1) % CAPACITY;
                size--;
            }
        } finally {
            lock.unlock();
        }
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
