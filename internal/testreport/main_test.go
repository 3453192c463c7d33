package main

import (
	"bytes"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// stream is a go test -json run of two packages: a passes with a stress line
// logged, b has one passing and one failing test (with a failing subtest),
// and c has no test files.
const stream = `{"Action":"start","Package":"ex/a"}
{"Action":"run","Package":"ex/a","Test":"TestOne"}
{"Action":"output","Package":"ex/a","Test":"TestOne","Output":"=== RUN   TestOne\n"}
{"Action":"output","Package":"ex/a","Test":"TestOne","Output":"    h.go:1: STRESS TestOne gomaxprocs=2 seed=7 ops=5000 elapsed=1s ops/s=4999 stopped-by=ops\n"}
{"Action":"output","Package":"ex/a","Test":"TestOne","Output":"--- PASS: TestOne (1.00s)\n"}
{"Action":"pass","Package":"ex/a","Test":"TestOne","Elapsed":1}
{"Action":"run","Package":"ex/a","Test":"TestSkipped"}
{"Action":"skip","Package":"ex/a","Test":"TestSkipped"}
{"Action":"output","Package":"ex/a","Output":"PASS\n"}
{"Action":"output","Package":"ex/a","Output":"ok  \tex/a\t1.2s\n"}
{"Action":"pass","Package":"ex/a","Elapsed":1.2}
{"Action":"run","Package":"ex/b","Test":"TestGood"}
{"Action":"output","Package":"ex/b","Test":"TestGood","Output":"    good_test.go:3: quiet log of a passing test\n"}
{"Action":"pass","Package":"ex/b","Test":"TestGood"}
{"Action":"run","Package":"ex/b","Test":"TestBad"}
{"Action":"run","Package":"ex/b","Test":"TestBad/sub"}
{"Action":"output","Package":"ex/b","Test":"TestBad/sub","Output":"    bad_test.go:9: want 1, got 2\n"}
{"Action":"output","Package":"ex/b","Test":"TestBad/sub","Output":"    --- FAIL: TestBad/sub (0.00s)\n"}
{"Action":"fail","Package":"ex/b","Test":"TestBad/sub"}
{"Action":"output","Package":"ex/b","Test":"TestBad","Output":"--- FAIL: TestBad (0.00s)\n"}
{"Action":"fail","Package":"ex/b","Test":"TestBad"}
{"Action":"output","Package":"ex/b","Output":"FAIL\n"}
{"Action":"output","Package":"ex/b","Output":"FAIL\tex/b\t0.3s\n"}
{"Action":"fail","Package":"ex/b","Elapsed":0.3}
{"Action":"output","Package":"ex/c","Output":"?   \tex/c\t[no test files]\n"}
{"Action":"skip","Package":"ex/c"}
`

func TestReportFailingRun(t *testing.T) {
	var out, sum bytes.Buffer
	code := run(strings.NewReader(stream), &out, &sum)
	if code != 1 {
		t.Errorf("exit code %d, want 1 for a run with a failing test", code)
	}
	got := out.String()
	for _, want := range []string{"ok  \tex/a\t1.2s\n", "bad_test.go:9: want 1, got 2", "--- FAIL: TestBad", "FAIL\tex/b\t0.3s\n", "[no test files]"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"quiet log of a passing test", "STRESS", "=== RUN", "PASS\n"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("output shows %q, which plain go test hides:\n%s", unwanted, got)
		}
	}
	wantSum := "gotest\tex/a\t2\t1\t0\t1\t0\t1.2\tok\n" +
		"gotest\tex/b\t2\t1\t1\t0\t1\t0.3\tFAIL\n" +
		"gotest\tex/c\t0\t0\t0\t0\t0\t0.0\tSKIP\n" +
		"stress\tex/a\tTestOne\t5000\t4999\n"
	if sum.String() != wantSum {
		t.Errorf("summary:\n%s\nwant:\n%s", sum.String(), wantSum)
	}
}

func TestReportPassingRun(t *testing.T) {
	var out, sum bytes.Buffer
	passing := strings.Join(strings.Split(stream, "\n")[:11], "\n")
	if code := run(strings.NewReader(passing), &out, &sum); code != 0 {
		t.Errorf("exit code %d, want 0; output:\n%s", code, out.String())
	}
}

// A test binary that dies mid-test (panic, timeout) never reports the test's
// end: its output must still be shown and the package counted as failed.
func TestReportUnfinishedTest(t *testing.T) {
	var out, sum bytes.Buffer
	s := `{"Action":"run","Package":"ex/d","Test":"TestHang"}
{"Action":"output","Package":"ex/d","Test":"TestHang","Output":"panic: test timed out after 1s\n"}
`
	if code := run(strings.NewReader(s), &out, &sum); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if !strings.Contains(out.String(), "panic: test timed out") {
		t.Errorf("the unfinished test's output is not shown:\n%s", out.String())
	}
	if !strings.Contains(sum.String(), "gotest\tex/d\t1\t0\t0\t0\t0\t0.0\tFAIL") {
		t.Errorf("summary: %q", sum.String())
	}
}

func TestReportEmptyInput(t *testing.T) {
	var out bytes.Buffer
	if code := run(strings.NewReader(""), &out, nil); code != 1 {
		t.Errorf("exit code %d for no input, want 1", code)
	}
}

func TestReportBuildFailure(t *testing.T) {
	var out bytes.Buffer
	s := `{"ImportPath":"ex/e","Action":"build-output","Output":"# ex/e\n"}
{"ImportPath":"ex/e","Action":"build-output","Output":"e.go:1:1: undefined: x\n"}
{"ImportPath":"ex/e","Action":"build-fail"}
{"Action":"output","Package":"ex/e","Output":"FAIL\tex/e [build failed]\n"}
{"Action":"fail","Package":"ex/e"}
`
	if code := run(strings.NewReader(s), &out, nil); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if !strings.Contains(out.String(), "undefined: x") || !strings.Contains(out.String(), "[build failed]") {
		t.Errorf("build errors not shown:\n%s", out.String())
	}
}
