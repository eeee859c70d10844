package io.inventiv.worker.tools.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SseStreamRecorderTest {
    private static final long MS = 1_000_000;

    static String text(String text) {
        return "data: {\"choices\":[{\"index\":0,\"text\":\"" + text + "\",\"finish_reason\":null}]}";
    }

    @Test
    void ttftIsTheFirstNonEmptyDeltaNotPingsOrEmptyChunks() {
        SseStreamRecorder recorder = new SseStreamRecorder(0);
        recorder.onLine(": ping", 5 * MS);
        recorder.onLine("", 5 * MS);
        recorder.onLine(text(""), 10 * MS);
        recorder.onLine("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}", 20 * MS);
        recorder.onLine(text("Hel"), 100 * MS);
        recorder.onLine(text("lo"), 130 * MS);
        recorder.onLine(text("!"), 170 * MS);
        recorder.onLine("data: {\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"length\"}]}", 171 * MS);
        recorder.onLine("data: [DONE]", 172 * MS);
        StreamResult result = recorder.finish(173 * MS);
        assertTrue(result.ok());
        assertEquals(100.0, result.ttftMillis(), 1e-9);
        assertArrayEquals(new long[] {30 * MS, 40 * MS}, result.interTokenNanos());
        assertEquals(3, result.contentDeltas());
        assertEquals(3, result.completionTokens(), "no usage chunk: deltas are counted");
        assertEquals(-1, result.promptTokens());
    }

    @Test
    void usageChunkCountsTokensAndDecodeRateExcludesTheFirstToken() {
        SseStreamRecorder recorder = new SseStreamRecorder(0);
        recorder.onLine(text("a"), 500 * MS);
        recorder.onLine(text("b"), 600 * MS);
        recorder.onLine(text("c"), 1500 * MS); // carried two tokens, e.g. a UTF-8 character split in two
        recorder.onLine("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":96,\"completion_tokens\":4,"
                + "\"total_tokens\":100}}", 1501 * MS);
        recorder.onLine("data: [DONE]", 1502 * MS);
        StreamResult result = recorder.finish(1503 * MS);
        assertEquals(4, result.completionTokens());
        assertEquals(96, result.promptTokens());
        assertEquals(3 / 1.0, result.decodeTokensPerSecond(), 1e-9, "3 tokens after the first in 1 s");
    }

    @Test
    void chatDeltasCountAsContent() {
        SseStreamRecorder recorder = new SseStreamRecorder(0);
        recorder.onLine("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}", MS);
        recorder.onLine("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}", 7 * MS);
        recorder.onLine("data: [DONE]", 8 * MS);
        StreamResult result = recorder.finish(8 * MS);
        assertEquals(7.0, result.ttftMillis(), 1e-9);
        assertEquals(1, result.completionTokens());
        assertTrue(Double.isNaN(result.decodeTokensPerSecond()), "one token gives no decode rate");
    }

    @Test
    void streamThatStopsMidwayIsTruncated() {
        SseStreamRecorder recorder = new SseStreamRecorder(0);
        recorder.onLine(text("a"), MS);
        StreamResult result = recorder.finish(2 * MS);
        assertEquals("truncated", result.errorKind());
    }

    @Test
    void errorFrameFailsTheRequest() {
        SseStreamRecorder recorder = new SseStreamRecorder(0);
        recorder.onLine(text("a"), MS);
        recorder.onLine("data: {\"error\":{\"message\":\"boom\",\"type\":\"InternalServerError\",\"code\":500}}", 2 * MS);
        recorder.onLine("data: [DONE]", 3 * MS);
        StreamResult result = recorder.finish(3 * MS);
        assertEquals("error-frame", result.errorKind());
        assertTrue(result.error().contains("boom"));
    }

    @Test
    void finishReasonWithoutDoneStillCompletes() {
        // llama-server's native endpoints end without [DONE]
        SseStreamRecorder recorder = new SseStreamRecorder(0);
        recorder.onLine(text("a"), MS);
        recorder.onLine("data: {\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"length\"}]}", 2 * MS);
        assertNull(recorder.finish(3 * MS).errorKind());
    }

    @Test
    void dataWithoutSpaceAfterColonIsParsed() {
        SseStreamRecorder recorder = new SseStreamRecorder(0);
        recorder.onLine("data:{\"choices\":[{\"text\":\"x\"}]}", 4 * MS);
        recorder.onLine("data:[DONE]", 5 * MS);
        StreamResult result = recorder.finish(5 * MS);
        assertTrue(result.ok());
        assertEquals(4.0, result.ttftMillis(), 1e-9);
    }

    @Test
    void manyDeltasGrowTheGapBuffer() {
        SseStreamRecorder recorder = new SseStreamRecorder(0);
        for (int i = 1; i <= 1000; i++) {
            recorder.onLine(text("t"), i * MS);
        }
        recorder.onLine("data: [DONE]", 1001 * MS);
        StreamResult result = recorder.finish(1001 * MS);
        assertEquals(999, result.interTokenNanos().length);
        assertEquals(MS, result.interTokenNanos()[998]);
    }
}
