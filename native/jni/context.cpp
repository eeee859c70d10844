// A context: the KV cache shared by every slot (one sequence per slot), and one batched decode per
// call. Java's decode loop is the only caller of a context, from one thread.
#include "jni_util.h"

#include "llama.h"

#include <algorithm>
#include <cmath>

using namespace worker;

namespace {

struct engine_context {
    llama_context * ctx = nullptr;
    llama_batch batch{};
    int32_t n_batch = 0;
    int32_t n_seq = 0;
    int32_t n_ctx_seq = 0;
    int32_t n_vocab = 0;
    // Which rows of the last decoded batch have logits: sampling any other row is refused,
    // because llama.cpp would assert on it.
    std::vector<bool> last_outputs;
};

// Our context around llama.cpp's, with a batch of n_batch rows allocated once. llama.cpp may
// lower n_batch (a causal context's to its n_ctx): its own value is the limit that decode asserts.
jlong wrap(llama_context * ctx, const llama_model * model, int32_t n_batch, int32_t n_seq) {
    auto * c = new engine_context();
    c->ctx = ctx;
    c->n_batch = std::min(n_batch, static_cast<int32_t>(llama_n_batch(ctx)));
    n_batch = c->n_batch;
    c->n_seq = n_seq;
    c->n_ctx_seq = static_cast<int32_t>(llama_n_ctx_seq(ctx));
    c->n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
    c->batch = llama_batch_init(n_batch, 0, 1);
    return reinterpret_cast<jlong>(c);
}

engine_context * context_of(jlong handle) {
    return from_handle<engine_context>(handle, "context");
}

}  // namespace

bool has_logits(jlong handle, int32_t row) {
    engine_context * c = context_of(handle);
    return row >= 0 && static_cast<size_t>(row) < c->last_outputs.size() && c->last_outputs[row];
}

llama_context * llama_context_of(jlong handle) {
    return context_of(handle)->ctx;
}

extern "C" {

JNIEXPORT jlong JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_contextNew(JNIEnv * env, jclass, jlong model,
        jint n_ctx, jint n_seq, jint n_batch, jint n_threads, jint n_threads_batch) {
    return guarded<jlong>(env, 0, [&]() -> jlong {
        auto * m = from_handle<llama_model>(model, "model");
        if (n_ctx < 1 || n_seq < 1 || n_batch < 1 || n_threads < 1 || n_threads_batch < 1 || n_ctx % n_seq != 0) {
            throw invalid_input("context sizes must be positive, and n_ctx a multiple of n_seq");
        }
        llama_context_params params = llama_context_default_params();
        params.n_ctx = static_cast<uint32_t>(n_ctx);
        params.n_seq_max = static_cast<uint32_t>(n_seq);
        params.n_batch = static_cast<uint32_t>(n_batch);
        params.n_ubatch = static_cast<uint32_t>(std::min(n_batch, 512));
        params.n_threads = n_threads;
        params.n_threads_batch = n_threads_batch;
        params.no_perf = true;
        // Each slot owns an equal share of the cache, as a vLLM max_model_len per request.
        params.kv_unified = false;
        clear_recent_errors();
        llama_context * ctx = llama_init_from_model(m, params);
        if (ctx == nullptr) {
            std::string why = recent_errors();
            throw std::runtime_error("llama.cpp could not create a context" + (why.empty() ? "" : ": " + why));
        }
        return wrap(ctx, m, n_batch, n_seq);
    });
}

JNIEXPORT void JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_contextFree(JNIEnv * env, jclass, jlong handle) {
    guarded_void(env, [&] {
        engine_context * c = context_of(handle);
        llama_batch_free(c->batch);
        llama_free(c->ctx);
        delete c;
    });
}

// Rows one decode may hold: what was asked for, or less when llama.cpp lowered it.
JNIEXPORT jint JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_contextBatchRows(JNIEnv * env, jclass, jlong handle) {
    return guarded<jint>(env, 0, [&] { return context_of(handle)->n_batch; });
}

// Tokens per sequence this context holds (its n_ctx divided among the sequences).
JNIEXPORT jint JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_contextSeqLength(JNIEnv * env, jclass, jlong handle) {
    return guarded<jint>(env, 0, [&] { return context_of(handle)->n_ctx_seq; });
}

// One llama_decode over n rows: token, position, sequence and whether to keep its logits. Returns
// 0, or 1 when the KV cache had no room (nothing was decoded); any other failure throws.
JNIEXPORT jint JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_decode(JNIEnv * env, jclass, jlong handle,
        jint n, jintArray tokens, jintArray positions, jintArray seq_ids, jbooleanArray outputs) {
    return guarded<jint>(env, -1, [&]() -> jint {
        engine_context * c = context_of(handle);
        if (n < 1 || n > c->n_batch) {
            throw invalid_input("a batch must have 1 to " + std::to_string(c->n_batch) + " rows, got " + std::to_string(n));
        }
        std::vector<int32_t> t = int_array(env, tokens, c->n_batch);
        std::vector<int32_t> p = int_array(env, positions, c->n_batch);
        std::vector<int32_t> s = int_array(env, seq_ids, c->n_batch);
        if (outputs == nullptr || t.size() < static_cast<size_t>(n) || p.size() < static_cast<size_t>(n)
                || s.size() < static_cast<size_t>(n) || env->GetArrayLength(outputs) < n) {
            throw invalid_input("batch arrays are shorter than its row count");
        }
        std::vector<jboolean> o(static_cast<size_t>(n));
        env->GetBooleanArrayRegion(outputs, 0, n, o.data());
        c->last_outputs.clear();
        for (int32_t i = 0; i < n; i++) {
            if (t[i] < 0 || t[i] >= c->n_vocab) {
                throw invalid_input("token id " + std::to_string(t[i]) + " is out of range: the vocabulary has "
                        + std::to_string(c->n_vocab) + " tokens");
            }
            if (s[i] < 0 || s[i] >= c->n_seq) {
                throw invalid_input("sequence " + std::to_string(s[i]) + " does not exist");
            }
            if (p[i] < 0 || p[i] >= c->n_ctx_seq) {
                throw invalid_input("position " + std::to_string(p[i]) + " is outside the sequence's "
                        + std::to_string(c->n_ctx_seq) + " tokens");
            }
            c->batch.token[i] = t[i];
            c->batch.pos[i] = p[i];
            c->batch.n_seq_id[i] = 1;
            c->batch.seq_id[i][0] = s[i];
            c->batch.logits[i] = o[i] ? 1 : 0;
        }
        c->batch.n_tokens = n;
        clear_recent_errors();
        int32_t status = llama_decode(c->ctx, c->batch);
        if (status == 1) {
            return 1;
        }
        if (status != 0) {
            std::string why = recent_errors();
            throw std::runtime_error("llama_decode failed with status " + std::to_string(status) + (why.empty() ? "" : ": " + why));
        }
        c->last_outputs.assign(o.begin(), o.end());
        return 0;
    });
}

// Forgets positions [p0, p1) of a sequence (p1 < 0: to its end). False when llama.cpp cannot.
JNIEXPORT jboolean JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_sequenceRemove(JNIEnv * env, jclass,
        jlong handle, jint seq, jint p0, jint p1) {
    return guarded<jboolean>(env, JNI_FALSE, [&]() -> jboolean {
        engine_context * c = context_of(handle);
        if (seq < 0 || seq >= c->n_seq || p0 < 0) {
            throw invalid_input("no such sequence or position");
        }
        return llama_memory_seq_rm(llama_get_memory(c->ctx), seq, p0, p1) ? JNI_TRUE : JNI_FALSE;
    });
}

// Copies a whole sequence into another (the destination's tokens are replaced). Only whole copies:
// between the per-slot streams of this cache llama.cpp cannot copy a part (it would assert).
JNIEXPORT void JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_sequenceCopy(JNIEnv * env, jclass,
        jlong handle, jint source, jint target) {
    guarded_void(env, [&] {
        engine_context * c = context_of(handle);
        if (source < 0 || source >= c->n_seq || target < 0 || target >= c->n_seq || source == target) {
            throw invalid_input("sequence copy needs two different existing sequences");
        }
        llama_memory_t memory = llama_get_memory(c->ctx);
        llama_memory_seq_rm(memory, target, -1, -1);
        llama_memory_seq_cp(memory, source, target, -1, -1);
    });
}

// Log-probabilities of a row of the last batch, from the model's raw logits (vLLM's default): the
// given token's first, then the top_n most likely, whose ids go to top_ids.
JNIEXPORT jfloatArray JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_logprobs(JNIEnv * env, jclass,
        jlong handle, jint row, jint token, jintArray top_ids) {
    return guarded<jfloatArray>(env, nullptr, [&]() -> jfloatArray {
        engine_context * c = context_of(handle);
        if (row < 0 || static_cast<size_t>(row) >= c->last_outputs.size() || !c->last_outputs[row]) {
            throw invalid_input("row " + std::to_string(row) + " of the last batch has no logits");
        }
        if (token < 0 || token >= c->n_vocab) {
            throw invalid_input("token id " + std::to_string(token) + " is out of range");
        }
        const jsize top_n = top_ids == nullptr ? 0 : env->GetArrayLength(top_ids);
        if (top_n > c->n_vocab) {
            throw invalid_input("more top log-probabilities than tokens");
        }
        const float * logits = llama_get_logits_ith(c->ctx, row);
        if (logits == nullptr) {
            throw std::runtime_error("llama.cpp has no logits for row " + std::to_string(row));
        }
        float max_logit = logits[0];
        for (int32_t i = 1; i < c->n_vocab; i++) {
            max_logit = std::max(max_logit, logits[i]);
        }
        double sum = 0;
        for (int32_t i = 0; i < c->n_vocab; i++) {
            sum += std::exp(static_cast<double>(logits[i] - max_logit));
        }
        const float log_sum = max_logit + static_cast<float>(std::log(sum));
        std::vector<int32_t> order(static_cast<size_t>(c->n_vocab));
        for (int32_t i = 0; i < c->n_vocab; i++) {
            order[i] = i;
        }
        std::partial_sort(order.begin(), order.begin() + top_n, order.end(),
                [&](int32_t a, int32_t b) { return logits[a] > logits[b] || (logits[a] == logits[b] && a < b); });
        std::vector<float> values(static_cast<size_t>(top_n) + 1);
        values[0] = logits[token] - log_sum;
        for (jsize i = 0; i < top_n; i++) {
            values[i + 1] = logits[order[i]] - log_sum;
        }
        if (top_n > 0) {
            env->SetIntArrayRegion(top_ids, 0, top_n, reinterpret_cast<const jint *>(order.data()));
        }
        jfloatArray out = env->NewFloatArray(static_cast<jsize>(values.size()));
        if (out != nullptr) {
            env->SetFloatArrayRegion(out, 0, static_cast<jsize>(values.size()), values.data());
        }
        return out;
    });
}

// A context for pooled embeddings: one sequence evaluated whole (n_tokens up to n_ctx) and pooled
// by `pooling` (llama_pooling_type: 1 mean, 2 cls, 3 last).
JNIEXPORT jlong JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_embeddingContextNew(JNIEnv * env, jclass,
        jlong model, jint n_ctx, jint threads, jint pooling) {
    return guarded<jlong>(env, 0, [&]() -> jlong {
        auto * m = from_handle<llama_model>(model, "model");
        if (n_ctx < 1 || threads < 1 || pooling < LLAMA_POOLING_TYPE_MEAN || pooling > LLAMA_POOLING_TYPE_LAST) {
            throw invalid_input("an embedding context needs a positive size and mean, cls or last pooling");
        }
        llama_context_params params = llama_context_default_params();
        params.n_ctx = static_cast<uint32_t>(n_ctx);
        params.n_batch = static_cast<uint32_t>(n_ctx);
        params.n_ubatch = static_cast<uint32_t>(n_ctx);
        params.n_seq_max = 1;
        params.n_threads = threads;
        params.n_threads_batch = threads;
        params.embeddings = true;
        params.pooling_type = static_cast<enum llama_pooling_type>(pooling);
        params.no_perf = true;
        clear_recent_errors();
        llama_context * ctx = llama_init_from_model(m, params);
        if (ctx == nullptr) {
            std::string why = recent_errors();
            throw std::runtime_error("llama.cpp could not create an embedding context" + (why.empty() ? "" : ": " + why));
        }
        return wrap(ctx, m, n_ctx, 1);
    });
}

// The pooled embedding of a whole token sequence (n_embd floats, not normalized).
JNIEXPORT jfloatArray JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_embed(JNIEnv * env, jclass,
        jlong handle, jintArray tokens) {
    return guarded<jfloatArray>(env, nullptr, [&]() -> jfloatArray {
        engine_context * c = context_of(handle);
        std::vector<int32_t> t = int_array(env, tokens, c->n_batch);
        if (t.empty()) {
            throw invalid_input("nothing to embed");
        }
        for (size_t i = 0; i < t.size(); i++) {
            if (t[i] < 0 || t[i] >= c->n_vocab) {
                throw invalid_input("token id " + std::to_string(t[i]) + " is out of range: the vocabulary has "
                        + std::to_string(c->n_vocab) + " tokens");
            }
            c->batch.token[i] = t[i];
            c->batch.pos[i] = static_cast<llama_pos>(i);
            c->batch.n_seq_id[i] = 1;
            c->batch.seq_id[i][0] = 0;
            c->batch.logits[i] = 1;
        }
        c->batch.n_tokens = static_cast<int32_t>(t.size());
        llama_memory_clear(llama_get_memory(c->ctx), true);
        clear_recent_errors();
        int32_t status = llama_decode(c->ctx, c->batch);
        if (status != 0) {
            std::string why = recent_errors();
            throw std::runtime_error("llama_decode failed with status " + std::to_string(status) + (why.empty() ? "" : ": " + why));
        }
        const float * pooled = llama_get_embeddings_seq(c->ctx, 0);
        if (pooled == nullptr) {
            throw std::runtime_error("llama.cpp gave no pooled embedding");
        }
        const int32_t n_embd = llama_model_n_embd(llama_get_model(c->ctx));
        jfloatArray out = env->NewFloatArray(n_embd);
        if (out != nullptr) {
            env->SetFloatArrayRegion(out, 0, n_embd, pooled);
        }
        return out;
    });
}

}  // extern "C"
