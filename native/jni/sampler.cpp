// Per-request sampler chains: logit bias, grammar, penalties, top-k, top-p, min-p, temperature,
// then a seeded draw (or greedy at temperature 0). Owned by the decode loop's thread.
#include "jni_util.h"

#include "llama.h"

#include <cmath>

using namespace worker;

bool has_logits(jlong context, int32_t row);
llama_context * llama_context_of(jlong context);

extern "C" {

JNIEXPORT jlong JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_samplerNew(JNIEnv * env, jclass, jlong model,
        jfloat temperature, jint top_k, jfloat top_p, jfloat min_p, jint penalty_last_n, jfloat repeat_penalty,
        jfloat frequency_penalty, jfloat presence_penalty, jlong seed, jbyteArray grammar, jintArray bias_ids,
        jfloatArray bias_values) {
    return guarded<jlong>(env, 0, [&]() -> jlong {
        const llama_vocab * vocab = llama_model_get_vocab(from_handle<llama_model>(model, "model"));
        const int32_t n_vocab = llama_vocab_n_tokens(vocab);
        if (!std::isfinite(temperature) || temperature < 0 || top_k < 0 || !(top_p > 0 && top_p <= 1)
                || !(min_p >= 0 && min_p <= 1) || !(repeat_penalty > 0) || !std::isfinite(frequency_penalty)
                || !std::isfinite(presence_penalty) || penalty_last_n < 0) {
            throw invalid_input("sampling parameters out of range");
        }
        std::vector<int32_t> ids = bias_ids == nullptr ? std::vector<int32_t>() : int_array(env, bias_ids, n_vocab);
        if (bias_values == nullptr ? !ids.empty() : env->GetArrayLength(bias_values) != static_cast<jsize>(ids.size())) {
            throw invalid_input("logit bias ids and values differ in length");
        }
        std::vector<llama_logit_bias> bias(ids.size());
        std::vector<jfloat> values(ids.size());
        if (!ids.empty()) {
            env->GetFloatArrayRegion(bias_values, 0, static_cast<jsize>(ids.size()), values.data());
        }
        for (size_t i = 0; i < ids.size(); i++) {
            if (ids[i] < 0 || ids[i] >= n_vocab || std::isnan(values[i])) {
                throw invalid_input("logit bias for token " + std::to_string(ids[i]) + " is invalid");
            }
            bias[i] = {ids[i], values[i]};
        }

        llama_sampler * chain = llama_sampler_chain_init(llama_sampler_chain_default_params());
        auto add = [&](llama_sampler * sampler) {
            if (sampler == nullptr) {
                llama_sampler_free(chain);
                throw std::runtime_error("llama.cpp could not create a sampler");
            }
            llama_sampler_chain_add(chain, sampler);
        };
        if (!bias.empty()) {
            add(llama_sampler_init_logit_bias(n_vocab, static_cast<int32_t>(bias.size()), bias.data()));
        }
        if (grammar != nullptr) {
            std::string rules = bytes_to_string(env, grammar);
            require_utf8(rules, "grammar");
            clear_recent_errors();
            llama_sampler * constrained = llama_sampler_init_grammar(vocab, rules.c_str(), "root");
            if (constrained == nullptr) {
                llama_sampler_free(chain);
                std::string why = recent_errors();
                throw invalid_input("invalid grammar" + (why.empty() ? "" : ": " + why));
            }
            llama_sampler_chain_add(chain, constrained);
        }
        if (penalty_last_n > 0 && (repeat_penalty != 1.0f || frequency_penalty != 0.0f || presence_penalty != 0.0f)) {
            add(llama_sampler_init_penalties(n_vocab, penalty_last_n, repeat_penalty, frequency_penalty, presence_penalty));
        }
        if (temperature == 0.0f) {
            add(llama_sampler_init_greedy());
        } else {
            if (top_k > 0) {
                add(llama_sampler_init_top_k(top_k));
            }
            if (top_p < 1.0f) {
                add(llama_sampler_init_top_p(top_p, 1));
            }
            if (min_p > 0.0f) {
                add(llama_sampler_init_min_p(min_p, 1));
            }
            add(llama_sampler_init_temp(temperature));
            add(llama_sampler_init_dist(seed < 0 ? LLAMA_DEFAULT_SEED : static_cast<uint32_t>(seed)));
        }
        return reinterpret_cast<jlong>(chain);
    });
}

JNIEXPORT void JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_samplerFree(JNIEnv * env, jclass, jlong sampler) {
    guarded_void(env, [&] { llama_sampler_free(from_handle<llama_sampler>(sampler, "sampler")); });
}

// Samples (and accepts) the next token from a row of the last batch that kept its logits.
JNIEXPORT jint JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_sample(JNIEnv * env, jclass, jlong sampler,
        jlong context, jint row) {
    return guarded<jint>(env, -1, [&]() -> jint {
        auto * chain = from_handle<llama_sampler>(sampler, "sampler");
        if (!has_logits(context, row)) {
            throw invalid_input("row " + std::to_string(row) + " of the last batch has no logits");
        }
        return llama_sampler_sample(chain, llama_context_of(context), row);
    });
}

}  // extern "C"
