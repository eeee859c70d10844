# worker-llamacpp — `make run` serves a model, `make test` runs every test.
JAVA_HOME ?= /usr/lib/jvm/temurin-25-jdk-amd64
export JAVA_HOME
MVN ?= mvn -B -q
JAR := target/worker-llamacpp.jar

DEFAULT_MODEL := models/qwen2.5-0.5b-instruct-q4_k_m.gguf
DEMO_MODEL := models/demo-model.gguf
MODEL_PATH ?= $(DEFAULT_MODEL)
PORT ?= 8000

.PHONY: help build test run demo-model clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

build: $(JAR) ## Build target/worker-llamacpp.jar and target/libs/

$(JAR): pom.xml $(shell find src/main -type f)
	$(MVN) package -DskipTests

# Not quiet: Surefire's "Tests run:" summary is how CI knows tests ran.
test: ## Run unit and integration tests (real models, real HTTP)
	mvn -B --no-transfer-progress verify

demo-model: build ## Write a tiny offline qwen2 GGUF to models/demo-model.gguf
	$(JAVA_HOME)/bin/java -jar $(JAR) demo-model --output $(DEMO_MODEL)

# Serves MODEL_PATH. When the default model is absent (it needs a download), serve the offline
# demo model instead so that `make run` always works; see README "Getting the real model".
run: build ## Serve MODEL_PATH (default: Qwen2.5-0.5B-Instruct Q4_K_M) on PORT
	@model="$(MODEL_PATH)"; \
	if [ ! -f "$$model" ] && [ "$$model" = "$(DEFAULT_MODEL)" ]; then \
	  echo "note: $(DEFAULT_MODEL) is missing; serving the offline demo model (random weights) instead."; \
	  [ -f "$(DEMO_MODEL)" ] || $(JAVA_HOME)/bin/java -jar $(JAR) demo-model --output $(DEMO_MODEL); \
	  model="$(DEMO_MODEL)"; \
	fi; \
	exec env MODEL_PATH="$$model" PORT="$(PORT)" $(JAVA_HOME)/bin/java -XX:+UseSerialGC -jar $(JAR)

clean: ## Remove build output
	$(MVN) clean
