package io.argate.isakmp.exchange;

import io.argate.shell.loop.ControlLoop;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;

/**
 * The retransmission state of one exchange (RFC 2408 section 5.1 leaves it to the
 * implementation; the policy's MSGTIMEOUT, MSGRETRYLIMIT and MSGBACKOFF set it): the last message
 * sent, its timer, the attempts so far, and a digest of the last message received so that a
 * retransmission of it is answered by resending, never processed twice.
 */
final class Retransmitter {
    private byte[] lastSent;
    private int[] lastTarget;
    private byte[] lastReceivedDigest;
    private ControlLoop.Timer timer;
    private int attempts;
    /** The last message sent answered the last message received (so a repeat of that one is answered by resending). */
    private boolean answered;
    private boolean pendingAnswer;

    void sent(byte[] message, int localPort, int peerPort) {
        lastSent = message;
        lastTarget = new int[]{localPort, peerPort};
        attempts = 0;
        answered = pendingAnswer;
        pendingAnswer = false;
        cancel();
    }

    byte[] lastSent() {
        return lastSent;
    }

    int[] lastTarget() {
        return lastTarget;
    }

    /** Arms the timer for the next retransmission: MSGTIMEOUT, times the attempt number with INCREMENTAL backoff. */
    void arm(ControlLoop loop, int timeoutSeconds, boolean incremental, Runnable onTimeout) {
        cancel();
        long s = incremental ? (long) timeoutSeconds * (attempts + 1) : timeoutSeconds;
        timer = loop.schedule(Duration.ofSeconds(s), onTimeout);
    }

    int attempt() {
        return ++attempts;
    }

    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    static byte[] digest(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code message} is the one received last (a retransmission by the peer). */
    boolean isDuplicate(byte[] message) {
        return lastReceivedDigest != null && Arrays.equals(lastReceivedDigest, digest(message));
    }

    void received(byte[] message) {
        lastReceivedDigest = digest(message);
        answered = false;
        pendingAnswer = true;
    }

    /**
     * True when our last message answered the one just repeated: only then is resending right.
     * Answering anything else (the initiator resending message 5 on a repeated message 6) would
     * start an endless exchange of repeats between the peers.
     */
    boolean answersDuplicate() {
        return answered && lastSent != null;
    }
}
