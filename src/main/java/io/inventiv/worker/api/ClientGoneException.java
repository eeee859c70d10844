package io.inventiv.worker.api;

/** The client closed the connection, or was disconnected; its generation has been cancelled. */
final class ClientGoneException extends Exception {
    ClientGoneException(Throwable cause) {
        super(cause);
    }
}
