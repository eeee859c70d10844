package io.inventiv.worker.download;

/** A download failed; the message is written for the person at the terminal, as it is. */
public final class DownloadException extends Exception {
    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
