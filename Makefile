# eventspec — see README.md. `make verify` is the main job, `make test` the tests.
SHELL := /bin/bash
GO    ?= go

# TLC: $(TLA2TOOLS_JAR), else ~/.cache/tla/tla2tools.jar, else (with internet)
# the pinned release that spec/tlc.sh downloads and checks by SHA-256.
TLA2TOOLS_JAR ?= $(HOME)/.cache/tla/tla2tools.jar
export TLA2TOOLS_JAR

# Long-run settings (make proptest-long, make stress); CI uses the defaults.
PROPTEST_LONG_FLAGS ?= -rapid.checks=5000 -rapid.steps=60 -gopter.checks=5000 -proptest.budget=10m
STRESS_LONG_FLAGS   ?= -stress.duration=10s -stress.ops=1000000000

.PHONY: verify test fmt-check vet gotest tlc tlc-deep trace trace-long proptest-long stress bench bench-smoke mutants gremlins

## verify: TLC on every spec configuration and mutant (SKIP without a jar), then everything `test` runs.
verify:
	@set -o pipefail; status=0; tlc="SKIP (no TLC jar: see README)"; trace=$$tlc; \
	if bash spec/tlc.sh --get-jar; then \
	  if $(MAKE) --no-print-directory tlc; then tlc=PASS; else tlc=FAIL; status=1; fi; \
	  if $(MAKE) --no-print-directory trace; then trace=PASS; else trace=FAIL; status=1; fi; \
	else echo "SKIP: TLC (no tla2tools.jar at TLA2TOOLS_JAR or ~/.cache/tla, and the pinned release could not be downloaded)"; fi; \
	if $(MAKE) --no-print-directory test; then gotest=PASS; else gotest=FAIL; status=1; fi; \
	echo; echo "== make verify summary =="; \
	echo "TLC (spec/, configs and spec mutants):   $$tlc"; \
	echo "Trace validation (spec/trace.sh):        $$trace"; \
	echo "gofmt, go vet, go test -race ./... (event, model, proptest, stress; goleak): $$gotest"; \
	exit $$status

## test: gofmt check, go vet, go test -race over all packages of the main module.
test: fmt-check vet gotest

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

gotest:
	$(GO) test -race -count=1 -timeout 15m ./...

## tlc: every spec/MC*.cfg with pinned state counts, then every spec mutant.
tlc:
	bash spec/tlc.sh

## tlc-deep: the larger configuration, for occasional use.
tlc-deep:
	bash spec/tlc.sh deep

## trace: trace validation: seeded runs of the engines (build tag eventtrace) replayed by TLC in the spec.
trace:
	bash spec/trace.sh

## trace-long: more seeds (TRACE_SEEDS per engine, from TRACE_SEED0; the seeds are printed).
TRACE_SEEDS ?= 5000
trace-long:
	TRACE_SEEDS=$(TRACE_SEEDS) TRACE_SEED0=$${TRACE_SEED0:-$$(date +%s)} bash spec/trace.sh

## proptest-long: the property tests with at least 50x the default checks.
proptest-long:
	$(GO) test -race -count=1 -timeout 60m -v -run . ./proptest/... -args $(PROPTEST_LONG_FLAGS)

## stress: the race stress suites, long, at GOMAXPROCS 1, 2 and 4.
stress:
	$(GO) test -race -count=1 -cpu 1,2,4 -timeout 60m -v ./stress/... -args $(STRESS_LONG_FLAGS)

## bench: this package vs go-ethereum vs the raw-channel floor (bench/ is a nested module).
bench:
	bash bench/run.sh

bench-smoke:
	cd bench && $(GO) vet ./... && $(GO) test -count=1 -run . -bench . -benchtime 1x ./...

## mutants: seeded defects against every suite (not part of test; see CI.md).
mutants:
	bash mutants/run.sh

gremlins:
	bash mutants/gremlins.sh
