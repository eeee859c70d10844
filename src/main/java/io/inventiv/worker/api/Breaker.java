package io.inventiv.worker.api;

import io.inventiv.worker.engine.Generation;

/**
 * Breaks one response on purpose after some pieces of content, as its {@link InjectedFault} asks:
 * an error (an error frame in a stream, an error body otherwise), a dropped connection without
 * [DONE], or a stall with no bytes, after which the response goes on.
 */
final class Breaker {
    private final InjectedFault fault;
    private final Generation generation;
    private final Runnable closeConnection;
    private int pieces;
    private boolean done;

    Breaker(InjectedFault fault, Generation generation, Runnable closeConnection) {
        this.fault = fault;
        this.generation = generation;
        this.closeConnection = closeConnection;
    }

    /**
     * Counts a piece just written; true when the response must end here (an error, or a dropped
     * connection, already closed). A stall sleeps here and returns false.
     */
    boolean breaksAfterPiece() throws InterruptedException {
        if (done || ++pieces < fault.abortAfter()) {
            return false;
        }
        done = true;
        if (fault.mode().equals("stall")) {
            Thread.sleep(fault.seconds() * 1000L);
            return false;
        }
        generation.cancel();
        if (fault.mode().equals("drop")) {
            closeConnection.run();
        }
        return true;
    }

    /** Whether the response ends with an error the client can read (else the connection was dropped). */
    boolean errorFrame() {
        return fault.mode().equals("error");
    }

    String message() {
        return "Injected fault: the response broke after " + pieces + " pieces of content.";
    }
}
