package guarantees

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite README's guarantee table and event.tla's PROPERTIES section from the registry")

// section is a generated part of a file, between two marker lines.
type section struct {
	file       string
	begin, end string
	text       string // the generated lines between the markers
}

const regenerate = "go test ./internal/guarantees -update"

// check compares the file's section with the generated text, or rewrites it.
func (s section) check(write bool) error {
	data, err := os.ReadFile(path(s.file))
	if err != nil {
		return err
	}
	b := bytes.Index(data, []byte(s.begin+"\n"))
	e := bytes.Index(data, []byte(s.end+"\n"))
	if b < 0 || e < b {
		return fmt.Errorf("%s: no section between the lines %q and %q", s.file, s.begin, s.end)
	}
	from := b + len(s.begin) + 1
	if string(data[from:e]) == s.text {
		return nil
	}
	if !write {
		return fmt.Errorf("%s: the section between %q and %q is not what the registry renders; run %s",
			s.file, s.begin, s.end, regenerate)
	}
	out := append(append(append([]byte(nil), data[:from]...), s.text...), data[e:]...)
	return os.WriteFile(path(s.file), out, 0o644)
}

// generated returns the sections the registry renders.
func generated(t *testing.T) []section {
	t.Helper()
	mods := specModules(t)
	temporal := map[string]bool{}
	for _, c := range specConfigs(t) {
		for n, tmp := range c.temporal {
			if tmp {
				for _, m := range closure(mods, c.module) {
					temporal[m+"."+n] = true
				}
			}
		}
	}
	mutants := map[string][]string{}
	for _, m := range specMutants(t, mods) {
		key := m.module + "." + m.property
		mutants[key] = append(mutants[key], m.name)
	}
	return []section{
		{
			file:  "README.md",
			begin: "<!-- guarantees:begin (generated from internal/guarantees: " + regenerate + ") -->",
			end:   "<!-- guarantees:end -->",
			text:  readmeTable(temporal, mutants),
		},
		{
			file:  "spec/event.tla",
			begin: `\* PROPERTIES: begin (generated from internal/guarantees: ` + regenerate + `)`,
			end:   `\* PROPERTIES: end`,
			text:  eventProperties(),
		},
	}
}

func code(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "`" + n + "`"
	}
	return strings.Join(out, ", ")
}

// readmeTable renders README's guarantee table: one line per row, except
// that the TypeOK rows without a sentence share the last line.
func readmeTable(temporal map[string]bool, mutants map[string][]string) string {
	var b strings.Builder
	b.WriteString("| Guarantee (doc comment) | Spec property (module) | model/ | Go tests |\n")
	b.WriteString("|---|---|---|---|\n")
	var typeOK []Guarantee
	for _, g := range Rows {
		if g.Sentence == "" {
			typeOK = append(typeOK, g)
			continue
		}
		var tests []string
		for _, c := range testColumns(g) {
			tests = append(tests, c.tag+code(c.names))
		}
		fmt.Fprintf(&b, "| %s (`%s`) | %s | `%s` | %s |\n", g.Sentence, g.Doc, specCell(g, temporal, mutants), g.Name, strings.Join(tests, "; "))
	}
	if len(typeOK) > 0 {
		b.WriteString(typeOKLine(typeOK))
	}
	return b.String()
}

// specCell renders the spec column of row g: the property, its modules,
// whether a configuration checks it as a temporal property, the spec
// mutants that break it, and whether it is pending.
func specCell(g Guarantee, temporal map[string]bool, mutants map[string][]string) string {
	where := g.Module
	for _, a := range g.Also {
		where += "; " + a + " by refinement"
	}
	spec := fmt.Sprintf("`%s` (%s)", g.Name, where)
	if temporal[g.Module+"."+g.Name] {
		spec += ", temporal"
	}
	var ms []string
	for _, m := range append([]string{g.Module}, g.Also...) {
		ms = append(ms, mutants[m+"."+g.Name]...)
	}
	switch len(ms) {
	case 0:
	case 1:
		spec += "; mutant " + code(ms)
	default:
		spec += "; mutants " + code(ms)
	}
	if _, ok := Pending["property "+g.Module+"."+g.Name]; ok {
		spec += "; pending (on the feed-engine branch)"
	}
	return spec
}

// typeOKLine renders the table's last line, shared by the TypeOK rows
// without a sentence: their modules and their tests, each once.
func typeOKLine(rows []Guarantee) string {
	var modules []string
	tests := map[string][]string{}
	for _, g := range rows {
		where := g.Module
		if _, ok := Pending["property "+g.Module+"."+g.Name]; ok {
			where += " (pending)"
		}
		modules = append(modules, where)
		for _, c := range testColumns(g) {
			for _, n := range c.names {
				if !slices.Contains(tests[c.tag], n) {
					tests[c.tag] = append(tests[c.tag], n)
				}
			}
		}
	}
	var cells []string
	for _, tag := range []string{"", "M ", "P ", "S ", "T "} {
		if len(tests[tag]) > 0 {
			cells = append(cells, tag+code(tests[tag]))
		}
	}
	return fmt.Sprintf("| Every module's variables keep their types | `TypeOK` (%s) | `TypeOK` | %s |\n",
		strings.Join(modules, ", "), strings.Join(cells, "; "))
}

type testColumn struct {
	tag   string
	names []string
}

// testColumns returns a row's non-empty test lists with README's tags.
func testColumns(g Guarantee) []testColumn {
	var out []testColumn
	for _, c := range []testColumn{{"", g.Unit}, {"M ", g.Model}, {"P ", g.Property}, {"S ", g.Stress}, {"T ", g.Trace}} {
		if len(c.names) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// eventProperties renders the PROPERTIES section of spec/event.tla.
func eventProperties() string {
	var b strings.Builder
	line := func(s string) {
		if s == "" {
			b.WriteString("\\*\n")
		} else {
			b.WriteString("\\* " + s + "\n")
		}
	}
	for _, s := range wrap("Each property below is named as in model/ and the Go tests, and quotes, word for word, the sentence of the Go doc comment (the identifier in parentheses) that it formalizes. A TypeOK without a sentence states that the module's variables keep their types.", 74) {
		line(s)
	}
	for _, g := range Rows {
		line("")
		where := g.Module
		for _, a := range g.Also {
			where += ", " + a + " by refinement"
		}
		line(fmt.Sprintf("  %s (%s)", g.Name, where))
		if g.Sentence != "" {
			for _, s := range wrap(fmt.Sprintf("%q (%s)", g.Sentence, g.Doc), 68) {
				line("      " + s)
			}
		}
		if _, ok := Pending["property "+g.Module+"."+g.Name]; ok {
			line("      pending: the feed-engine branch defines it")
		}
	}
	return b.String()
}

// wrap breaks s into lines of at most width characters at blanks.
func wrap(s string, width int) []string {
	var out []string
	cur := ""
	for _, w := range strings.Fields(s) {
		if cur != "" && len(cur)+1+len(w) > width {
			out = append(out, cur)
			cur = w
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}
