package apicheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"go.uber.org/goleak"
	"golang.org/x/tools/go/packages"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	upstreamPath    = "github.com/ethereum/go-ethereum/event"
	replacementPath = "github.com/eventspec/eventspec/event"
)

// TestDropIn: every exported identifier of go-ethereum's event package, at
// the version bench/go.mod pins, exists in eventspec's event package with an
// identical signature, so that changing the import path is all a user of
// go-ethereum's package has to do. Identifiers found only here are listed.
func TestDropIn(t *testing.T) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedModule}
	pkgs, err := packages.Load(cfg, upstreamPath, replacementPath)
	if err != nil {
		t.Fatalf("loading the packages: %v", err)
	}
	byPath := map[string]*types.Package{}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			t.Errorf("%s: %v", p.PkgPath, e)
		}
		byPath[p.PkgPath] = p.Types
	}
	up, here := byPath[upstreamPath], byPath[replacementPath]
	if t.Failed() || up == nil || here == nil {
		t.Fatalf("could not load both packages (got %v)", byPath)
	}
	if gethVersion := moduleVersion(pkgs, upstreamPath); gethVersion != "" {
		t.Logf("upstream: %s %s", upstreamPath, gethVersion)
	}

	r := Compare(up, here)
	if testing.Verbose() { // the proof, in `make apicheck`; noise next to a failure
		for _, m := range r.Matched {
			t.Logf("identical: %s", m)
		}
	}
	for _, m := range r.OnlyHere {
		t.Logf("only in eventspec: %s", m)
	}
	for _, p := range r.Problems {
		t.Errorf("not a drop-in replacement: %s", p)
	}
	t.Logf("%d upstream identifiers identical here (%s), %d not, %d only in eventspec",
		len(r.Matched), counts(r.Counts), len(r.Problems), len(r.OnlyHere))
	// A load that silently found nothing must not pass.
	if r.Counts["type"] == 0 || r.Counts["method"] == 0 || r.Counts["func"] == 0 {
		t.Errorf("compared too little: %v", r.Counts)
	}
}

func moduleVersion(pkgs []*packages.Package, path string) string {
	for _, p := range pkgs {
		if p.PkgPath == path && p.Module != nil {
			return p.Module.Version
		}
	}
	return ""
}

func counts(m map[string]int) string {
	var parts []string
	for _, k := range []string{"type", "method", "field", "func", "var", "const"} {
		if m[k] > 0 {
			parts = append(parts, pluralize(m[k], k))
		}
	}
	return strings.Join(parts, ", ")
}

func pluralize(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// base is a small upstream package for TestCompareDetects; every case
// below edits one line of it and must be reported.
const base = `package p

type Sub interface {
	Unsubscribe()
	Err() <-chan error
}

type Feed struct {
	Name string
	n    int
}

func (f *Feed) Send(v any) int           { return 0 }
func (f *Feed) Subscribe(ch any) Sub      { return nil }
func (f Feed) Len() int                   { return f.n }

type FeedOf[T any] struct{ x []T }

func (f *FeedOf[T]) Send(v T) int          { return 0 }
func (f *FeedOf[T]) Subscribe(ch chan<- T) Sub { return nil }

type Func func(quit <-chan struct{}) error

func New(f Func) Sub             { return nil }
func Join(subs ...Sub) Sub       { return nil }

var ErrClosed error

const Version = 1
`

func check(t *testing.T, name, src string) *types.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name+".go", src, 0)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	pkg, err := new(types.Config).Check(name, fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return pkg
}

// TestCompareDetects: Compare reports each kind of incompatible change, and
// reports nothing for a package identical but for its import path and an
// added identifier.
func TestCompareDetects(t *testing.T) {
	up := check(t, "upstream/p", base)

	same := Compare(up, check(t, "here/p", base+"\nfunc Extra() {}\nfunc (f *Feed) SendContext() {}\n"))
	if len(same.Problems) != 0 {
		t.Errorf("identical package reported: %q", same.Problems)
	}
	if want := []string{"func Extra: func()", "method (*Feed).SendContext: func()"}; strings.Join(same.OnlyHere, "|") != strings.Join(want, "|") {
		t.Errorf("only-here identifiers: got %q, want %q", same.OnlyHere, want)
	}
	if got := len(same.Matched); got != 14 {
		t.Errorf("identical package: %d identifiers matched, want 14: %q", got, same.Matched)
	}

	cases := []struct {
		name, old, new, want string
	}{
		{"renamed method", "func (f *Feed) Send(v any) int", "func (f *Feed) Sendd(v any) int", "method (*Feed).Send: missing"},
		{"result type", "func (f *Feed) Send(v any) int", "func (f *Feed) Send(v any) int64", "method (*Feed).Send: upstream func(v any) int, here func(v any) int64"},
		{"pointer receiver", "func (f Feed) Len() int", "func (f *Feed) Len() int", "method Feed.Len: value receiver upstream, pointer receiver here"},
		{"channel direction", "Subscribe(ch chan<- T) Sub", "Subscribe(ch chan T) Sub", "method (*FeedOf).Subscribe"},
		{"type parameter constraint", "type FeedOf[T any]", "type FeedOf[T comparable]", "type FeedOf: type parameters differ"},
		{"variadic", "Join(subs ...Sub)", "Join(subs []Sub)", "func Join"},
		{"named func type", "type Func func(quit <-chan struct{}) error", "type Func func(quit chan struct{}) error", "type Func"},
		{"param named type", "func New(f Func) Sub", "func New(f func(<-chan struct{}) error) Sub", "func New"},
		{"interface method added", "\tErr() <-chan error\n", "\tErr() <-chan error\n\tX()\n", "type Sub"},
		{"field type", "\tName string", "\tName []byte", "field Feed.Name"},
		{"field removed", "\tName string\n", "", "field Feed.Name: missing"},
		{"var type", "var ErrClosed error", "var ErrClosed string", "var ErrClosed"},
		{"var to func", "var ErrClosed error", "func ErrClosed() error { return nil }", "ErrClosed: a var upstream, a func here"},
		{"const value", "const Version = 1", "const Version = 2", "const Version"},
		{"alias", "type Func func(", "type Func = func(", "type Func: alias upstream false"},
		{"missing func", "func Join(subs ...Sub) Sub       { return nil }", "", "func Join: missing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("case does not apply: %q not in the base package", tc.old)
			}
			r := Compare(up, check(t, "here/p", strings.Replace(base, tc.old, tc.new, 1)))
			found := false
			for _, p := range r.Problems {
				found = found || strings.Contains(p, tc.want)
			}
			if !found {
				t.Errorf("no problem containing %q; got %q", tc.want, r.Problems)
			}
		})
	}
}
