package io.inventiv.worker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Hermes reader gives the same text and calls whether the answer comes whole or a character at a time. */
class HermesToolCallsTest {
    private static final String ANSWER = "Let me check <tool. <tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 1}}\n"
            + "</tool_call>\n<tool_call>{\"name\": \"nope\", \"arguments\": {}}</tool_call> done <tool_call>{\"name\"";

    @Test
    void piecesAndWholeAgree() {
        List<HermesToolCalls.Part> whole = HermesToolCalls.parseWhole(ANSWER, Set.of("add"));
        HermesToolCalls reader = new HermesToolCalls(Set.of("add"));
        List<HermesToolCalls.Part> pieces = new ArrayList<>();
        ANSWER.codePoints().forEach(c -> pieces.addAll(reader.accept(Character.toString(c))));
        pieces.addAll(reader.finish());
        assertEquals(text(whole), text(pieces));
        assertEquals("Let me check <tool. \n<tool_call>{\"name\": \"nope\", \"arguments\": {}}</tool_call> done "
                + "<tool_call>{\"name\"", text(pieces), "unknown functions and unclosed blocks stay text");
        HermesToolCalls.Call call = assertInstanceOf(HermesToolCalls.Call.class,
                pieces.stream().filter(p -> p instanceof HermesToolCalls.Call).findFirst().orElseThrow());
        assertEquals("add", call.name());
        assertEquals("{\"a\":1}", call.arguments());
        assertEquals(0, call.index());
        assertEquals(1, reader.calls());
    }

    private static String text(List<HermesToolCalls.Part> parts) {
        StringBuilder out = new StringBuilder();
        parts.stream().filter(p -> p instanceof HermesToolCalls.Text).forEach(p -> out.append(((HermesToolCalls.Text) p).text()));
        return out.toString();
    }
}
