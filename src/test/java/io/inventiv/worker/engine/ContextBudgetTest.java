package io.inventiv.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ContextBudgetTest {
    private final ContextBudget budget = new ContextBudget(100, 30);

    @Test
    void requestedBudgetIsKeptWhenItFits() {
        assertEquals(60, budget.completionBudget(40, 60));
    }

    @Test
    void promptPlusMaxTokensOverTheContextIsRefusedInVllmWords() {
        EngineException e = assertThrows(EngineException.class, () -> budget.completionBudget(40, 61));
        assertEquals("This model's maximum context length is 100 tokens. However, you requested 101 tokens "
                + "(40 in the messages, 61 in the completion). Please reduce the length of the messages or completion.",
                e.getMessage());
        assertEquals(EngineException.Kind.INVALID_REQUEST, e.kind());
    }

    @Test
    void withoutMaxTokensTheDefaultCapIsUsedButNeverMoreThanFits() {
        assertEquals(30, budget.completionBudget(10, null));
        assertEquals(5, budget.completionBudget(95, null));
    }

    @Test
    void aPromptThatFillsTheContextIsRefusedEvenWithoutMaxTokens() {
        EngineException e = assertThrows(EngineException.class, () -> budget.completionBudget(100, null));
        assertEquals("This model's maximum context length is 100 tokens. However, you requested 100 tokens in the "
                + "messages, Please reduce the length of the messages.", e.getMessage());
    }

    @Test
    void anEmptyPromptIsRefused() {
        assertThrows(EngineException.class, () -> budget.completionBudget(0, 5));
    }
}
