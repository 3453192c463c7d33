package guarantees

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestRows checks each row against the code it names: the sentence in the
// doc comment, the property in its modules, the model function for the
// module's state, and the tests.
func TestRows(t *testing.T) {
	src := rowSources{
		docs: docComments(t),
		mods: specModules(t),
		invs: modelInvariants(t),
		tests: map[string]map[string]bool{
			"event":    testNames(t, "event"),
			"model":    testNames(t, "model"),
			"proptest": testNames(t, "proptest"),
			"stress":   testNames(t, "stress"),
		},
	}
	seen := map[string]bool{}
	for _, g := range Rows {
		t.Run(g.Module+"."+g.Name, func(t *testing.T) {
			key := g.Module + "." + g.Name
			if seen[key] {
				t.Errorf("%s: a second row for the same module and property", rowID(g))
			}
			seen[key] = true
			src.checkDoc(t, g)
			src.checkModel(t, g)
			src.checkTests(t, g)
			// The spec property and the sentences its comment quotes, last:
			// a pending one skips the subtest.
			if skip := src.checkSpec(t, g); len(skip) > 0 {
				t.Skipf("pending: %s", strings.Join(skip, "; "))
			}
		})
	}
	checkPendingKeys(t, seen)
}

// rowSources is what TestRows reads once and checks every row against.
type rowSources struct {
	docs  map[string]string // doc comment per exported identifier of package event
	mods  map[string]*module
	invs  map[string]invariant
	tests map[string]map[string]bool // test funcs per directory
}

// checkDoc checks that the doc comment of g.Doc holds g.Sentence word for
// word.
func (src rowSources) checkDoc(t *testing.T, g Guarantee) {
	switch {
	case g.Doc == "" && g.Sentence == "" && g.Name == "TypeOK":
	case g.Doc == "" || g.Sentence == "":
		t.Errorf("%s: the row needs both Doc and Sentence (only a TypeOK row may have neither)", rowID(g))
	default:
		text, ok := src.docs[g.Doc]
		if !ok {
			t.Errorf("%s: Doc %s is not an exported identifier of package event", rowID(g), g.Doc)
		} else if !strings.Contains(text, normSpace(g.Sentence)) {
			t.Errorf("%s: the doc comment of %s does not contain, word for word, %q", rowID(g), g.Doc, g.Sentence)
		}
	}
}

// checkModel checks that model/ has the invariant function g.Name, for the
// model state of g's module.
func (src rowSources) checkModel(t *testing.T, g Guarantee) {
	state, ok := StateOf[g.Module]
	if !ok {
		t.Errorf("%s: module %s has no model state in StateOf", rowID(g), g.Module)
	}
	if inv, ok := src.invs[g.Name]; !ok {
		t.Errorf("%s: model/ has no invariant function %s (an exported func in a *_invariants.go file taking a model state and returning error)", rowID(g), g.Name)
	} else if state != "" && !slices.Contains(inv.states, state) {
		t.Errorf("%s: model function %s (%s) takes %v, not *%s", rowID(g), g.Name, inv.file, inv.states, state)
	}
}

// checkTests checks that every test g lists exists, that there is one, and
// that one carries the name g.Name.
func (src rowSources) checkTests(t *testing.T, g Guarantee) {
	all := 0
	named := false
	for _, c := range []struct {
		dir   string
		names []string
	}{{"event", g.Unit}, {"model", g.Model}, {"proptest", g.Property}, {"stress", g.Stress}} {
		for _, n := range c.names {
			all++
			named = named || strings.Contains(n, g.Name)
			if !src.tests[c.dir][n] {
				t.Errorf("%s: no func %s in %s/*_test.go", rowID(g), n, c.dir)
			}
		}
	}
	if len(g.Trace) > 0 {
		t.Errorf("%s: trace tests are listed, but no trace suite exists yet to look them up in", rowID(g))
	}
	if all == 0 {
		t.Errorf("%s: no tests listed", rowID(g))
	} else if !named {
		t.Errorf("%s: none of the tests listed carries the name %s", rowID(g), g.Name)
	}
}

// checkSpec checks that g's module and every module in g.Also define the
// property g.Name and that the comment above it in g's module quotes g's
// doc comment; it returns why the pending ones are skipped.
func (src rowSources) checkSpec(t *testing.T, g Guarantee) (skip []string) {
	for _, mod := range append([]string{g.Module}, g.Also...) {
		m, ok := src.mods[mod]
		if !ok {
			t.Errorf("%s: no spec module spec/%s.tla", rowID(g), mod)
			continue
		}
		key := mod + "." + g.Name
		reason, pending := Pending["property "+key]
		switch {
		case m.defs[g.Name] && pending:
			t.Errorf("%s: spec/%s.tla now defines %s: take %q off Pending", rowID(g), mod, g.Name, "property "+key)
		case pending:
			skip = append(skip, fmt.Sprintf("%s is not defined yet: %s", key, reason))
			continue
		case !m.defs[g.Name]:
			t.Errorf("%s: spec/%s.tla defines no %s", rowID(g), mod, g.Name)
			continue
		}
		if g.Sentence == "" || mod != g.Module {
			continue
		}
		skip = append(skip, src.checkQuote(t, g, m)...)
	}
	return skip
}

// checkQuote checks that the comment above g.Name in g's module m quotes
// g's doc comment word for word; it returns why, if pending, it is skipped.
func (src rowSources) checkQuote(t *testing.T, g Guarantee, m *module) (skip []string) {
	key := g.Module + "." + g.Name
	problem := quoteProblem(m.comments[g.Name], src.docs[g.Doc])
	reason, pending := Pending["quote "+key]
	switch {
	case problem == "" && pending:
		t.Errorf("%s: the comment of %s in spec/%s.tla now quotes %s word for word: take %q off Pending", rowID(g), g.Name, g.Module, g.Doc, "quote "+key)
	case pending:
		skip = append(skip, fmt.Sprintf("the comment of %s %s: %s", key, problem, reason))
	case problem != "":
		t.Errorf("%s: the comment above %s in spec/%s.tla %s", rowID(g), g.Name, g.Module, problem)
	}
	return skip
}

// checkPendingKeys checks that every Pending key is well formed and that
// each property or quote key names a row (seen: the rows' Module.Name).
func checkPendingKeys(t *testing.T, seen map[string]bool) {
	t.Helper()
	for _, key := range sorted(Pending) {
		kind, name, _ := strings.Cut(key, " ")
		switch kind {
		case "property", "quote":
			if !seen[name] {
				t.Errorf("Pending lists %q, but no row names %s", key, name)
			}
		case "action":
		default:
			t.Errorf("Pending key %q: want \"property M.P\", \"quote M.P\" or \"action T.M\"", key)
		}
	}
}

var quoteRE = regexp.MustCompile(`"([^"]+)"`)

// quoteProblem returns "" if comment quotes at least one sentence and every
// quote, cut at "...", is word for word in doc; else what is wrong.
func quoteProblem(comment, doc string) string {
	quotes := quoteRE.FindAllStringSubmatch(comment, -1)
	if len(quotes) == 0 {
		return "quotes no sentence of the doc comment it formalizes"
	}
	for _, q := range quotes {
		for _, frag := range strings.Split(q[1], "...") {
			frag = normSpace(frag)
			if frag != "" && !strings.Contains(doc, frag) {
				return fmt.Sprintf("quotes %q, which is not word for word in the doc comment", frag)
			}
		}
	}
	return ""
}

// TestEverySpecPropertyHasARow: every property of every spec module, every
// name a configuration checks, and every module's TypeOK have a row.
func TestEverySpecPropertyHasARow(t *testing.T) {
	mods := specModules(t)
	named := map[string]bool{}
	for _, g := range Rows {
		for _, mod := range append([]string{g.Module}, g.Also...) {
			named[mod+"."+g.Name] = true
		}
	}
	for _, name := range sorted(mods) {
		m := mods[name]
		for _, p := range m.properties {
			if !named[name+"."+p] {
				t.Errorf("spec/%s.tla defines property %s, which no row of the registry names", name, p)
			}
		}
		if _, pending := Pending["property "+name+".TypeOK"]; m.variables && !m.included && !m.defs["TypeOK"] && !pending {
			t.Errorf("spec/%s.tla declares variables and defines no TypeOK", name)
		}
	}
	for _, c := range specConfigs(t) {
		scope := closure(mods, c.module)
		for _, n := range c.names {
			ok := false
			for _, mod := range scope {
				ok = ok || named[mod+"."+n]
			}
			if !ok {
				t.Errorf("spec/%s checks %s, which no row names for %s", c.file, n, strings.Join(scope, " or "))
			}
		}
	}
}

// TestEveryModelInvariantHasARow: every invariant function of model/ is
// named by a row, and each aggregate STATEInvariants calls every row's
// model function for STATE.
func TestEveryModelInvariantHasARow(t *testing.T) {
	invs := modelInvariants(t)
	named := map[string]bool{}
	for _, g := range Rows {
		named[g.Name] = true
	}
	aggregates := map[string]invariant{}
	for _, name := range sorted(invs) {
		if strings.HasSuffix(name, "Invariants") {
			aggregates[name] = invs[name]
			continue
		}
		if !named[name] {
			t.Errorf("model/%s: invariant function %s is named by no row of the registry", invs[name].file, name)
		}
	}
	for _, state := range sorted(stateTypes()) {
		var agg string
		for _, name := range sorted(aggregates) {
			if slices.Equal(aggregates[name].states, []string{state}) {
				agg = name
			}
		}
		if agg == "" {
			t.Errorf("model/ has no aggregate function taking *%s alone (FeedInvariants, SubInvariants, ...)", state)
			continue
		}
		for _, g := range Rows {
			if StateOf[g.Module] == state && !aggregates[agg].uses[g.Name] {
				t.Errorf("model.%s does not check %s, the model function of %s", agg, g.Name, rowID(g))
			}
		}
	}
}

var specActionsRE = regexp.MustCompile(`(?m)^Spec actions \(([A-Za-z0-9_]+)\): ([A-Za-z0-9_, ]+)\.$`)

// queries are exported methods of model states that change nothing (or set
// a test up), so they stand for no spec action.
var queries = map[string]bool{
	"Feed.NewChan": true, "Feed.Ambiguous": true, "Feed.Clone": true, "Resub.LiveInners": true,
	"Mux.Outstanding": true, "Mux.CanReceive": true, "Mux.Open": true, "Scope.Count": true,
}

// drivers are model actions named after neither a spec action nor a call
// of package event: steps a test driver needs.
var drivers = map[string]string{
	"Resub.Advance":             "fake time passing",
	"Scope.TrackPanicking":      "Track of an inner subscription whose Unsubscribe panics",
	"Sub.RaceReturnUnsubscribe": "a producer return racing an Unsubscribe call",
	"Feed.SendContextDone":      "SendContext with a ctx that is already done",
}

// TestModelActionsCiteSpecActions: every model action names the spec
// actions it stands for, those exist, and it carries one of their names or
// the name of the call of package event it models.
func TestModelActionsCiteSpecActions(t *testing.T) {
	mods := specModules(t)
	calls := eventMethods(t)
	for _, a := range modelActions(t) {
		key := a.typ + "." + a.name
		if queries[key] {
			continue
		}
		t.Run(key, func(t *testing.T) {
			cites := specActionsRE.FindAllStringSubmatch(a.doc, -1)
			if reason, ok := Pending["action "+key]; ok {
				if len(cites) > 0 {
					t.Errorf("model %s cites spec actions and is listed in Pending: take %q off", key, "action "+key)
				}
				t.Skipf("pending: %s", reason)
			}
			if len(cites) == 0 {
				t.Fatalf("model %s: its doc comment has no line \"Spec actions (Module): A, B.\"", key)
			}
			var names []string
			for _, c := range cites {
				m, ok := mods[c[1]]
				if !ok {
					t.Errorf("model %s cites module %s, which spec/ does not have", key, c[1])
					continue
				}
				for _, act := range strings.Split(c[2], ",") {
					act = strings.TrimSpace(act)
					names = append(names, act)
					if !m.defs[act] {
						t.Errorf("model %s cites spec action %s, which spec/%s.tla does not define", key, act, c[1])
					}
				}
			}
			if !slices.Contains(names, a.name) && !calls[a.name] && drivers[key] == "" {
				t.Errorf("model %s is named after none of the spec actions it cites (%s) nor after a call of package event",
					key, strings.Join(names, ", "))
			}
		})
	}
}

// TestGenerated: README's guarantee table and event.tla's PROPERTIES
// section are what the registry renders; -update rewrites them.
func TestGenerated(t *testing.T) {
	for _, g := range generated(t) {
		t.Run(g.file, func(t *testing.T) {
			if err := g.check(*update); err != nil {
				t.Error(err)
			}
		})
	}
}

// Example-style guard: a row's fields are plain text a table can hold.
func TestRowsRenderable(t *testing.T) {
	for _, g := range Rows {
		for _, s := range []string{g.Name, g.Module, g.Doc, g.Sentence} {
			if strings.ContainsAny(s, "|\n`") {
				t.Errorf("%s: %q holds a character the generated table cannot (| newline backquote)", rowID(g), s)
			}
		}
		if g.Name == "" || g.Module == "" {
			t.Errorf("row %s: Name and Module are required", fmt.Sprint(g))
		}
	}
}
