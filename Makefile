# eventspec — see README.md. `make verify` is the main job, `make test` the tests.
SHELL := /bin/bash
GO    ?= go

# TLC: spec/tlc.sh finds the jar (TLA2TOOLS_JAR, ~/.cache/tla/tla2tools.jar,
# ../shared/tla/tla2tools.jar, else the pinned v1.7.4 download checked by
# SHA-256) and the v1.7.4 compatibility jar (TLA2TOOLS_JAR_COMPAT, ...).
# Set those variables in the environment or on the command line to override.

# staticcheck 2026.1 (honnef.co/go/tools v0.7.0): supports Go 1.25 and 1.26;
# run through `go run`, nothing to install.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.7.0

GOTEST_FLAGS ?= -race -count=1 -timeout 15m
export GOTEST_FLAGS

# Long-run settings (make proptest-long, make stress); CI uses the defaults.
PROPTEST_LONG_FLAGS ?= -rapid.checks=5000 -rapid.steps=60 -gopter.checks=5000 -proptest.budget=10m
STRESS_LONG_FLAGS   ?= -stress.duration=10s -stress.ops=1000000000

.PHONY: verify test fmt-check vet gotest lint apicheck tlc tlc-compat tlc-deep tlc-distributed \
	trace trace-long proptest-long stress bench bench-smoke mutants gremlins

## verify: TLC on every spec configuration and mutant with v1.8.0 and v1.7.4 (a SKIP line for
## a missing jar), staticcheck, gofmt, go vet, go test -race; ends with the summary table.
verify:
	@bash tools/verify.sh

## test: gofmt check, go vet, go test -race over all packages of the main module.
test: fmt-check vet gotest

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

gotest:
	$(GO) test $(GOTEST_FLAGS) ./...

## lint: staticcheck on the main module and on bench/.
lint:
	@$(GO) run $(STATICCHECK) -version
	$(GO) run $(STATICCHECK) ./...
	cd bench && $(GO) run $(STATICCHECK) ./...

## apicheck: every exported identifier of go-ethereum's event package exists here with an
## identical signature (bench/apicheck, needs Go 1.26); lists the identifiers found only here.
apicheck:
	cd bench && $(GO) test -count=1 -v -run 'TestDropIn|TestCompareDetects' ./apicheck

## tlc: every spec/MC*.cfg with pinned state counts, then every spec mutant.
tlc:
	bash spec/tlc.sh

## tlc-compat: the same with the v1.7.4 jar.
tlc-compat:
	bash spec/tlc.sh --compat

## tlc-deep: the larger configuration, for occasional use.
tlc-deep:
	bash spec/tlc.sh deep

## tlc-distributed: the deep configuration with distributed TLC (v1.7.4 jar): one TLCServer
## and TLC_DIST_WORKERS (2) TLCWorkers on this machine; see spec/tlc.sh for the variables.
tlc-distributed:
	bash spec/tlc.sh distributed

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

## bench-smoke: go vet on bench/ and every benchmark once (the API check runs in apicheck).
bench-smoke:
	cd bench && $(GO) vet ./... && $(GO) test -count=1 -run . -bench . -benchtime 1x . ./cmd/...

## mutants: seeded defects against every suite (not part of test; see CI.md).
mutants:
	bash mutants/run.sh

gremlins:
	bash mutants/gremlins.sh
