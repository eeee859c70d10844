#include "jni_util.h"

#include "llama.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <new>

namespace worker {

namespace {

JavaVM * java_vm = nullptr;
jclass native_class = nullptr;     // io.inventiv.worker.engine.jni.LlamaNative
jmethodID log_method = nullptr;    // static void log(int level, byte[] message)
jclass native_exception = nullptr; // io.inventiv.worker.engine.jni.NativeException
std::atomic<int> min_log_level{GGML_LOG_LEVEL_INFO};
thread_local std::string errors_on_this_thread;

void throw_java(JNIEnv * env, jclass type, const std::string & message) {
    if (env->ExceptionCheck()) {
        return; // the first exception explains more than ours would
    }
    if (type != nullptr) {
        env->ThrowNew(type, message.c_str());
    }
}

// llama.cpp logs from the calling thread (a Java thread) and, rarely, from its own workers. Lines
// go to Java's logging when the thread is attached and no exception is pending, else to stderr.
void log_to_java(ggml_log_level level, const char * text, void *) {
    if (level == GGML_LOG_LEVEL_ERROR || level == GGML_LOG_LEVEL_WARN) {
        if (errors_on_this_thread.size() < 4096) {
            errors_on_this_thread += text;
        }
    }
    if (level == GGML_LOG_LEVEL_CONT || level < min_log_level.load(std::memory_order_relaxed)) {
        return;
    }
    JNIEnv * env = nullptr;
    if (java_vm == nullptr || java_vm->GetEnv(reinterpret_cast<void **>(&env), JNI_VERSION_1_8) != JNI_OK
            || env->ExceptionCheck()) {
        if (level >= GGML_LOG_LEVEL_WARN) {
            std::fputs(text, stderr);
        }
        return;
    }
    size_t length = std::char_traits<char>::length(text);
    jbyteArray message = new_byte_array(env, text, length);
    if (message != nullptr) {
        env->CallStaticVoidMethod(native_class, log_method, static_cast<jint>(level), message);
        env->DeleteLocalRef(message);
    }
    env->ExceptionClear(); // a failed log line must not fail the call that logged it
}

}  // namespace

void rethrow_to_java(JNIEnv * env) {
    try {
        throw;
    } catch (const invalid_input & e) {
        throw_java(env, env->FindClass("java/lang/IllegalArgumentException"), e.what());
    } catch (const std::bad_alloc &) {
        throw_java(env, native_exception, "llama.cpp ran out of memory");
    } catch (const std::exception & e) {
        throw_java(env, native_exception, e.what());
    } catch (...) {
        throw_java(env, native_exception, "unknown C++ exception in llama.cpp");
    }
}

std::vector<int32_t> int_array(JNIEnv * env, jintArray array, jsize max_length) {
    if (array == nullptr) {
        throw invalid_input("missing array");
    }
    jsize length = env->GetArrayLength(array);
    if (length > max_length) {
        throw invalid_input("array of " + std::to_string(length) + " values is longer than " + std::to_string(max_length));
    }
    std::vector<int32_t> values(static_cast<size_t>(length));
    env->GetIntArrayRegion(array, 0, length, reinterpret_cast<jint *>(values.data()));
    return values;
}

jintArray new_int_array(JNIEnv * env, const int32_t * data, size_t length) {
    jintArray array = env->NewIntArray(static_cast<jsize>(length));
    if (array != nullptr) {
        env->SetIntArrayRegion(array, 0, static_cast<jsize>(length), reinterpret_cast<const jint *>(data));
    }
    return array;
}

jbyteArray new_byte_array(JNIEnv * env, const char * data, size_t length) {
    jbyteArray array = env->NewByteArray(static_cast<jsize>(length));
    if (array != nullptr) {
        env->SetByteArrayRegion(array, 0, static_cast<jsize>(length), reinterpret_cast<const jbyte *>(data));
    }
    return array;
}

std::string bytes_to_string(JNIEnv * env, jbyteArray bytes) {
    if (bytes == nullptr) {
        throw invalid_input("missing text");
    }
    jsize length = env->GetArrayLength(bytes);
    std::string text(static_cast<size_t>(length), '\0');
    env->GetByteArrayRegion(bytes, 0, length, reinterpret_cast<jbyte *>(text.data()));
    return text;
}

void require_utf8(const std::string & text, const char * what) {
    const auto * bytes = reinterpret_cast<const unsigned char *>(text.data());
    const size_t n = text.size();
    for (size_t i = 0; i < n;) {
        const unsigned char lead = bytes[i];
        size_t extra = 0;
        uint32_t cp = lead;
        uint32_t smallest = 0;
        if (lead >= 0x80) {
            if ((lead & 0xE0) == 0xC0) {
                extra = 1, cp = lead & 0x1F, smallest = 0x80;
            } else if ((lead & 0xF0) == 0xE0) {
                extra = 2, cp = lead & 0x0F, smallest = 0x800;
            } else if ((lead & 0xF8) == 0xF0) {
                extra = 3, cp = lead & 0x07, smallest = 0x10000;
            } else {
                extra = SIZE_MAX;
            }
        }
        bool ok = extra != SIZE_MAX && i + extra < n;
        for (size_t k = 1; ok && k <= extra; k++) {
            ok = (bytes[i + k] & 0xC0) == 0x80;
            cp = (cp << 6) | (bytes[i + k] & 0x3F);
        }
        ok = ok && cp >= smallest && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
        if (!ok) {
            throw invalid_input(std::string(what) + " is not valid UTF-8 (at byte " + std::to_string(i) + ")");
        }
        i += extra + 1;
    }
}

std::string recent_errors() {
    std::string text = errors_on_this_thread;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

void clear_recent_errors() {
    errors_on_this_thread.clear();
}

}  // namespace worker

using namespace worker;

extern "C" {

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM * vm, void *) {
    java_vm = vm;
    JNIEnv * env = nullptr;
    if (vm->GetEnv(reinterpret_cast<void **>(&env), JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    jclass local = env->FindClass("io/inventiv/worker/engine/jni/LlamaNative");
    if (local == nullptr) {
        return JNI_ERR;
    }
    native_class = static_cast<jclass>(env->NewGlobalRef(local));
    log_method = env->GetStaticMethodID(native_class, "log", "(I[B)V");
    jclass exception = env->FindClass("io/inventiv/worker/engine/jni/NativeException");
    if (log_method == nullptr || exception == nullptr) {
        return JNI_ERR;
    }
    native_exception = static_cast<jclass>(env->NewGlobalRef(exception));
    llama_log_set(log_to_java, nullptr);
    return JNI_VERSION_1_8;
}

JNIEXPORT void JNICALL Java_io_inventiv_worker_engine_jni_LlamaNative_setLogLevel(JNIEnv *, jclass, jint level) {
    min_log_level.store(level, std::memory_order_relaxed);
}

}  // extern "C"
