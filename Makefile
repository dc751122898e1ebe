# Tessera — `make run` starts the server with the demo catalogue, `make test`
# runs every test. Both work on a clean clone with Go installed.

GO          ?= go
BIN         := bin/tessera
DATA        ?= ./data
ADDR        ?= 127.0.0.1:8080
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(shell $(GO) env GOPATH)/bin/staticcheck
FUZZTIME    ?= 10s
BENCH_TRIPLES ?= 1000000

.PHONY: all build run test check fmt tidy vet staticcheck race fuzz bench bench-compare clean browser-test

all: build

build:
	$(GO) build -o $(BIN) ./cmd/tessera

## run: start `tessera serve` on the embedded store in $(DATA); the first run loads the demo catalogue.
run: build
	$(BIN) serve --data $(DATA) --addr $(ADDR) --demo

## test: every unit, behaviour and W3C conformance test.
test:
	$(GO) test -count=1 -timeout 20m ./...

## browser-test: the web pages in headless Chromium against bin/tessera serve --demo (needs chromium; .ci/browser-test installs it in CI). Screenshots in test-results/.
browser-test: build
	TESSERA_BROWSER=1 TESSERA_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -timeout 10m ./web/browsertest/... ./web/portal/...

## check: formatting, a tidy go.mod, vet, staticcheck and the race detector.
check: fmt tidy vet staticcheck race

## tidy: go.mod and go.sum list exactly the modules the code imports.
tidy:
	$(GO) mod tidy -diff

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

$(STATICCHECK):
	GOFLAGS= $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

staticcheck: $(STATICCHECK)
	$(STATICCHECK) ./...

race:
	$(GO) test -race -short -count=1 -timeout 30m ./...

## fuzz: run every fuzz target briefly (FUZZTIME each; minimising new inputs is capped at 1 s so a short run does not end mid-minimisation, which Go reports as "context deadline exceeded").
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for fn in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "== $$pkg $$fn"; \
	    GO="$(GO)" ./.ci/fuzz-one $$pkg $$fn $(FUZZTIME); \
	  done; \
	done

## bench: load-path figures (parse, load, RSS, disk, lookups) on a generated catalogue, the SPARQL
## query benchmark on the same catalogue (store cached under the OS temp dir), then the Go benchmarks
## (ontology: closure lookup and label search; SHACL: 10,000 EUCAIM dataset records).
bench:
	$(GO) run ./cmd/benchload -triples $(BENCH_TRIPLES)
	$(GO) run ./cmd/benchquery -triples $(BENCH_TRIPLES)
	$(GO) test -run='^$$' -bench=. -benchmem -benchtime=1x ./graph/... ./loaders/...
	$(GO) test -run='^$$' -bench='Descendants1000|Search' -benchmem ./ontology/
	$(GO) test -run='^$$' -bench='Validate10kDatasets' -benchtime=3x ./ontology/shacl/
	$(GO) test -run='^$$' -bench='Facets|Cohort|Search|Build' -benchtime=1s -timeout 30m ./schema/discovery/
	$(GO) test -run='^$$' -bench='GraphQL|Acceptance|DatasetList' -benchtime=1s -timeout 30m ./schema/

## bench-compare: the query benchmark's queries in Oxigraph (npm, WebAssembly) and Virtuoso 7 (apt, installed when missing) on the same data; needs node and npm.
BENCH_NQ ?= $(or $(TMPDIR),/tmp)/tessera-benchquery-$(BENCH_TRIPLES).nq
bench-compare:
	$(GO) run ./cmd/benchquery -triples $(BENCH_TRIPLES) -dump $(BENCH_NQ)
	cd cmd/benchquery/oxigraph && npm ci --no-audit --no-fund && node --max-old-space-size=8192 bench.mjs $(BENCH_NQ)
	cmd/benchquery/virtuoso/bench.sh -triples $(BENCH_TRIPLES) $(BENCH_NQ)
	$(GO) run ./cmd/benchquery -triples $(BENCH_TRIPLES)

clean:
	rm -rf bin
