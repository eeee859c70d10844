package io.inventiv.worker.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;
import java.util.Set;

/**
 * What the API layer may ask of the model: prompts turned into exact tokens, generations
 * admitted to slots, and the live counts behind the queue metrics.
 */
public final class Engine {
    /** Roles the chat templates we support understand. */
    public static final Set<String> CHAT_ROLES = Set.of("system", "user", "assistant", "tool");

    private final ModelBackend backend;
    private final int maxModelLen;
    private final int parallel;
    private final ContextBudget budget;
    private final SlotScheduler scheduler;
    private final EngineListener listener;
    private final ModelGuard guard = new ModelGuard();

    public Engine(ModelBackend backend, EngineSettings settings, EngineListener listener) {
        this.backend = backend;
        this.maxModelLen = settings.maxModelLen();
        this.parallel = settings.parallel();
        this.budget = new ContextBudget(settings.maxModelLen(), settings.defaultMaxTokens());
        this.scheduler = backend.startScheduler(settings, listener);
        this.listener = listener;
    }

    public ModelFacts facts() {
        return backend.facts();
    }

    /** Which engine runs the model, and what it is built on (for /version and the log). */
    public java.util.Map<String, Object> describe() {
        return backend.describe();
    }

    public int maxModelLen() {
        return maxModelLen;
    }

    /**
     * Builds the prompt with the model's chat template, which presents OpenAI-shaped {@code tools}
     * (or null), and counts it exactly.
     */
    public PreparedPrompt prepareChat(List<ChatMessage> messages, ArrayNode tools) {
        return new PreparedPrompt(withBos(tokenizeChecked(chatText(messages, tools), "messages")));
    }

    /** The chat template's output for these messages and tools (with the generation prompt). */
    public String chatText(List<ChatMessage> messages, ArrayNode tools) {
        if (messages.isEmpty()) {
            throw EngineException.invalid("messages must contain at least one message", "messages");
        }
        for (ChatMessage message : messages) {
            if (!CHAT_ROLES.contains(message.role())) {
                throw EngineException.invalid("unknown role '" + message.role() + "'", "messages");
            }
        }
        ArrayNode array = ChatMessage.templateInput(messages);
        try {
            return guard.call(() -> backend.chatPrompt(array, tools));
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid(e.getMessage(), "messages");
        }
    }

    /** A text prompt as /v1/completions evaluates it: BOS first when the model wants one. */
    public PreparedPrompt prepareText(String prompt) {
        return new PreparedPrompt(withBos(tokenizeChecked(prompt, "prompt")));
    }

    /** A prompt given as token ids, used as is after a range check. */
    public PreparedPrompt prepareTokens(int[] tokens) {
        try {
            backend.facts().requireValidTokens(tokens);
        } catch (ModelFacts.InvalidTokenException e) {
            throw EngineException.invalid(e.getMessage(), "prompt");
        }
        return new PreparedPrompt(tokens.clone());
    }

    /** Tokens of a text, with or without the model's special prefix (BOS). */
    public int[] tokenize(String text, boolean addSpecialTokens) {
        int[] tokens = tokenizeChecked(text, "prompt");
        return addSpecialTokens ? withBos(tokens) : tokens;
    }

    private int[] tokenizeChecked(String text, String param) {
        try {
            return guard.call(() -> backend.tokenize(text));
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid(e.getMessage(), param);
        }
    }

    /** Text of token ids; ids outside the vocabulary are refused before native code sees them. */
    public String detokenize(int[] tokens) {
        try {
            backend.facts().requireValidTokens(tokens);
            return guard.call(() -> backend.detokenize(tokens));
        } catch (ModelFacts.InvalidTokenException e) {
            throw EngineException.invalid(e.getMessage(), "tokens");
        }
    }

    /**
     * Validates the request against the context and the sampling rules, then queues it. Throws
     * {@link EngineException} when it is invalid or when the queue is full.
     */
    public Generation submit(String requestId, PreparedPrompt prompt, SamplingRequest sampling) {
        return submit(requestId, prompt, sampling, false);
    }

    /**
     * The same; {@code timedAtDelivery} when the API layer holds the tokens back (latency
     * shaping) and reports their latencies itself, as the client sees them.
     */
    public Generation submit(String requestId, PreparedPrompt prompt, SamplingRequest sampling,
            boolean timedAtDelivery) {
        validate(sampling);
        Generation generation = prepare(requestId, prompt, seeded(sampling));
        if (timedAtDelivery) {
            generation.timeAtDelivery();
        }
        scheduler.admit(generation);
        QuietTicker.watch(generation);
        return generation;
    }

    /** In deterministic mode a request without a seed samples with seed 0, as every time it comes. */
    private SamplingRequest seeded(SamplingRequest sampling) {
        return scheduler.deterministic() && sampling.seed() == null ? sampling.withSeed(0L) : sampling;
    }

    private void validate(SamplingRequest sampling) {
        SamplingDefaults.validate(sampling);
        if (sampling.constraint() != null && sampling.ignoreEos()) {
            throw EngineException.invalid("ignore_eos cannot be combined with structured outputs or a forced tool "
                    + "call: once the grammar is complete, only an end token may follow.", "ignore_eos");
        }
        if (sampling.constraint() != null) {
            guard.call(() -> {
                backend.checkGrammar(sampling.constraint());
                return null;
            });
        }
        if (sampling.logprobs() != null && !backend.reportsLogprobs()) {
            throw EngineException.invalid("logprobs need ENGINE=native: the binding engine does not report them.",
                    "logprobs");
        }
    }

    private Generation prepare(String requestId, PreparedPrompt prompt, SamplingRequest sampling) {
        int maxTokens = budget.completionBudget(prompt.length(), sampling.maxTokens());
        return new Generation(requestId, prompt, SamplingDefaults.resolve(sampling, maxTokens), sampling.stop(),
                scheduler);
    }

    /**
     * L2-normalised mean-pooled embeddings of token sequences, as vLLM's embed pooler returns
     * them. Each sequence must fit the context and hold only vocabulary ids.
     */
    public List<float[]> embed(List<int[]> sequences) {
        int total = 0;
        for (int[] tokens : sequences) {
            if (tokens.length > maxModelLen) {
                throw EngineException.invalid("This model's maximum context length is " + maxModelLen + " tokens. "
                        + "However, you requested " + tokens.length + " tokens in the input for embedding "
                        + "generation. Please reduce the length of the input.", "input");
            }
            try {
                backend.facts().requireValidTokens(tokens);
            } catch (ModelFacts.InvalidTokenException e) {
                throw EngineException.invalid(e.getMessage(), "input");
            }
            total += tokens.length;
        }
        long start = System.nanoTime();
        List<float[]> vectors = guard.call(() -> backend.embed(sequences));
        vectors.forEach(UnitVectors::normalize);
        listener.onEmbedded(total, System.nanoTime() - start);
        return vectors;
    }

    /**
     * Queues {@code n} choices of one prompt (OpenAI's {@code n}): the prompt is evaluated once,
     * for the first, and the others copy it. With a seed, choice i samples with seed + i.
     */
    public List<Generation> submitChoices(String requestId, PreparedPrompt prompt, SamplingRequest sampling, int n) {
        if (n == 1) {
            return List.of(submit(requestId, prompt, sampling));
        }
        if (!backend.sharesPrompts()) {
            throw EngineException.invalid("n > 1 needs ENGINE=native: the binding engine cannot share a prompt "
                    + "between choices.", "n");
        }
        if (n > parallel) {
            throw EngineException.invalid("n must be at most " + parallel + " (N_PARALLEL), got " + n + ".", "n");
        }
        validate(sampling);
        SamplingRequest base = seeded(sampling);
        List<Generation> choices = new java.util.ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                SamplingRequest choice = base.withSeed(base.seed() == null ? null : base.seed() + i);
                Generation generation = prepare(requestId + "-" + i, prompt, choice);
                if (i > 0) {
                    generation.follow(choices.get(0));
                }
                scheduler.admit(generation);
                QuietTicker.watch(generation);
                choices.add(generation);
            }
        } catch (RuntimeException e) {
            choices.forEach(Generation::cancel);
            throw e;
        }
        return choices;
    }

    /** Tokens held by running requests ÷ the KV cache's capacity ({@code maxModelLen × parallel}). */
    public double kvCacheUsage() {
        return Math.min(1.0, (double) scheduler.tokensInSlots() / ((long) maxModelLen * parallel));
    }

    /** Requests holding a slot right now. */
    public int running() {
        return scheduler.running();
    }

    /** Requests admitted and waiting for a slot right now. */
    public int waiting() {
        return scheduler.waiting();
    }

    /** Stops admitting and waits for accepted work; false if it did not finish in time. */
    public boolean drain(long timeoutMillis) throws InterruptedException {
        return scheduler.drain(timeoutMillis);
    }

    /** Admits again after a {@link #drain} that was given up. */
    public void resumeAdmitting() {
        scheduler.resumeAdmitting();
    }

    /** Every slot as it is now: free, or the request it serves and how far it is. */
    public List<SlotStatus> slots() {
        return scheduler.slots();
    }

    public boolean deterministic() {
        return scheduler.deterministic();
    }

    public boolean canRunDeterministic() {
        return scheduler.supportsDeterministic();
    }

    /**
     * Switches deterministic mode for the requests that start from now on (the admin API);
     * only the native engine can decode each slot alone.
     */
    public void deterministic(boolean on) {
        if (on && !canRunDeterministic()) {
            throw EngineException.invalid("deterministic needs ENGINE=native: the binding batches requests inside "
                    + "llama.cpp, where their numerics depend on each other.", "deterministic");
        }
        scheduler.deterministic(on);
    }

    /** Whether {@link #close()} frees the model and the KV cache (sleep mode). */
    public boolean canFreeModel() {
        return backend.freesOnClose();
    }

    /**
     * Frees the KV cache and the model, once {@link #drain} has emptied the engine; later calls
     * are refused with a 503. The engine cannot be opened again: a new one is loaded.
     */
    public void close() {
        guard.close(() -> {
            boolean interrupted = false;
            while (true) { // the model must outlive the decode loop, however long it takes to end
                try {
                    scheduler.stop();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            backend.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private int[] withBos(int[] tokens) {
        ModelFacts facts = backend.facts();
        if (!facts.addBos() || facts.bosTokenId() < 0 || (tokens.length > 0 && tokens[0] == facts.bosTokenId())) {
            return tokens;
        }
        int[] withBos = new int[tokens.length + 1];
        withBos[0] = facts.bosTokenId();
        System.arraycopy(tokens, 0, withBos, 1, tokens.length);
        return withBos;
    }
}
