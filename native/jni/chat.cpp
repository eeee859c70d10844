// Chat templates: the model's own Jinja template (tokenizer.chat_template) rendered by llama.cpp's
// common/ library, with OpenAI-shaped messages as input.
#include "jni_util.h"

#include "chat.h"
#include "llama.h"

using namespace worker;

extern "C" {

// The model's templates; overrideTemplate (may be null) replaces the GGUF's own.
JNIEXPORT jlong JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_templatesNew(JNIEnv * env, jclass, jlong model,
        jbyteArray override_template) {
    return guarded<jlong>(env, 0, [&]() -> jlong {
        auto * m = from_handle<llama_model>(model, "model");
        std::string source = override_template == nullptr ? "" : bytes_to_string(env, override_template);
        common_chat_templates_ptr templates = common_chat_templates_init(m, source);
        if (!templates) {
            throw std::runtime_error("llama.cpp could not parse the chat template");
        }
        return reinterpret_cast<jlong>(templates.release());
    });
}

JNIEXPORT void JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_templatesFree(JNIEnv * env, jclass, jlong handle) {
    guarded_void(env, [&] { common_chat_templates_free(from_handle<common_chat_templates>(handle, "templates")); });
}

// Renders OpenAI-shaped messages (a JSON array) into the prompt text, with the assistant's
// generation prompt when asked, and OpenAI-shaped tools (a JSON array, or null) as the template
// presents them. A template that rejects the messages is the caller's error.
JNIEXPORT jbyteArray JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_applyTemplate(JNIEnv * env, jclass,
        jlong handle, jbyteArray messages_json, jbyteArray tools_json, jboolean add_generation_prompt) {
    return guarded<jbyteArray>(env, nullptr, [&] {
        auto * templates = from_handle<common_chat_templates>(handle, "templates");
        std::string text = bytes_to_string(env, messages_json);
        require_utf8(text, "messages");
        common_chat_templates_inputs inputs;
        try {
            inputs.messages = common_chat_msgs_parse_oaicompat(common_json::parse(text));
        } catch (const std::exception & e) {
            throw invalid_input(std::string("messages: ") + e.what());
        }
        if (tools_json != nullptr) {
            std::string tools = bytes_to_string(env, tools_json);
            require_utf8(tools, "tools");
            try {
                inputs.tools = common_chat_tools_parse_oaicompat(common_json::parse(tools));
            } catch (const std::exception & e) {
                throw invalid_input(std::string("tools: ") + e.what());
            }
            inputs.parallel_tool_calls = true;
        }
        inputs.add_generation_prompt = add_generation_prompt;
        inputs.use_jinja = true;
        common_chat_params rendered;
        try {
            rendered = common_chat_templates_apply(templates, inputs);
        } catch (const std::exception & e) {
            throw invalid_input(std::string("the model's chat template refused the messages: ") + e.what());
        }
        return new_byte_array(env, rendered.prompt.data(), rendered.prompt.size());
    });
}

}  // extern "C"
