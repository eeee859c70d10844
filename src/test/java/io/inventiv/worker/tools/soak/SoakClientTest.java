package io.inventiv.worker.tools.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A drop that comes after the answer is whole is no drop: the server counted it as finished. */
class SoakClientTest {
    private static final SoakClient.SoakPrompt PROMPT = new SoakClient.SoakPrompt("hello", 7);

    @Test
    void aWholeAnswerThatArrivedBeforeTheDropCountsAsFinished() {
        String received = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
                + "{\"id\":\"cmpl-1\",\"choices\":[{\"index\":0,\"text\":\"a b\",\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":993,\"total_tokens\":1000}}";
        SoakClient.Outcome outcome = SoakClient.finishedBeforeDrop(received, PROMPT);

        assertFalse(outcome.dropped());
        assertEquals("length", outcome.finishReason());
        assertEquals(7, outcome.promptTokens());
        assertEquals(993, outcome.completionTokens());
    }

    @Test
    void aStreamStillGoingIsDropped() {
        String received = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n: ping\n\n"
                + "data: {\"choices\":[{\"index\":0,\"text\":\"a\",\"finish_reason\":null}]}\n\n";
        assertNull(SoakClient.finishedBeforeDrop(received, PROMPT));
    }

    @Test
    void aStreamWhoseFinishChunkArrivedCountsAsFinished() {
        String received = "data: {\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
        SoakClient.Outcome outcome = SoakClient.finishedBeforeDrop(received, PROMPT);

        assertEquals("stop", outcome.finishReason());
        assertEquals(0, outcome.completionTokens(), "no usage chunk: the tokens are unknown");
    }
}
