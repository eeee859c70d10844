// Shared by every JNI entry point: handles, Java exceptions, array access and UTF-8 checks.
#pragma once

#include <jni.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace worker {

// A caller error: becomes java.lang.IllegalArgumentException, which the server answers with a 400.
struct invalid_input : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// Throws the Java exception that matches the C++ one currently being handled. Must be called
// from a catch block; every entry point ends in one (see guarded()).
void rethrow_to_java(JNIEnv * env);

// Runs body and turns any C++ exception into a Java exception, so no input can end the JVM.
// Returns fallback when an exception was thrown.
template <typename T, typename F> T guarded(JNIEnv * env, T fallback, F && body) {
    try {
        return body();
    } catch (...) {
        rethrow_to_java(env);
        return fallback;
    }
}

template <typename F> void guarded_void(JNIEnv * env, F && body) {
    try {
        body();
    } catch (...) {
        rethrow_to_java(env);
    }
}

// A native object behind a Java long; zero is refused rather than dereferenced.
template <typename T> T * from_handle(jlong handle, const char * what) {
    if (handle == 0) {
        throw std::logic_error(std::string(what) + " is closed");
    }
    return reinterpret_cast<T *>(handle);
}

std::vector<int32_t> int_array(JNIEnv * env, jintArray array, jsize max_length);
jintArray new_int_array(JNIEnv * env, const int32_t * data, size_t length);
jbyteArray new_byte_array(JNIEnv * env, const char * data, size_t length);
std::string bytes_to_string(JNIEnv * env, jbyteArray bytes);

// Throws invalid_input naming the byte offset when text is not well-formed UTF-8.
void require_utf8(const std::string & text, const char * what);

// Every line llama.cpp logged on this thread since the last call, for error messages.
std::string recent_errors();
void clear_recent_errors();

}  // namespace worker
