package io.inventiv.worker.engine.jni;

/** One request's sampler chain; closed by the decode loop when the request ends. */
public final class NativeSampler implements AutoCloseable {
    private long sampler;

    NativeSampler(long sampler) {
        this.sampler = sampler;
    }

    long handle() {
        if (sampler == 0) {
            throw new IllegalStateException("sampler is closed");
        }
        return sampler;
    }

    @Override
    public void close() {
        if (sampler != 0) {
            LlamaNative.samplerFree(sampler);
            sampler = 0;
        }
    }
}
