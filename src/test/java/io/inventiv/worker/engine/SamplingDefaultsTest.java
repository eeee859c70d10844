package io.inventiv.worker.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.inventiv.worker.engine.SamplingParams;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vLLM's defaults, ranges and wording for sampling values, before anything reaches llama.cpp. */
class SamplingDefaultsTest {
    private static SamplingRequest request(Integer maxTokens, Double temperature, Double topP, Integer topK,
            Double minP, Double presence, Double frequency, Double repetition, Long seed, List<String> stop) {
        return new SamplingRequest(maxTokens, temperature, topP, topK, minP, presence, frequency, repetition, seed,
                false, stop);
    }

    private static SamplingRequest empty() {
        return request(null, null, null, null, null, null, null, null, null, null);
    }

    private static EngineException refused(SamplingRequest request) {
        EngineException e = assertThrows(EngineException.class, () -> SamplingDefaults.validate(request));
        assertEquals(EngineException.Kind.INVALID_REQUEST, e.kind());
        return e;
    }

    @Test
    void nothingGivenResolvesToVllmDefaultsNotLlamaCpps() {
        SamplingDefaults.validate(empty());
        SamplingParams resolved = SamplingDefaults.resolve(empty(), 77);
        assertEquals(new SamplingParams(77, 1f, 1f, 0, 0f, 0f, 0f, 1f, false, null), resolved);
    }

    @Test
    void theEdgesOfEveryRangeAreAccepted() {
        for (SamplingRequest edge : List.of(
                request(1, 0.0, 1.0, -1, 0.0, -2.0, -2.0, 0.01, null, null),
                request(1, 5.0, 0.001, 1, 1.0, 2.0, 2.0, 10.0, null, null),
                request(null, null, null, 0, null, null, null, null, null, Collections.nCopies(64, "x")),
                request(null, null, null, null, null, null, null, null, null, List.of("y".repeat(1024))))) {
            assertDoesNotThrow(() -> SamplingDefaults.validate(edge), edge.toString());
        }
    }

    @Test
    void eachOutOfRangeValueIsRefusedNamingItsField() {
        assertEquals("max_tokens", refused(request(0, null, null, null, null, null, null, null, null, null)).param());
        assertEquals("temperature", refused(request(null, -0.1, null, null, null, null, null, null, null, null)).param());
        assertEquals("top_p", refused(request(null, null, 0.0, null, null, null, null, null, null, null)).param());
        assertEquals("top_p", refused(request(null, null, 1.5, null, null, null, null, null, null, null)).param());
        assertEquals("top_k", refused(request(null, null, null, -2, null, null, null, null, null, null)).param());
        assertEquals("min_p", refused(request(null, null, null, null, 1.01, null, null, null, null, null)).param());
        assertEquals("presence_penalty",
                refused(request(null, null, null, null, null, 2.5, null, null, null, null)).param());
        assertEquals("frequency_penalty",
                refused(request(null, null, null, null, null, null, -2.5, null, null, null)).param());
        assertEquals("repetition_penalty",
                refused(request(null, null, null, null, null, null, null, 0.0, null, null)).param());
    }

    @Test
    void refusalsUseVllmsWording() {
        assertEquals("top_p must be in (0, 1], got 1.5.",
                refused(request(null, null, 1.5, null, null, null, null, null, null, null)).getMessage());
        assertEquals("top_k must be 0 or -1 (disable), or at least 1, got -2.",
                refused(request(null, null, null, -2, null, null, null, null, null, null)).getMessage());
        assertEquals("max_tokens must be at least 1, got 0.",
                refused(request(0, null, null, null, null, null, null, null, null, null)).getMessage());
    }

    @Test
    void notANumberAndInfinityAreRefusedNotPassedOn() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertEquals("temperature",
                    refused(request(null, bad, null, null, null, null, null, null, null, null)).param());
            assertEquals("min_p", refused(request(null, null, null, null, bad, null, null, null, null, null)).param());
        }
    }

    @Test
    void stopListsAreBoundedInCountAndLength() {
        assertEquals("stop", refused(request(null, null, null, null, null, null, null, null, null,
                Collections.nCopies(65, "x"))).param());
        assertEquals("stop", refused(request(null, null, null, null, null, null, null, null, null,
                List.of(""))).param());
        assertEquals("stop", refused(request(null, null, null, null, null, null, null, null, null,
                List.of("z".repeat(1025)))).param());
    }

    @Test
    void topKBelowOneDisablesTheCut() {
        assertEquals(0, SamplingDefaults.resolve(request(null, null, null, -1, null, null, null, null, null, null), 8)
                .topK());
        assertEquals(0, SamplingDefaults.resolve(request(null, null, null, 0, null, null, null, null, null, null), 8)
                .topK());
        assertEquals(40, SamplingDefaults.resolve(request(null, null, null, 40, null, null, null, null, null, null), 8)
                .topK());
    }

    @Test
    void seedsKeepTheirLow32BitsSoEqualSeedsStayEqual() {
        assertEquals(5, SamplingDefaults.resolve(request(null, null, null, null, null, null, null, null,
                (1L << 32) + 5, null), 8).seed());
        assertEquals(Integer.MIN_VALUE, SamplingDefaults.resolve(request(null, null, null, null, null, null, null,
                null, 1L << 31, null), 8).seed());
        assertNull(SamplingDefaults.resolve(empty(), 8).seed());
    }

    @Test
    void givenValuesPassThroughUnchanged() {
        SamplingParams resolved = SamplingDefaults.resolve(
                request(9, 0.7, 0.9, 20, 0.05, 0.5, -0.5, 1.1, 42L, List.of("END")), 9);
        assertEquals(new SamplingParams(9, 0.7f, 0.9f, 20, 0.05f, 0.5f, -0.5f, 1.1f, false, 42), resolved);
    }
}
