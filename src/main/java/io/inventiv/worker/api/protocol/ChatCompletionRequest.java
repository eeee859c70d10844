package io.inventiv.worker.api.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventiv.worker.api.ApiException;
import io.inventiv.worker.engine.ChatMessage;
import io.inventiv.worker.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/** A checked /v1/chat/completions request. */
public record ChatCompletionRequest(List<ChatMessage> messages, CommonRequestFields common) {
    /** Upper bound on messages, so one request cannot make the template engine work forever. */
    public static final int MAX_MESSAGES = 2048;

    public static ChatCompletionRequest from(JsonNode body) {
        RequestFields fields = new RequestFields(body);
        refuseTools(fields);
        List<ChatMessage> messages = messages(fields.raw("messages"));
        return new ChatCompletionRequest(messages, CommonRequestFields.read(fields, true));
    }

    /**
     * Tool calling is not served yet: a request that offers tools is refused rather than answered
     * as if the model had seen them. {@code tool_choice: "none"} asks for no call, so it is served.
     */
    private static void refuseTools(RequestFields fields) {
        JsonNode tools = fields.raw("tools");
        JsonNode choice = fields.raw("tool_choice");
        boolean none = choice != null && choice.isTextual() && choice.textValue().equals("none");
        if (tools != null && !(tools.isArray() && tools.isEmpty()) && !none) {
            throw ApiException.badRequest("tools are not supported by this server yet; send tool_choice \"none\" "
                    + "to be answered without them.", "tools");
        }
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null) {
            throw ApiException.badRequest("'messages' is required.", "messages");
        }
        if (!node.isArray()) {
            throw RequestFields.wrongType("messages", "a list of messages");
        }
        if (node.isEmpty()) {
            throw ApiException.badRequest("'messages' must contain at least one message.", "messages");
        }
        if (node.size() > MAX_MESSAGES) {
            throw ApiException.badRequest("'messages' may hold at most " + MAX_MESSAGES + " messages, got "
                    + node.size() + ".", "messages");
        }
        List<ChatMessage> messages = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            messages.add(message(node.get(i), "messages[" + i + "]"));
        }
        return messages;
    }

    private static ChatMessage message(JsonNode node, String where) {
        if (!node.isObject()) {
            throw RequestFields.wrongType(where, "an object with 'role' and 'content'");
        }
        JsonNode role = node.get("role");
        if (role == null || !role.isTextual()) {
            throw ApiException.badRequest(where + ".role must be a string.", where + ".role");
        }
        if (!Engine.CHAT_ROLES.contains(role.textValue())) {
            throw ApiException.badRequest(where + ".role '" + role.textValue()
                    + "' is not one of system, user, assistant, tool.", where + ".role");
        }
        return new ChatMessage(role.textValue(), content(node.get("content"), role.textValue(), where + ".content"));
    }

    /** Content is a string or a list of text parts; vLLM joins text parts with newlines. */
    private static String content(JsonNode node, String role, String where) {
        if (node == null || node.isNull()) {
            if (role.equals("assistant")) {
                return ""; // an assistant turn that only called tools has no text
            }
            throw ApiException.badRequest(where + " is required.", where);
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (!node.isArray()) {
            throw RequestFields.wrongType(where, "a string or a list of text parts");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode part = node.get(i);
            String partWhere = where + "[" + i + "]";
            if (!part.isObject() || !part.path("type").isTextual()) {
                throw RequestFields.wrongType(partWhere, "an object with a 'type'");
            }
            String type = part.get("type").textValue();
            if (!type.equals("text")) {
                throw ApiException.badRequest(partWhere + " has type '" + type
                        + "'; this model only accepts text parts.", partWhere);
            }
            if (!part.path("text").isTextual()) {
                throw RequestFields.wrongType(partWhere + ".text", "a string");
            }
            texts.add(part.get("text").textValue());
        }
        return String.join("\n", texts);
    }
}
