package io.inventiv.worker.engine;

/**
 * A prompt as the model will evaluate it: the exact token ids, counted once. Usage, limits and
 * the native call all use these ids, so the numbers cannot disagree.
 */
public record PreparedPrompt(int[] tokens) {
    public int length() {
        return tokens.length;
    }
}
