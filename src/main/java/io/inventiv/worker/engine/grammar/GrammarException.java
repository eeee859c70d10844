package io.inventiv.worker.engine.grammar;

/**
 * A constraint we cannot turn into a grammar exactly: an invalid schema or pattern, or a feature
 * that a grammar here would only approximate. The message names the place (a JSON pointer or
 * the pattern), so that the client can fix its request.
 */
public final class GrammarException extends RuntimeException {
    public GrammarException(String message) {
        super(message);
    }
}
