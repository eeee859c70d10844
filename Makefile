# worker-llamacpp — `make run` serves a model, `make test` runs every test. `make help` lists all.
JAVA_HOME ?= /usr/lib/jvm/temurin-25-jdk-amd64
export JAVA_HOME
MVN ?= mvn -B -q
JAR := target/worker-llamacpp.jar
JAVA := $(JAVA_HOME)/bin/java

DEFAULT_MODEL := models/qwen2.5-0.5b-instruct-q4_k_m.gguf
DEMO_MODEL := models/demo-model.gguf
BENCH_MODEL := models/bench-qwen2.5-0.5b-q4_k_m.gguf
MODEL_PATH ?= $(DEFAULT_MODEL)
PORT ?= 8000
IMAGE ?= worker-llamacpp:latest
# The model lives in native memory; the Java heap holds requests only. A small initial heap keeps
# the server's RSS near the raw binding's (the default, 1/64 of RAM, is touched before the first
# collection: +64 MB peak RSS measured with 4 slots). The native-heap trim gives back to the OS
# what the JIT's compiler arenas borrowed (peaks of 41 MB measured), which glibc would otherwise
# keep for the life of the process. C1 only (TieredStopAtLevel=1): our Java per token takes about
# 0.04 ms against 40 ms of llama.cpp, so C2's faster code buys nothing measurable, while its
# compiles take CPU from llama.cpp (and from the model load) in a server's first minutes.
# Without C2 (4 starts each): ready 0.56 s sooner, 0.4 s of it in the load; 23 MB less peak RSS;
# in A/B runs /metrics p99 lower in 10 of 12, 4-stream throughput +3% (not beyond the noise) and
# 1-stream decode the same (docs/BENCHMARKS-HISTORY.md, "Session 19").
# The flags live in scripts/jvm-options, which bench.sh and ab.sh read too; the Docker image
# repeats them in its JAVA_OPTS (ComposeFileTest checks that it does).
JVM_OPTS ?= $(shell cat scripts/jvm-options)
# From its second start on, `make run` starts from a class-data archive (AppCDS) of the classes the
# server loaded the time before: the JVM then skips parsing and verifying about 4,000 classes,
# 0.4 to 0.8 s of every start on 2 cores (docs/BENCHMARKS-HISTORY.md, "Session 12"). The JVM
# writes the archive as the server exits, and writes it again after the jar has changed; cds=off
# keeps the replaced archive's warnings out of the log. The Docker image bakes its archive in at
# build time.
CDS_OPTS ?= -XX:SharedArchiveFile=target/worker-llamacpp.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off
PLATFORMS ?=

.PHONY: help build test run model demo-model bench-model bench llama-server soak docker-build compose-config native-cuda clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

build: $(JAR) ## Build target/worker-llamacpp.jar and target/libs/

$(JAR): pom.xml $(shell find src/main -type f)
	$(MVN) package -DskipTests

# Not quiet: Surefire's "Tests run:" summary is how CI knows tests ran.
test: ## Run unit, integration, fuzz and compose tests (real models, real HTTP)
	mvn -B --no-transfer-progress verify

# Serves MODEL_PATH. The default model is downloaded first when missing; offline, the demo model
# (random weights) is served instead so that `make run` always works.
run: build ## Serve MODEL_PATH (default: Qwen2.5-0.5B-Instruct Q4_K_M, downloaded if missing) on PORT
	@model="$(MODEL_PATH)"; \
	if [ ! -f "$$model" ] && [ "$$model" = "$(DEFAULT_MODEL)" ]; then \
	  if ! $(MAKE) --no-print-directory model; then \
	    echo "note: could not download $(DEFAULT_MODEL); serving the offline demo model (random weights) instead."; \
	    [ -f "$(DEMO_MODEL)" ] || $(JAVA) -jar $(JAR) demo-model --output $(DEMO_MODEL); \
	    model="$(DEMO_MODEL)"; \
	  fi; \
	fi; \
	exec env MODEL_PATH="$$model" PORT="$(PORT)" $(JAVA) $(JVM_OPTS) $(CDS_OPTS) -jar $(JAR)

model: build ## Download the default model (Qwen2.5-0.5B-Instruct Q4_K_M, 491 MB; resumable, SHA-256 checked)
	$(JAVA) -jar $(JAR) download --output $(MODEL_PATH) $(if $(MODEL_URL),--url $(MODEL_URL)) $(if $(MODEL_SHA256),--sha256 $(MODEL_SHA256))

demo-model: build ## Write a tiny offline qwen2 GGUF to models/demo-model.gguf
	$(JAVA) -jar $(JAR) demo-model --output $(DEMO_MODEL)

bench-model: build ## Write a Qwen2.5-0.5B-shaped Q4_K_M GGUF (random weights: same cost, meaningless text)
	@[ -f "$(BENCH_MODEL)" ] || $(JAVA) -jar $(JAR) bench-model --output $(BENCH_MODEL)

bench: build ## Raw binding vs our server (vs llama-server with LLAMA_SERVER_BIN=...), ~9 min on 2 cores, ~13 with llama-server
	LLAMA_SERVER_BIN="$(LLAMA_SERVER_BIN)" BENCH_JVM_OPTS="$(JVM_OPTS)" bash scripts/bench.sh

llama-server: ## Build llama.cpp's llama-server (b4980, via npm's node-llama-cpp 3.7.0) for `make bench LLAMA_SERVER_BIN=...`
	@bash scripts/build-llama-server.sh

soak: build ## Reliability run: 8 clients, 10% disconnects, for SOAK_S seconds (default 600); report in target/soak
	$(JAVA) -jar $(JAR) soak

docker-build: ## Build $(IMAGE) with buildx; PLATFORMS=linux/amd64,linux/arm64 PUSH=1 for a multi-arch push
	docker buildx build -f Dockerfile.llamacpp -t $(IMAGE) $(if $(PLATFORMS),--platform $(PLATFORMS)) $(if $(PUSH),--push,--load) \
	  $(if $(MODEL_URL),--build-arg MODEL_URL=$(MODEL_URL)) $(if $(MODEL_SHA256),--build-arg MODEL_SHA256=$(MODEL_SHA256)) $(DOCKER_BUILD_ARGS) .

compose-config: ## Check docker-compose.mock-runtime-real.yml with `docker-compose config` (no Docker engine needed)
	@command -v docker-compose >/dev/null || { echo "error: docker-compose is missing (Debian: apt-get install -y docker-compose)" >&2; exit 1; }
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; mkdir "$$tmp/inventiv-worker"; \
	case "$$(docker-compose version --short)" in 1.*) sed "/^ *start_interval:/d";; *) cat;; esac \
	  < docker-compose.mock-runtime-real.yml > "$$tmp/docker-compose.yml"; \
	INSTANCE_ID=compose-config CONTROLPLANE_NETWORK_NAME=controlplane docker-compose -f "$$tmp/docker-compose.yml" config -q \
	  && ! env -u INSTANCE_ID CONTROLPLANE_NETWORK_NAME=controlplane docker-compose -f "$$tmp/docker-compose.yml" config -q 2>/dev/null \
	  && echo "docker-compose.mock-runtime-real.yml: valid, and refuses to start without INSTANCE_ID"

native-cuda: ## Build libjllama with CUDA from java-llama.cpp v4.2.0 (see native/README.md; needs nvcc and sources)
	@[ -x native/build-cuda.sh ] || { echo "error: native/build-cuda.sh is not there yet (issue 4, CUDA part)" >&2; exit 1; }
	native/build-cuda.sh

clean: ## Remove build output
	$(MVN) clean
