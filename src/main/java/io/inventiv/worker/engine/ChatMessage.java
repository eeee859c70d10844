package io.inventiv.worker.engine;

/** One validated chat message: a known role and its text. */
public record ChatMessage(String role, String content) {
}
