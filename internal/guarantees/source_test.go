package guarantees

// Readers of the repository for the drift test and the generator: the doc
// comments of package event, the definitions of the spec modules and the
// names their configurations check, the invariant functions and actions of
// the model, and the test functions of each test package. Paths are
// relative to the repository root, two directories up.

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// root is the repository root, seen from this package's directory.
const root = "../.."

func path(parts ...string) string { return filepath.Join(append([]string{root}, parts...)...) }

// normSpace collapses every run of white space into one blank.
func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// docComments returns the doc comment of every exported identifier of
// package event, keyed "Name" or "Type.Method", white space collapsed.
func docComments(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	names, err := filepath.Glob(path("event", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/eventspec/eventspec/event")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	add := func(name, text string) { out[name] = normSpace(text) }
	for _, f := range pkg.Funcs {
		add(f.Name, f.Doc)
	}
	for _, v := range append(append([]*doc.Value(nil), pkg.Consts...), pkg.Vars...) {
		for _, n := range v.Names {
			add(n, v.Doc)
		}
	}
	for _, ty := range pkg.Types {
		add(ty.Name, ty.Doc)
		for _, f := range ty.Funcs {
			add(f.Name, f.Doc)
		}
		for _, m := range ty.Methods {
			add(ty.Name+"."+m.Name, m.Doc)
		}
		for _, v := range append(append([]*doc.Value(nil), ty.Consts...), ty.Vars...) {
			for _, n := range v.Names {
				add(n, v.Doc)
			}
		}
	}
	return out
}

// eventMethods returns the names of the exported methods of package event.
func eventMethods(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for name := range docComments(t) {
		if i := strings.IndexByte(name, '.'); i >= 0 {
			out[name[i+1:]] = true
		}
	}
	return out
}

// module is what the drift test needs of one spec module.
type module struct {
	name       string
	defs       map[string]bool   // every operator defined at the start of a line
	comments   map[string]string // the \* comment lines right above each definition, joined
	properties []string          // definitions without parameters after the separator, and TypeOK
	variables  bool              // it declares VARIABLES
	extends    []string
	includes   []string // modules it instantiates without a name (their definitions become its own)
	included   bool     // another module includes it so: a fragment, whose variables the includer types
}

var (
	defRE      = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_]*)\s*(\(([^)]*)\))?\s*==(.*)$`)
	sepRE      = regexp.MustCompile(`^-{4,}\s*$`)
	extendsRE  = regexp.MustCompile(`^EXTENDS\s+(.*)$`)
	includeRE  = regexp.MustCompile(`^INSTANCE\s+([A-Za-z][A-Za-z0-9_]*)`)
	variableRE = regexp.MustCompile(`^VARIABLES?\b`)
)

// readModule parses spec/NAME.tla (or spec/mutants/NAME.tla) line by line.
func readModule(t *testing.T, dir, name string) *module {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name+".tla"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := &module{name: name, defs: map[string]bool{}, comments: map[string]string{}}
	sep := false
	var comment []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if c, ok := strings.CutPrefix(line, `\*`); ok {
			comment = append(comment, c)
			continue
		}
		above := strings.Join(comment, " ")
		comment = nil
		switch {
		case sepRE.MatchString(line):
			sep = true
		case variableRE.MatchString(line):
			m.variables = true
		case extendsRE.MatchString(line):
			for _, e := range strings.Split(extendsRE.FindStringSubmatch(line)[1], ",") {
				m.extends = append(m.extends, strings.TrimSpace(e))
			}
		case includeRE.MatchString(line):
			m.includes = append(m.includes, includeRE.FindStringSubmatch(line)[1])
		}
		d := defRE.FindStringSubmatch(line)
		if d == nil {
			continue
		}
		m.defs[d[1]] = true
		m.comments[d[1]] = normSpace(above)
		instance := strings.HasPrefix(strings.TrimSpace(d[4]), "INSTANCE")
		if d[1] == "TypeOK" || sep && d[2] == "" && !instance {
			m.properties = append(m.properties, d[1])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// isTraceSpec reports whether a module or configuration of spec/ is a trace
// spec: replay machinery that spec/trace.sh runs on recorded traces, with no
// property of its own.
func isTraceSpec(base string) bool { return strings.HasPrefix(base, "Trace") }

// specModules returns every module of spec/ by name, trace specs aside.
func specModules(t *testing.T) map[string]*module {
	t.Helper()
	names, err := filepath.Glob(path("spec", "*.tla"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*module{}
	for _, n := range names {
		if isTraceSpec(filepath.Base(n)) {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(n), ".tla")
		out[name] = readModule(t, path("spec"), name)
	}
	// An unnamed INSTANCE makes the included module's definitions the
	// includer's own (its properties stay its own).
	for _, m := range out {
		for _, inc := range m.includes {
			f, ok := out[inc]
			if !ok {
				continue
			}
			f.included = true
			for d := range f.defs {
				m.defs[d] = true
			}
		}
	}
	return out
}

// closure returns name and every module it extends, directly or not, that
// is a module of spec/.
func closure(mods map[string]*module, name string) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(string)
	walk = func(n string) {
		m, ok := mods[n]
		if !ok || seen[n] {
			return
		}
		seen[n] = true
		out = append(out, n)
		for _, e := range m.extends {
			walk(e)
		}
	}
	walk(name)
	return out
}

// config is a model-checking configuration: its file, its module, and the
// invariants and (temporal) properties it checks.
type config struct {
	file, module string
	names        []string
	temporal     map[string]bool
}

var cfgKeywordRE = regexp.MustCompile(`^(INVARIANTS?|PROPERTY|PROPERTIES|CONSTANTS?|SPECIFICATION|INIT|NEXT|CHECK_DEADLOCK|SYMMETRY|VIEW|CONSTRAINTS?|ACTION_CONSTRAINTS?|POSTCONDITION|ALIAS)\b(.*)$`)

// readConfig returns the INVARIANT and PROPERTY names of a .cfg file, and
// which of them are PROPERTY names.
func readConfig(t *testing.T, file string) (names []string, temporal map[string]bool) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	temporal = map[string]bool{}
	collect, prop := false, false
	for _, line := range strings.Split(string(data), "\n") {
		if i := strings.Index(line, `\*`); i >= 0 {
			line = line[:i]
		}
		if m := cfgKeywordRE.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			prop = strings.HasPrefix(m[1], "PROPERT")
			collect = prop || strings.HasPrefix(m[1], "INVARIANT")
			line = m[2]
		}
		if collect {
			for _, n := range strings.Fields(line) {
				names = append(names, n)
				temporal[n] = temporal[n] || prop
			}
		}
	}
	return names, temporal
}

// specConfigs returns the configurations of spec/ that expected-states.txt
// pins, with the module each is checked against.
func specConfigs(t *testing.T) []config {
	t.Helper()
	data, err := os.ReadFile(path("spec", "expected-states.txt"))
	if err != nil {
		t.Fatal(err)
	}
	pinned := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && !strings.HasPrefix(f[0], "#") {
			pinned[f[1]] = f[2]
		}
	}
	names, err := filepath.Glob(path("spec", "*.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	var out []config
	for _, n := range names {
		base := filepath.Base(n)
		if isTraceSpec(base) {
			continue
		}
		mod, ok := pinned[base]
		if !ok {
			t.Errorf("spec/%s is not pinned in spec/expected-states.txt, so no run checks it", base)
			continue
		}
		names, temporal := readConfig(t, n)
		out = append(out, config{file: base, module: mod, names: names, temporal: temporal})
	}
	return out
}

// mutant is a spec mutant: its configuration, the module it mutates and the
// property TLC must find violated ("" for a deadlock).
type mutant struct {
	name, module, property string
}

var (
	mutModuleRE = regexp.MustCompile(`^\\\* module:\s*([A-Za-z0-9_]+)`)
	mutExpectRE = regexp.MustCompile(`^\\\* expect:\s*[0-9]+\s*([A-Za-z0-9_]*)`)
)

// specMutants returns the spec mutants of spec/mutants/; a mutant's module
// is the module of spec/ that defines its property, among those its
// mutation module extends.
func specMutants(t *testing.T, mods map[string]*module) []mutant {
	t.Helper()
	names, err := filepath.Glob(path("spec", "mutants", "*.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	extends := map[string][]string{}
	var out []mutant
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		m := mutant{name: strings.TrimSuffix(filepath.Base(n), ".cfg")}
		for _, line := range strings.Split(string(data), "\n") {
			if s := mutModuleRE.FindStringSubmatch(line); s != nil {
				m.module = s[1]
			}
			if s := mutExpectRE.FindStringSubmatch(line); s != nil {
				m.property = s[1]
			}
		}
		if _, ok := extends[m.module]; !ok && m.module != "" {
			extends[m.module] = readModule(t, path("spec", "mutants"), m.module).extends
		}
		for _, base := range extends[m.module] {
			for _, mod := range closure(mods, base) {
				if mods[mod].defs[m.property] {
					m.module = mod
					break
				}
			}
		}
		out = append(out, m)
	}
	return out
}

// modelFile is one parsed non-test file of model/.
type modelFile struct {
	name string
	file *ast.File
}

func modelFiles(t *testing.T) []modelFile {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob(path("model", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []modelFile
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, modelFile{filepath.Base(n), f})
	}
	return out
}

// stateTypes returns the model state types (the values of StateOf).
func stateTypes() map[string]bool {
	out := map[string]bool{}
	for _, s := range StateOf {
		out[s] = true
	}
	return out
}

// invariant is an invariant function of model/: the states it admits, and
// the identifiers its body uses (for the aggregates).
type invariant struct {
	file   string
	states []string
	uses   map[string]bool
}

// modelInvariants returns every exported function of a model/*_invariants.go
// file that takes one model state and returns error.
func modelInvariants(t *testing.T) map[string]invariant {
	t.Helper()
	states := stateTypes()
	out := map[string]invariant{}
	for _, mf := range modelFiles(t) {
		if !strings.HasSuffix(mf.name, "_invariants.go") {
			continue
		}
		for _, d := range mf.file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !fd.Name.IsExported() {
				continue
			}
			ft := fd.Type
			if ft.Params.NumFields() != 1 || ft.Results.NumFields() != 1 {
				continue
			}
			if id, ok := ft.Results.List[0].Type.(*ast.Ident); !ok || id.Name != "error" {
				continue
			}
			admitted := admittedStates(ft)
			var ss []string
			for _, s := range admitted {
				if states[s] {
					ss = append(ss, s)
				}
			}
			if len(ss) == 0 {
				continue
			}
			uses := map[string]bool{}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					uses[id.Name] = true
				}
				return true
			})
			out[fd.Name.Name] = invariant{file: mf.name, states: ss, uses: uses}
		}
	}
	return out
}

// admittedStates returns the type names *T that a one-parameter function
// accepts: its parameter's type, or the union its type parameter is
// constrained to.
func admittedStates(ft *ast.FuncType) []string {
	param := ft.Params.List[0].Type
	if id, ok := param.(*ast.Ident); ok && ft.TypeParams != nil {
		for _, tp := range ft.TypeParams.List {
			for _, n := range tp.Names {
				if n.Name == id.Name {
					return unionNames(tp.Type)
				}
			}
		}
	}
	return unionNames(param)
}

func unionNames(e ast.Expr) []string {
	switch e := e.(type) {
	case *ast.BinaryExpr:
		return append(unionNames(e.X), unionNames(e.Y)...)
	case *ast.StarExpr:
		if id, ok := e.X.(*ast.Ident); ok {
			return []string{id.Name}
		}
	}
	return nil
}

// action is an exported method of a model state type outside the
// invariant files.
type action struct {
	typ, name string
	doc       string
}

func modelActions(t *testing.T) []action {
	t.Helper()
	states := stateTypes()
	var out []action
	for _, mf := range modelFiles(t) {
		if strings.HasSuffix(mf.name, "_invariants.go") {
			continue
		}
		for _, d := range mf.file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || !fd.Name.IsExported() {
				continue
			}
			star, ok := fd.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			id, ok := star.X.(*ast.Ident)
			if !ok || !states[id.Name] {
				continue
			}
			out = append(out, action{typ: id.Name, name: fd.Name.Name, doc: fd.Doc.Text()})
		}
	}
	return out
}

// testNames returns the top-level Test and Example functions of the
// *_test.go files of dir.
func testNames(t *testing.T, dir string) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob(path(dir, "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, n := range names {
		f, err := parser.ParseFile(fset, n, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil &&
				(strings.HasPrefix(fd.Name.Name, "Test") || strings.HasPrefix(fd.Name.Name, "Example")) {
				out[fd.Name.Name] = true
			}
		}
	}
	return out
}

// sorted returns the keys of m in order.
func sorted[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// rowID names a row in messages.
func rowID(g Guarantee) string { return fmt.Sprintf("%s (%s)", g.Name, g.Module) }
