package io.inventiv.worker.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Qwen2.5's tool calls, as vLLM's {@code hermes} parser reads them: {@code <tool_call>} JSON
 * {@code {"name", "arguments"}} {@code </tool_call>} blocks after optional text. Fed piece by
 * piece, it passes text through, holds back what may begin a block, and gives each call whole
 * when its block closes. A block that is not a call of a known function stays text.
 */
final class HermesToolCalls {
    static final String OPEN = "<tool_call>";
    static final String CLOSE = "</tool_call>";

    /** A piece of the answer: text, or one finished call. */
    sealed interface Part {
    }

    record Text(String text) implements Part {
    }

    record Call(int index, String id, String name, String arguments) implements Part {
    }

    private final Set<String> functions;
    private final StringBuilder pending = new StringBuilder();
    private boolean inBlock;
    /** How much of a block's pending text has been searched for {@link #CLOSE} without finding it. */
    private int searched;
    private int calls;

    HermesToolCalls(Set<String> functions) {
        this.functions = functions;
    }

    /** Parses a whole answer: its text (null when there is none besides calls) and its calls. */
    static List<Part> parseWhole(String text, Set<String> functions) {
        HermesToolCalls parser = new HermesToolCalls(functions);
        List<Part> parts = new ArrayList<>(parser.accept(text));
        parts.addAll(parser.finish());
        return parts;
    }

    int calls() {
        return calls;
    }

    List<Part> accept(String text) {
        pending.append(text);
        List<Part> parts = new ArrayList<>();
        while (true) {
            if (inBlock) {
                int close = pending.indexOf(CLOSE, Math.max(0, searched - CLOSE.length() + 1));
                if (close < 0) {
                    searched = pending.length();
                    return parts;
                }
                String block = pending.substring(0, close);
                pending.delete(0, close + CLOSE.length());
                inBlock = false;
                searched = 0;
                parts.add(call(block));
            } else {
                int open = pending.indexOf(OPEN);
                if (open >= 0) {
                    addText(parts, pending.substring(0, open));
                    pending.delete(0, open + OPEN.length());
                    inBlock = true;
                } else {
                    int keep = partialOpen();
                    addText(parts, pending.substring(0, pending.length() - keep));
                    pending.delete(0, pending.length() - keep);
                    return parts;
                }
            }
        }
    }

    /** The end of the answer: what was held back is text (an unclosed block too). */
    List<Part> finish() {
        List<Part> parts = new ArrayList<>();
        addText(parts, (inBlock ? OPEN : "") + pending);
        pending.setLength(0);
        inBlock = false;
        return parts;
    }

    private Part call(String block) {
        try {
            JsonNode call = Json.MAPPER.readTree(block.strip());
            String name = call.path("name").asText("");
            JsonNode arguments = call.get("arguments");
            if (call.isObject() && functions.contains(name) && arguments != null
                    && (arguments.isObject() || arguments.isTextual())) {
                String json = arguments.isTextual() ? arguments.textValue() : Json.MAPPER.writeValueAsString(arguments);
                return new Call(calls++, "chatcmpl-tool-" + AccessLogFilter.newId(), name, json);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // not a call: the block stays text
        }
        return new Text(OPEN + block + CLOSE);
    }

    /** How many trailing characters of the pending text could be the beginning of {@link #OPEN}. */
    private int partialOpen() {
        int end = pending.length();
        for (int length = Math.min(OPEN.length() - 1, end); length > 0; length--) {
            int i = 0;
            while (i < length && pending.charAt(end - length + i) == OPEN.charAt(i)) {
                i++;
            }
            if (i == length) {
                return length;
            }
        }
        return 0;
    }

    private static void addText(List<Part> parts, String text) {
        if (!text.isEmpty()) {
            parts.add(new Text(text));
        }
    }
}
