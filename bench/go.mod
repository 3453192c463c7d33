module github.com/eventspec/eventspec/bench

go 1.25.0

replace github.com/eventspec/eventspec => ../

require (
	github.com/ethereum/go-ethereum v1.17.10
	github.com/eventspec/eventspec v0.0.0-00010101000000-000000000000
	go.uber.org/goleak v1.3.0
)
