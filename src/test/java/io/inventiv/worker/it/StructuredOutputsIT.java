package io.inventiv.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.openai.core.JsonValue;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.inventiv.worker.TestModels;
import io.inventiv.worker.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Structured outputs on the random-weights fixture: whatever the model wants to say, every answer
 * parses and validates against its schema (checked by an independent validator), every choice is
 * one of the choices, and what a grammar cannot enforce is a 400.
 */
@ServerTest
class StructuredOutputsIT {
    static final ServerConfig CONFIG = TestModels.config(TestModels.tinyQwen(), 2, 8, 2048, false);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean NATIVE = TestModels.ENGINE.equals("native");
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final RawHttp http;
    private final URI uri;

    StructuredOutputsIT(URI uri) {
        this.http = new RawHttp(uri);
        this.uri = uri;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestModels.routing(routing, CONFIG);
    }

    @Test
    void fiftyRandomSchemasEachAnswerValidates() throws Exception {
        assumeTrue(NATIVE, "structured outputs need the native engine");
        for (long seed = 1; seed <= 50; seed++) {
            ObjectNode schema = RandomSchemas.of(seed);
            ObjectNode body = chat("Describe a thing.", seed);
            body.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                    .put("name", "thing").put("strict", true).set("schema", schema);
            JsonNode choice = answer(http.post("/v1/chat/completions", body.toString()));
            assertEquals("stop", choice.get("finish_reason").asText(), "seed " + seed + ": " + choice);
            assertValid(schema, choice.path("message").path("content").asText(), "seed " + seed);
        }
    }

    @Test
    void streamedAnswerReassemblesIntoValidJson() throws Exception {
        assumeTrue(NATIVE, "structured outputs need the native engine");
        ObjectNode schema = RandomSchemas.of(77);
        ObjectNode body = chat("Describe a thing.", 77).put("stream", true);
        body.putObject("response_format").put("type", "json_schema").putObject("json_schema").put("name", "t")
                .set("schema", schema);
        HttpResponse<String> response = http.post("/v1/chat/completions", body.toString());
        assertEquals(200, response.statusCode(), response.body());
        StringBuilder text = new StringBuilder();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode chunk = JSON.readTree(line.substring(6));
                for (JsonNode choice : chunk.path("choices")) {
                    text.append(choice.path("delta").path("content").asText(""));
                }
            }
        }
        assertValid(schema, text.toString(), "streamed");
    }

    @Test
    void theOpenAiClientsJsonSchemaFormatIsEnforced() throws Exception {
        assumeTrue(NATIVE, "structured outputs need the native engine");
        ObjectNode schema = RandomSchemas.of(5);
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder fields = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        schema.fields().forEachRemaining(e -> fields.putAdditionalProperty(e.getKey(),
                JsonValue.from(JSON.convertValue(e.getValue(), Object.class))));
        ChatCompletion completion = OpenAiClients.forServer(uri).chat().completions().create(
                ChatCompletionCreateParams.builder().model(TestModels.MODEL_NAME).addUserMessage("A thing.")
                        .maxCompletionTokens(1500).seed(5L)
                        .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema
                                .builder().name("thing").strict(true).schema(fields.build()).build()).build())
                        .build());
        assertValid(schema, completion.choices().get(0).message().content().orElseThrow(), "OpenAI client");
    }

    @Test
    void ignoreEosWithAGrammarIsRefused() {
        ObjectNode refused = chat("x", 1).put("ignore_eos", true).put("guided_regex", "[a-z]+");
        JsonNode error = ErrorEnvelope.assertError(http.post("/v1/chat/completions", refused.toString()), 400);
        assertEquals("ignore_eos", error.get("param").asText(), error.toString());
    }

    @Test
    void jsonObjectGivesAnObject() throws Exception {
        assumeTrue(NATIVE, "structured outputs need the native engine");
        ObjectNode body = chat("Any JSON.", 3);
        body.putObject("response_format").put("type", "json_object");
        JsonNode choice = answer(http.post("/v1/chat/completions", body.toString()));
        assertTrue(JSON.readTree(choice.path("message").path("content").asText()).isObject(), choice.toString());
    }

    @Test
    void choiceAndRegexHoldOnBothEndpointsAndSpellings() throws Exception {
        assumeTrue(NATIVE, "structured outputs need the native engine");
        for (String field : List.of("structured_outputs", "guided")) {
            for (long seed = 1; seed <= 5; seed++) {
                ObjectNode body = chat("Pick one.", seed);
                if (field.equals("guided")) {
                    body.putArray("guided_choice").add("yes").add("no").add("maybe not");
                } else {
                    body.putObject("structured_outputs").putArray("choice").add("yes").add("no").add("maybe not");
                }
                String text = answer(http.post("/v1/chat/completions", body.toString())).path("message")
                        .path("content").asText();
                assertTrue(List.of("yes", "no", "maybe not").contains(text), text);

                ObjectNode completion = JSON.createObjectNode().put("prompt", "Code:").put("max_tokens", 200)
                        .put("seed", seed);
                if (field.equals("guided")) {
                    completion.put("guided_regex", "^[A-Z]{2}-\\d{3}( [a-z]+)?$");
                } else {
                    completion.putObject("structured_outputs").put("regex", "[A-Z]{2}-\\d{3}( [a-z]+)?");
                }
                String code = answer(http.post("/v1/completions", completion.toString())).path("text").asText();
                assertTrue(code.matches("[A-Z]{2}-\\d{3}( [a-z]+)?"), code);
            }
        }
    }

    @Test
    void clientGrammarIsAppliedOnTheNativeEngineAndEveryKindRefusedOnTheBinding() throws Exception {
        ObjectNode body = chat("Count.", 5);
        body.putObject("structured_outputs").put("grammar", "root ::= \"n=\" [1-9] [0-9]?\n");
        HttpResponse<String> response = http.post("/v1/chat/completions", body.toString());
        if (NATIVE) {
            String text = answer(response).path("message").path("content").asText();
            assertTrue(text.matches("n=[1-9][0-9]?"), text);
        } else {
            for (String kind : List.of("{\"response_format\":{\"type\":\"json_object\"}}",
                    "{\"guided_choice\":[\"a\"]}", "{\"structured_outputs\":{\"grammar\":\"root ::= \\\"a\\\"\"}}")) {
                ObjectNode refused = chat("x", 1);
                refused.setAll((ObjectNode) JSON.readTree(kind));
                JsonNode error = ErrorEnvelope.assertError(http.post("/v1/chat/completions", refused.toString()), 400);
                assertTrue(error.get("message").asText().contains("ENGINE=native"), error.toString());
            }
        }
        ObjectNode invalid = chat("Count.", 5);
        invalid.put("guided_grammar", "root ::= (\"unclosed\"");
        JsonNode error = ErrorEnvelope.assertError(http.post("/v1/chat/completions", invalid.toString()), 400);
        assertEquals("guided_grammar", error.get("param").asText(), error.toString());
    }

    @Test
    void whatAGrammarCannotEnforceIsA400NamingIt() throws Exception {
        List<String[]> cases = List.of(
                new String[] {"{\"type\":\"number\",\"multipleOf\":3}", "multipleOf"},
                new String[] {"{\"type\":\"string\",\"format\":\"email\"}", "email"},
                new String[] {"{\"type\":\"array\",\"uniqueItems\":true}", "uniqueItems"},
                new String[] {"{\"type\":\"string\",\"pattern\":\"^(?=a)b$\"}", "lookaround"},
                new String[] {"{\"type\":\"object\",\"properties\":{\"x\":{\"not\":{}}}}", "/properties/x"},
                new String[] {"{\"$ref\":\"https://example.com/s.json\"}", "local references"},
                new String[] {"{\"type\":\"number\",\"minimum\":0.2,\"maximum\":0.8}", "no integer"});
        for (String[] c : cases) {
            ObjectNode body = chat("x", 1);
            body.putObject("response_format").put("type", "json_schema").putObject("json_schema").put("name", "s")
                    .set("schema", JSON.readTree(c[0]));
            JsonNode error = ErrorEnvelope.assertError(http.post("/v1/chat/completions", body.toString()), 400);
            assertTrue(error.get("message").asText().contains(c[1]), c[1] + " in " + error);
            assertEquals("response_format.json_schema.schema", error.get("param").asText(), error.toString());
        }
        ObjectNode both = chat("x", 1);
        both.putObject("response_format").put("type", "json_object");
        both.put("guided_regex", "a+");
        JsonNode error = ErrorEnvelope.assertError(http.post("/v1/chat/completions", both.toString()), 400);
        assertTrue(error.get("message").asText().contains("one kind"), error.toString());
    }

    private static ObjectNode chat(String prompt, long seed) {
        ObjectNode body = JSON.createObjectNode().put("model", TestModels.MODEL_NAME).put("max_tokens", 1500)
                .put("seed", seed);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return body;
    }

    private static JsonNode answer(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("choices").path(0);
    }

    private static void assertValid(JsonNode schema, String text, String what) {
        Schema validator = SCHEMAS.getSchema(schema.toString(), InputFormat.JSON);
        List<Error> errors = validator.validate(text, InputFormat.JSON,
                context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
        assertTrue(errors.isEmpty(), what + ": " + errors + " in " + text + " for " + schema);
    }
}
