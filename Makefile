# worker-llamacpp — `make run` serves a model, `make test` runs every test. `make help` lists all.
# Needs a JDK 21 or newer and nothing else: ./mvnw fetches Maven from Maven Central.

# The JDK: what scripts/find-jdk.sh prints (JAVA_HOME if it is 21+, else the java on the PATH, else
# the usual install folders). Looked up once, and only by the targets that run Java, so that
# `make help` works without one; those targets start with $(NEED_JDK), which stops them with the
# script's one-line error when there is none. `make java-home` shows the choice.
JDK_HOME = $(eval JDK_HOME := $$(shell JAVA_HOME='$(JAVA_HOME)' bash scripts/find-jdk.sh))$(JDK_HOME)
NEED_JDK = @test -n "$(JDK_HOME)" || exit 1
JAVA = $(JDK_HOME)/bin/java
MVNW = JAVA_HOME="$(JDK_HOME)" ./mvnw
MVN ?= $(MVNW) -B -q
JAR := target/worker-llamacpp.jar
# Fixture models, benchmarks and the soak run have their own entry point; serving and `download`
# are the jar's main class.
TOOLS = $(JAVA) --enable-native-access=ALL-UNNAMED -cp $(JAR) io.inventiv.worker.tools.ToolsMain
# Never in a recipe's environment (make would then look the JDK up for every target, `help` too).
unexport JDK_HOME NEED_JDK JAVA MVNW TOOLS

DEFAULT_MODEL := models/qwen2.5-0.5b-instruct-q4_k_m.gguf
DEMO_MODEL := models/demo-model.gguf
BENCH_MODEL := models/bench-qwen2.5-0.5b-q4_k_m.gguf
MODEL_PATH ?= $(DEFAULT_MODEL)
PORT ?= 8000
IMAGE ?= worker-llamacpp:latest
# JVM flags, one reason each:
#   -Xms16m: the model lives in native memory and the heap holds requests only, so a small initial
#     heap keeps the server's RSS down (docs/DECISIONS.md, "Small initial heap").
#   -XX:TrimNativeHeapInterval: hands back to the OS what the JIT's compilers borrowed, which glibc
#     would otherwise keep for the life of the process (docs/DECISIONS.md, "Native heap trim").
#   -XX:TieredStopAtLevel=1: llama.cpp does nearly all the work per token, so C2's faster code buys
#     nothing, while its compiles take CPU from llama.cpp (docs/DECISIONS.md, "C1 only").
# The flags live in scripts/jvm-options, which bench.sh and ab.sh read too; the Docker image
# repeats them in its JAVA_OPTS (ComposeFileTest checks that it does).
JVM_OPTS ?= $(shell cat scripts/jvm-options)
# From its second start on, `make run` starts from a class-data archive (AppCDS) of the classes the
# server loaded the time before, so the JVM skips parsing and verifying them (docs/DECISIONS.md,
# "Class-data archive"). The JVM writes the archive as the server exits, and again after the jar
# has changed; cds=off keeps the replaced archive's warnings out of the log. The Docker image bakes
# its archive in at build time.
CDS_OPTS ?= -XX:SharedArchiveFile=target/worker-llamacpp.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off
PLATFORMS ?=

.PHONY: help java-home build native test run model demo-model bench-model bench llama-server soak docker-build compose-config native-cuda binding-cuda clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

java-home: ## Print the JDK (21+) the other targets use: see scripts/find-jdk.sh
	$(NEED_JDK)
	@echo "$(JDK_HOME)"

build: $(JAR) ## Build target/worker-llamacpp.jar and target/libs/

$(JAR): pom.xml $(shell find src/main -type f)
	$(NEED_JDK)
	$(MVN) package -DskipTests

# The native engine's library, over the pinned llama.cpp, into target/native (where ENGINE=auto finds
# it). The llama.cpp build is cached outside the clone: ~10 minutes the first time on 2 cores, seconds
# after. NATIVE_FLAVOR=cpu-native (default) | cpu-variants | cuda | metal: see native/README.md.
native: ## Build the native engine (JNI over the pinned llama.cpp) into target/native; needs cmake, g++, git
	$(NEED_JDK)
	JAVA_HOME="$(JDK_HOME)" bash scripts/build-native.sh

# Not quiet: Surefire's "Tests run:" summary is how CI knows tests ran. scripts/test-find-jdk.sh
# checks the JDK lookup first, with fake JDKs. Every test runs on both engines, so the native one is
# built first.
test: native ## Run unit, integration, fuzz and compose tests on both engines (real models, real HTTP)
	$(NEED_JDK)
	bash scripts/test-find-jdk.sh
	$(MVNW) -B --no-transfer-progress verify

# Serves MODEL_PATH. The default model is downloaded first when missing; offline, the demo model
# (random weights) is served instead so that `make run` always works.
run: build ## Serve MODEL_PATH (default: Qwen2.5-0.5B-Instruct Q4_K_M, downloaded if missing) on PORT
	$(NEED_JDK)
	@model="$(MODEL_PATH)"; \
	if [ ! -f "$$model" ] && [ "$$model" = "$(DEFAULT_MODEL)" ]; then \
	  if ! $(MAKE) --no-print-directory model JAVA_HOME="$(JDK_HOME)"; then \
	    echo "note: could not download $(DEFAULT_MODEL); serving the offline demo model (random weights) instead."; \
	    [ -f "$(DEMO_MODEL)" ] || $(TOOLS) demo-model --output $(DEMO_MODEL); \
	    model="$(DEMO_MODEL)"; \
	  fi; \
	fi; \
	exec env MODEL_PATH="$$model" PORT="$(PORT)" $(JAVA) $(JVM_OPTS) $(CDS_OPTS) -jar $(JAR)

model: build ## Download the default model (Qwen2.5-0.5B-Instruct Q4_K_M, 491 MB; resumable, SHA-256 checked)
	$(NEED_JDK)
	$(JAVA) -jar $(JAR) download --output $(MODEL_PATH) $(if $(MODEL_URL),--url $(MODEL_URL)) $(if $(MODEL_SHA256),--sha256 $(MODEL_SHA256))

demo-model: build ## Write a tiny offline qwen2 GGUF to models/demo-model.gguf
	$(NEED_JDK)
	$(TOOLS) demo-model --output $(DEMO_MODEL)

bench-model: build ## Write a Qwen2.5-0.5B-shaped Q4_K_M GGUF (random weights: same cost, meaningless text)
	$(NEED_JDK)
	@[ -f "$(BENCH_MODEL)" ] || $(TOOLS) bench-model --output $(BENCH_MODEL)

bench: build ## Raw binding vs our server (vs llama-server with LLAMA_SERVER_BIN=...), ~9 min on 2 cores, ~13 with llama-server
	$(NEED_JDK)
	JAVA_HOME="$(JDK_HOME)" LLAMA_SERVER_BIN="$(LLAMA_SERVER_BIN)" BENCH_JVM_OPTS="$(JVM_OPTS)" bash scripts/bench.sh

llama-server: ## Build llama-server from the native engine's llama.cpp and flags, for `make bench LLAMA_SERVER_BIN=...`
	$(NEED_JDK)
	@JAVA_HOME="$(JDK_HOME)" bash scripts/build-llama-server.sh

soak: build ## Reliability run: 8 clients, 10% disconnects, SOAK_S seconds (default 600), SOAK_MODEL (default: the tiny fixture); report in target/soak
	$(NEED_JDK)
	$(TOOLS) soak $(if $(SOAK_MODEL),--model $(SOAK_MODEL))

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

native-cuda: ## Build the native engine with CUDA (NATIVE_FLAVOR=cuda; needs nvcc): see native/README.md
	$(NEED_JDK)
	JAVA_HOME="$(JDK_HOME)" NATIVE_FLAVOR=cuda bash scripts/build-native.sh

binding-cuda: ## Build the binding's libjllama with CUDA (java-llama.cpp v4.2.0) for ENGINE=binding: see native/README.md
	@[ -x native/build-cuda.sh ] || { echo "error: native/build-cuda.sh is missing; see native/README.md for the CUDA build" >&2; exit 1; }
	native/build-cuda.sh

clean: ## Remove build output
	$(NEED_JDK)
	$(MVN) clean
