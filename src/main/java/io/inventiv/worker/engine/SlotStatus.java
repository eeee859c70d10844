package io.inventiv.worker.engine;

/**
 * One slot as the status page shows it: free, evaluating a prompt, or generating.
 *
 * @param requestId        the request it serves, or null when free
 * @param completionTokens tokens generated so far
 */
public record SlotStatus(int index, State state, String requestId, int promptTokens, int completionTokens) {
    public enum State { FREE, PREFILL, DECODE }

    static SlotStatus of(int index, Generation generation) {
        if (generation == null) {
            return new SlotStatus(index, State.FREE, null, 0, 0);
        }
        int produced = generation.producedTokens();
        return new SlotStatus(index, produced == 0 ? State.PREFILL : State.DECODE, generation.requestId(),
                generation.promptTokens(), produced);
    }
}
