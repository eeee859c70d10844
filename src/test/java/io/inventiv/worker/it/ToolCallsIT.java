package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tool calls: forced calls parse and satisfy their schemas, streamed deltas rebuild the call, history renders. */
@ServerTest
class ToolCallsIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 2, 8, 2048, false);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean NATIVE = TestModels.ENGINE.equals("native");
    private static final String WEATHER = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
            + "\"maxLength\":12},\"unit\":{\"enum\":[\"C\",\"F\"]}},\"required\":[\"city\",\"unit\"],"
            + "\"additionalProperties\":false}";
    private static final String ADD = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\",\"minimum\":0,"
            + "\"maximum\":99},\"b\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":99}},\"required\":[\"a\",\"b\"]}";

    private final RawHttp http;
    private final URI uri;

    ToolCallsIT(URI uri) {
        this.http = new RawHttp(uri);
        this.uri = uri;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void requiredGivesCallsWhoseArgumentsSatisfyTheirSchemas() throws Exception {
        assumeTrue(NATIVE, "tools need the native engine");
        for (long seed = 1; seed <= 10; seed++) {
            ObjectNode body = chat(seed);
            body.put("tool_choice", "required");
            JsonNode choice = answer(body);
            assertEquals("tool_calls", choice.get("finish_reason").asText(), choice.toString());
            JsonNode calls = choice.path("message").path("tool_calls");
            assertTrue(calls.size() >= 1, choice.toString());
            for (JsonNode call : calls) {
                assertEquals("function", call.get("type").asText());
                assertTrue(call.get("id").asText().startsWith("chatcmpl-tool-"), call.toString());
                String name = call.path("function").path("name").asText();
                String schema = name.equals("get_weather") ? WEATHER : name.equals("add") ? ADD : null;
                assertTrue(schema != null, "a known function: " + call);
                var errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(schema, InputFormat.JSON)
                        .validate(call.path("function").path("arguments").asText(), InputFormat.JSON);
                assertTrue(errors.isEmpty(), errors + " in " + call);
            }
        }
    }

    @Test
    void requiredAndNamedCallsStreamedRebuildExactlyTheWholeCall() throws Exception {
        assumeTrue(NATIVE, "tools need the native engine");
        ObjectNode required = chat(3).put("temperature", 0).put("parallel_tool_calls", false);
        required.put("tool_choice", "required");
        ObjectNode named = chat(3).put("temperature", 0);
        named.putObject("tool_choice").put("type", "function").putObject("function").put("name", "add");
        for (ObjectNode body : List.of(required, named)) {
            assertStreamRebuildsWhole(body);
        }
    }

    private void assertStreamRebuildsWhole(ObjectNode body) throws Exception {
        JsonNode whole = answer(body).path("message").path("tool_calls").get(0).get("function");
        String stream = http.post("/v1/chat/completions", body.put("stream", true).toString()).body();
        List<JsonNode> deltas = new ArrayList<>();
        String finish = null;
        for (String line : stream.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode choice = JSON.readTree(line.substring(6)).path("choices").path(0);
                choice.path("delta").path("tool_calls").forEach(deltas::add);
                finish = choice.path("finish_reason").isTextual() ? choice.get("finish_reason").asText() : finish;
            }
        }
        assertEquals("tool_calls", finish, stream);
        assertTrue(deltas.get(0).get("id").asText().startsWith("chatcmpl-tool-"), deltas.toString());
        StringBuilder arguments = new StringBuilder();
        deltas.forEach(d -> arguments.append(d.path("function").path("arguments").asText("")));
        assertEquals(whole.get("name").asText(), deltas.get(0).path("function").path("name").asText());
        assertEquals(whole.get("arguments").asText(), arguments.toString());
    }

    @Test
    void aConversationWithToolResultsRendersThroughTheTemplate() throws Exception {
        assumeTrue(NATIVE, "tools need the native engine");
        ObjectNode body = chat(1);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "user").put("content", "Weather in Oslo?");
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        assistant.putNull("content");
        assistant.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function").putObject("function")
                .put("name", "get_weather").put("arguments", "{\"city\":\"Oslo\",\"unit\":\"C\"}");
        messages.addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "minus 3 degrees");
        JsonNode tokens = JSON.readTree(http.post("/tokenize", body.toString()).body()).get("tokens");
        String prompt = JSON.readTree(http.post("/detokenize", "{\"tokens\":" + tokens + "}").body()).get("prompt")
                .asText();
        assertTrue(prompt.contains("minus 3 degrees") && prompt.contains("get_weather") && prompt.contains("Oslo"), prompt);
        assertTrue(prompt.contains("Weather for a city"), "the tools' descriptions are in the prompt: " + prompt);
        assertEquals(200, http.post("/v1/chat/completions", body.put("max_tokens", 4).toString()).statusCode());
    }

    @Test
    void theOpenAiClientSendsToolsAndReadsTheCall() throws Exception {
        assumeTrue(NATIVE, "tools need the native engine");
        java.util.Map<String, JsonValue> parameters = new java.util.HashMap<>();
        JSON.readTree(ADD).fields().forEachRemaining(e -> parameters.put(e.getKey(),
                JsonValue.from(JSON.convertValue(e.getValue(), Object.class))));
        ChatCompletion completion = OpenAiClients.forServer(uri).chat().completions().create(
                ChatCompletionCreateParams.builder().model(TestModels.MODEL_NAME).addUserMessage("Add 2 and 3.")
                        .maxCompletionTokens(200).seed(4L)
                        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("add")
                                .parameters(FunctionParameters.builder().additionalProperties(parameters).build())
                                .build()).build())
                        .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());
        var choice = completion.choices().get(0);
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
        var call = choice.message().toolCalls().orElseThrow().get(0).asFunction().function();
        assertEquals("add", call.name());
        assertTrue(JSON.readTree(call.arguments()).has("a"), call.arguments());
    }

    @Test
    void badToolRequestsAre400sAndTheBindingSaysWhy() throws Exception {
        ErrorEnvelope.assertError(http.post("/v1/chat/completions", chat(1).put("tool_choice", "sometimes").toString()), 400);
        ObjectNode unknown = chat(1);
        unknown.putObject("tool_choice").put("type", "function").putObject("function").put("name", "nope");
        ErrorEnvelope.assertError(http.post("/v1/chat/completions", unknown.toString()), 400);
        ObjectNode noTools = chat(1);
        noTools.remove("tools");
        ErrorEnvelope.assertError(http.post("/v1/chat/completions", noTools.put("tool_choice", "auto").toString()), 400);
        if (!NATIVE) {
            JsonNode error = ErrorEnvelope.assertError(http.post("/v1/chat/completions", chat(1).toString()), 400);
            assertTrue(error.get("message").asText().contains("ENGINE=native"), error.toString());
        }
    }

    private static ObjectNode chat(long seed) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("model", TestModels.MODEL_NAME).put("max_tokens", 400)
                .put("seed", seed);
        body.putArray("messages").addObject().put("role", "user").put("content", "Use a tool.");
        ArrayNode tools = body.putArray("tools");
        tools.addObject().put("type", "function").putObject("function").put("name", "get_weather")
                .put("description", "Weather for a city").set("parameters", JSON.readTree(WEATHER));
        tools.addObject().put("type", "function").putObject("function").put("name", "add")
                .set("parameters", JSON.readTree(ADD));
        return body;
    }

    private JsonNode answer(ObjectNode body) throws Exception {
        var response = http.post("/v1/chat/completions", body.toString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("choices").path(0);
    }
}
