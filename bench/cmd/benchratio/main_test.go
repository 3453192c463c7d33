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

const contendedSample = `BenchmarkSendContended/kind=FeedOf-int/p=8/n=1/impl=eventspec-2 	 1000	 1000 ns/op	 2 over-p-ppm	 9 overtakes-max	 0 overtakes-p99	 1000000 sends/s	 5000000 wait-max-ns	 7000 wait-p50-ns	 30000 wait-p99-ns	 147 B/op	 2 allocs/op
BenchmarkSendContended/kind=FeedOf-int/p=8/n=1/impl=eventspec-2 	 1000	 1000 ns/op	 0 over-p-ppm	 3 overtakes-max	 0 overtakes-p99	 1000000 sends/s	 5000000 wait-max-ns	 7000 wait-p50-ns	 30000 wait-p99-ns	 147 B/op	 2 allocs/op
BenchmarkSendContended/kind=FeedOf-int/p=8/n=1/impl=eventspec-2 	 1000	 1000 ns/op	 0 over-p-ppm	 4 overtakes-max	 0 overtakes-p99	 1000000 sends/s	 5000000 wait-max-ns	 7000 wait-p50-ns	 30000 wait-p99-ns	 147 B/op	 2 allocs/op
BenchmarkSendContended/kind=FeedOf-int/p=8/n=1/impl=geth-2 	 1000	 1100 ns/op	 0 over-p-ppm	 5 overtakes-max	 0 overtakes-p99	 900000 sends/s	 5000000 wait-max-ns	 7000 wait-p50-ns	 40000 wait-p99-ns	 24 B/op	 1 allocs/op
BenchmarkSendContended/kind=FeedOf-int/p=2/n=10/impl=eventspec-2 	 1000	 1000 ns/op	 0 over-p-ppm	 1 overtakes-max	 0 overtakes-p99	 800000 sends/s	 5000000 wait-max-ns	 7000 wait-p50-ns	 20000 wait-p99-ns	 147 B/op	 2 allocs/op
BenchmarkSendContended/kind=FeedOf-int/p=2/n=10/impl=geth-2 	 1000	 1100 ns/op	 0 over-p-ppm	 5 overtakes-max	 0 overtakes-p99	 900000 sends/s	 5000000 wait-max-ns	 7000 wait-p50-ns	 40000 wait-p99-ns	 24 B/op	 1 allocs/op
`

func TestContendedTable(t *testing.T) {
	tb := &table{rows: map[string]samples{}}
	if err := tb.parse(strings.NewReader(contendedSample)); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if p, m := tb.write(&out); p+m != 0 || out.Len() != 0 {
		t.Fatalf("the ratio table took contended rows (%d PASS, %d MISS):\n%s", p, m, out.String())
	}
	pass, miss := tb.writeContended(&out)
	// p=8: worst 9 > 8 overtakes: MISS although wait and rate are better.
	// p=2: 1 <= 2 and wait better, but 800k < 900k sends/s: MISS.
	if pass != 0 || miss != 2 {
		t.Fatalf("pass=%d miss=%d, want 0 and 2\n%s", pass, miss, out.String())
	}
	for _, want := range []string{
		"| SendContended/kind=FeedOf-int/p=8/n=1 | eventspec | 3 | 1.00M (1.00M–1.00M) | 4 (3–9) |",
		"MISS (overtakes<=8 (worst 9))",
		"MISS (sends/s /geth 0.89>=1)",
		"| SendContended/kind=FeedOf-int/p=8/n=1 | geth | 1 | 900k | 5 |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("contended table lacks %q:\n%s", want, out.String())
		}
	}
	// Within the limits on every count it passes.
	tb.rows["SendContended/kind=FeedOf-int/p=8/n=1"][implES]["overtakes-max"] = []float64{3, 4, 8}
	out.Reset()
	if pass, miss := tb.writeContended(&out); pass != 1 || miss != 1 {
		t.Fatalf("pass=%d miss=%d, want 1 and 1\n%s", pass, miss, out.String())
	}
}
