package io.inventiv.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringMatcherTest {
    private static String feed(StopStringMatcher matcher, String... pieces) {
        StringBuilder out = new StringBuilder();
        for (String piece : pieces) {
            out.append(matcher.accept(piece));
        }
        if (matcher.matchedStop() == null) {
            out.append(matcher.flush());
        }
        return out.toString();
    }

    @Test
    void stopSplitAcrossPiecesIsFoundAndExcluded() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("END"));
        assertEquals("hello ", feed(matcher, "hel", "lo E", "N", "D and more"));
        assertEquals("END", matcher.matchedStop());
    }

    @Test
    void heldBackPrefixIsReleasedWhenItIsNotAStop() {
        // "E" could start "END", so it is held back until the next piece decides
        assertEquals("hello ", new StopStringMatcher(List.of("END")).accept("hello E"));
        assertEquals("EN!", feed(new StopStringMatcher(List.of("END")), "EN", "!"));
    }

    @Test
    void earliestOfSeveralStopsWins() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("zz", "b"));
        assertEquals("a", feed(matcher, "abzz"));
        assertEquals("b", matcher.matchedStop());
    }

    @Test
    void withoutStopsTextPassesUnchanged() {
        StopStringMatcher matcher = new StopStringMatcher(List.of());
        assertEquals("anything END", feed(matcher, "anything ", "END"));
        assertNull(matcher.matchedStop());
    }

    @Test
    void nothingIsEmittedAfterTheStop() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("."));
        assertEquals("one", matcher.accept("one. two"));
        assertEquals("", matcher.accept(" three"));
    }
}
