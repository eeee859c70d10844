package io.inventiv.worker.engine.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A forced tool call in the Hermes format Qwen2.5 is trained on: {@code <tool_call>}, a JSON
 * object with the function's name and arguments valid against its parameters schema,
 * {@code </tool_call>}; with parallel calls, up to {@link #MAX_PARALLEL} of them, one per line.
 */
public final class ToolCallGrammar {
    public static final int MAX_PARALLEL = 4;

    private ToolCallGrammar() {
    }

    public static String of(Map<String, JsonNode> functions, boolean parallel) {
        Gbnf gbnf = new Gbnf();
        List<String> alternatives = new ArrayList<>();
        for (Map.Entry<String, JsonNode> function : functions.entrySet()) {
            String arguments;
            try {
                arguments = JsonSchemaGrammar.expression(gbnf, function.getValue());
            } catch (GrammarException e) {
                throw new GrammarException("function '" + function.getKey() + "': " + e.getMessage());
            }
            alternatives.add(Gbnf.literal("{\"name\": \"" + function.getKey() + "\", \"arguments\": ") + " " + arguments
                    + " " + Gbnf.literal("}"));
        }
        String call = gbnf.rule(Gbnf.literal("<tool_call>\n") + " (" + String.join(" | ", alternatives) + ") "
                + Gbnf.literal("\n</tool_call>"));
        return gbnf.text(parallel ? call + " " + Gbnf.repeat(Gbnf.literal("\n") + " " + call, 0, MAX_PARALLEL - 1)
                : call);
    }
}
