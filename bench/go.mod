module github.com/eventspec/eventspec/bench

go 1.26.0

replace github.com/eventspec/eventspec => ../

require (
	github.com/ethereum/go-ethereum v1.17.10
	github.com/eventspec/eventspec v0.0.0-00010101000000-000000000000
	go.uber.org/goleak v1.3.0
	golang.org/x/tools v0.49.0
)

require (
	github.com/aclements/go-moremath v0.0.0-20210112150236-f10218a38794 // indirect
	golang.org/x/mod v0.39.0 // indirect
	golang.org/x/perf v0.0.0-20260908200009-22c9c6c9d4da // indirect
	golang.org/x/sync v0.22.0 // indirect
)

tool golang.org/x/perf/cmd/benchstat
