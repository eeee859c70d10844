package io.inventiv.worker.engine;

/** Why a generation ended, in OpenAI's words (abort is vLLM's, for cancelled requests). */
public enum FinishReason {
    STOP("stop"),
    LENGTH("length"),
    ABORT("abort");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
