package io.inventiv.worker.engine;

/**
 * A grammar every generated token must follow (structured outputs).
 *
 * @param gbnf          the grammar in llama.cpp's GBNF
 * @param param         the request field it came from, for error messages
 */
public record GrammarConstraint(String gbnf, String param) {
}
