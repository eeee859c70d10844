// The model: loading, vocabulary facts, tokenization. Everything here is read-only after loading,
// so these calls are safe from any thread (llama.cpp's vocabulary is immutable).
#include "jni_util.h"

#include "ggml-backend.h"
#include "llama.h"

#include <algorithm>
#include <mutex>

using namespace worker;

namespace {

const llama_vocab * vocab_of(jlong model) {
    return llama_model_get_vocab(from_handle<llama_model>(model, "model"));
}

void require_tokens(const llama_vocab * vocab, const std::vector<int32_t> & tokens) {
    const int32_t n_vocab = llama_vocab_n_tokens(vocab);
    for (size_t i = 0; i < tokens.size(); i++) {
        if (tokens[i] < 0 || tokens[i] >= n_vocab) {
            throw invalid_input("token id " + std::to_string(tokens[i]) + " at position " + std::to_string(i)
                    + " is out of range: the vocabulary has " + std::to_string(n_vocab) + " tokens (valid ids are 0.."
                    + std::to_string(n_vocab - 1) + ")");
        }
    }
}

constexpr jsize MAX_TEXT_TOKENS = 1 << 24;

// Tells a java.util.function.DoubleConsumer how much of the model is read (0 to 1). llama.cpp calls
// it on the loading thread, the one that called modelLoad, so its JNIEnv is valid here.
struct LoadProgress {
    JNIEnv * env;
    jobject consumer;
    jmethodID accept;

    static bool report(float progress, void * user_data) {
        auto * self = static_cast<LoadProgress *>(user_data);
        self->env->CallVoidMethod(self->consumer, self->accept, static_cast<jdouble>(progress));
        if (self->env->ExceptionCheck()) {
            self->env->ExceptionClear();  // a listener's failure must not stop the load
        }
        return true;
    }
};

}  // namespace

extern "C" {

// Loads the backends (the CPU variants of a GGML_BACKEND_DL build live in libDir) once.
JNIEXPORT void JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_backendInit(JNIEnv * env, jclass, jbyteArray lib_dir) {
    guarded_void(env, [&] {
        static std::once_flag once;
        std::string dir = bytes_to_string(env, lib_dir);
        std::call_once(once, [&] {
            llama_backend_init();
            // A GGML_BACKEND_DL build links no backend: each is a library to load from libDir.
            if (ggml_backend_reg_count() == 0) {
                ggml_backend_load_all_from_path(dir.c_str());
            }
        });
    });
}

JNIEXPORT jstring JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_systemInfo(JNIEnv * env, jclass) {
    return guarded<jstring>(env, nullptr, [&] { return env->NewStringUTF(llama_print_system_info()); });
}

// Names of the compute devices llama.cpp found (e.g. "CPU", "CUDA0", "MTL0"), one per line.
JNIEXPORT jstring JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_devices(JNIEnv * env, jclass) {
    return guarded<jstring>(env, nullptr, [&] {
        std::string names;
        for (size_t i = 0; i < ggml_backend_dev_count(); i++) {
            ggml_backend_dev_t dev = ggml_backend_dev_get(i);
            names += std::string(ggml_backend_dev_name(dev)) + "\t" + ggml_backend_dev_description(dev) + "\n";
        }
        return env->NewStringUTF(names.c_str());
    });
}

JNIEXPORT jlong JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_modelLoad(
        JNIEnv * env, jclass, jbyteArray path, jint n_gpu_layers, jobject progress) {
    return guarded<jlong>(env, 0, [&]() -> jlong {
        std::string file = bytes_to_string(env, path);
        clear_recent_errors();
        llama_model_params params = llama_model_default_params();
        params.n_gpu_layers = n_gpu_layers;
        LoadProgress listener{env, progress, nullptr};
        if (progress != nullptr) {
            jclass type = env->GetObjectClass(progress);
            listener.accept = env->GetMethodID(type, "accept", "(D)V");
            env->DeleteLocalRef(type);
            if (listener.accept == nullptr) {
                throw std::runtime_error("the progress listener has no accept(double)");
            }
            params.progress_callback = LoadProgress::report;
            params.progress_callback_user_data = &listener;
        }
        llama_model * model = llama_model_load_from_file(file.c_str(), params);
        if (model == nullptr) {
            std::string why = recent_errors();
            throw std::runtime_error("llama.cpp could not load " + file + (why.empty() ? "" : ": " + why));
        }
        return reinterpret_cast<jlong>(model);
    });
}

JNIEXPORT void JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_modelFree(JNIEnv * env, jclass, jlong model) {
    guarded_void(env, [&] { llama_model_free(from_handle<llama_model>(model, "model")); });
}

// [n_vocab, bos, eos, add_bos, n_ctx_train, n_layer, n_embd]
JNIEXPORT jintArray JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_modelFacts(JNIEnv * env, jclass, jlong model) {
    return guarded<jintArray>(env, nullptr, [&] {
        auto * m = from_handle<llama_model>(model, "model");
        const llama_vocab * vocab = llama_model_get_vocab(m);
        int32_t facts[] = {llama_vocab_n_tokens(vocab), llama_vocab_bos(vocab), llama_vocab_eos(vocab),
                llama_vocab_get_add_bos(vocab) ? 1 : 0, llama_model_n_ctx_train(m), llama_model_n_layer(m),
                llama_model_n_embd(m)};
        return new_int_array(env, facts, sizeof(facts) / sizeof(facts[0]));
    });
}

JNIEXPORT jstring JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_modelDescription(JNIEnv * env, jclass, jlong model) {
    return guarded<jstring>(env, nullptr, [&] {
        char text[256];
        llama_model_desc(from_handle<llama_model>(model, "model"), text, sizeof(text));
        return env->NewStringUTF(text);
    });
}

// Every token that ends a generation when sampled (EOS, EOT, <|im_end|>, ...).
JNIEXPORT jintArray JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_endOfGenerationTokens(JNIEnv * env, jclass, jlong model) {
    return guarded<jintArray>(env, nullptr, [&] {
        const llama_vocab * vocab = vocab_of(model);
        std::vector<int32_t> ids;
        for (int32_t id = 0; id < llama_vocab_n_tokens(vocab); id++) {
            if (llama_vocab_is_eog(vocab, id)) {
                ids.push_back(id);
            }
        }
        return new_int_array(env, ids.data(), ids.size());
    });
}

// The bytes of every token's piece (special tokens render empty, as in generated text), back to
// back; offsets (n_vocab + 1 of them) say where each starts. Java keeps this table and turns
// sampled tokens into text without a native call per token.
JNIEXPORT jbyteArray JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_vocabPieces(
        JNIEnv * env, jclass, jlong model, jintArray offsets_out) {
    return guarded<jbyteArray>(env, nullptr, [&] {
        const llama_vocab * vocab = vocab_of(model);
        const int32_t n_vocab = llama_vocab_n_tokens(vocab);
        if (offsets_out == nullptr || env->GetArrayLength(offsets_out) != n_vocab + 1) {
            throw invalid_input("offsets must have n_vocab + 1 entries");
        }
        std::string all;
        std::vector<int32_t> offsets(static_cast<size_t>(n_vocab) + 1);
        char piece[256];
        for (int32_t id = 0; id < n_vocab; id++) {
            offsets[id] = static_cast<int32_t>(all.size());
            int32_t n = llama_token_to_piece(vocab, id, piece, sizeof(piece), 0, false);
            if (n < 0) {
                std::string big(static_cast<size_t>(-n), '\0');
                n = llama_token_to_piece(vocab, id, big.data(), -n, 0, false);
                all.append(big.data(), static_cast<size_t>(std::max(n, 0)));
            } else {
                all.append(piece, static_cast<size_t>(n));
            }
        }
        offsets[n_vocab] = static_cast<int32_t>(all.size());
        env->SetIntArrayRegion(offsets_out, 0, n_vocab + 1, reinterpret_cast<const jint *>(offsets.data()));
        return new_byte_array(env, all.data(), all.size());
    });
}

// UTF-8 text to tokens; special tokens in the text are parsed, BOS is added when addSpecial is.
JNIEXPORT jintArray JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_tokenize(
        JNIEnv * env, jclass, jlong model, jbyteArray utf8, jboolean add_special) {
    return guarded<jintArray>(env, nullptr, [&] {
        const llama_vocab * vocab = vocab_of(model);
        std::string text = bytes_to_string(env, utf8);
        require_utf8(text, "text");
        if (text.size() > static_cast<size_t>(MAX_TEXT_TOKENS)) {
            throw invalid_input("text of " + std::to_string(text.size()) + " bytes is too long to tokenize");
        }
        std::vector<int32_t> tokens(text.size() + 2);
        int32_t n = llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), tokens.data(),
                static_cast<int32_t>(tokens.size()), add_special, true);
        if (n < 0) {
            if (n == INT32_MIN) {
                throw invalid_input("text is too long to tokenize");
            }
            tokens.resize(static_cast<size_t>(-n));
            n = llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), tokens.data(),
                    static_cast<int32_t>(tokens.size()), add_special, true);
            if (n < 0) {
                throw std::runtime_error("tokenization failed");
            }
        }
        return new_int_array(env, tokens.data(), static_cast<size_t>(n));
    });
}

// Token ids to UTF-8 text; ids outside the vocabulary are refused.
JNIEXPORT jbyteArray JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_detokenize(
        JNIEnv * env, jclass, jlong model, jintArray ids, jboolean render_special) {
    return guarded<jbyteArray>(env, nullptr, [&] {
        const llama_vocab * vocab = vocab_of(model);
        std::vector<int32_t> tokens = int_array(env, ids, MAX_TEXT_TOKENS);
        require_tokens(vocab, tokens);
        std::string text(tokens.size() * 8 + 16, '\0');
        int32_t n = llama_detokenize(vocab, tokens.data(), static_cast<int32_t>(tokens.size()), text.data(),
                static_cast<int32_t>(text.size()), false, render_special);
        if (n < 0) {
            text.resize(static_cast<size_t>(-n));
            n = llama_detokenize(vocab, tokens.data(), static_cast<int32_t>(tokens.size()), text.data(),
                    static_cast<int32_t>(text.size()), false, render_special);
        }
        if (n < 0) {
            throw std::runtime_error("detokenization failed");
        }
        return new_byte_array(env, text.data(), static_cast<size_t>(n));
    });
}

}  // extern "C"
