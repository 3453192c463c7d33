package main

import (
	"bytes"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const sample = `goos: linux
BenchmarkSendReady/kind=FeedOf-int/n=10/impl=eventspec-2   	1000	 110.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkSendReady/kind=FeedOf-int/n=10/impl=eventspec-2   	1000	 130.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkSendReady/kind=FeedOf-int/n=10/impl=eventspec-2   	1000	 120.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkSendReady/kind=FeedOf-int/n=10/impl=geth-2        	1000	 200.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkSendReady/kind=FeedOf-int/n=10/impl=floor-2       	1000	 100.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkSendReady/kind=FeedOf-int/n=1/impl=eventspec-2    	1000	 15.0 ns/op	 0 B/op	 1 allocs/op
BenchmarkSendReady/kind=FeedOf-int/n=1/impl=floor-2        	1000	 10.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkUnsubscribeBlocked/kind=FeedOf-int/n=10000/impl=eventspec-2 	10	 5000 ns/op	 100.0 unsub-ns/op	 0 B/op	 0 allocs/op
PASS
`

func TestMedianAndVerdicts(t *testing.T) {
	tb := &table{rows: map[string]samples{}}
	if err := tb.parse(strings.NewReader(sample)); err != nil {
		t.Fatal(err)
	}
	if got := tb.rows["SendReady/kind=FeedOf-int/n=10"].med(implES, "ns/op"); got != 120 {
		t.Fatalf("median %v, want 120", got)
	}
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Fatalf("even median %v, want 2.5", got)
	}
	var out bytes.Buffer
	pass, miss := tb.write(&out)
	// n=10: 1.20 <= 1.2 and 0 allocs: PASS; n=1: 1.5 > 1.4 and 1 alloc: MISS.
	if pass != 1 || miss != 1 {
		t.Fatalf("pass=%d miss=%d, want 1 and 1\n%s", pass, miss, out.String())
	}
	if !strings.Contains(out.String(), "| UnsubscribeBlocked/kind=FeedOf-int/n=10000 | unsub-ns/op |") {
		t.Fatalf("custom unit row missing:\n%s", out.String())
	}
}
