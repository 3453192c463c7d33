module github.com/eventspec/eventspec

go 1.25

require (
	github.com/leanovate/gopter v0.2.11
	go.uber.org/goleak v1.3.0
	pgregory.net/rapid v1.3.0
)
