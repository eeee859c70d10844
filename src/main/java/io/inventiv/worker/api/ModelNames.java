package io.inventiv.worker.api;

import java.util.List;

/** The served aliases, and what a request's {@code model} field is allowed to say. */
public final class ModelNames {
    private final List<String> served;
    private final boolean strict;

    public ModelNames(List<String> served, boolean strict) {
        this.served = List.copyOf(served);
        this.strict = strict;
    }

    public List<String> served() {
        return served;
    }

    /**
     * The name to echo in the response: the request's own, as vLLM echoes it, or the first alias
     * when it named none. In strict mode an unknown name is a 404 worded as vLLM words it.
     */
    public String resolve(String requested) {
        if (requested == null || requested.isEmpty()) {
            return served.getFirst();
        }
        if (strict && !served.contains(requested)) {
            throw ApiException.notFound("The model `" + requested + "` does not exist.", "model");
        }
        return requested;
    }
}
