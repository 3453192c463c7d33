package tracecheck

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Field is a named value of a trace event or of a trace's parameters. A
// value is a string, a bool, an integer that fits TLC's 32-bit integers, or
// a slice of such values (a TLA+ sequence).
type Field struct {
	Name  string
	Value any
}

// Event is one event of a trace: the spec action or observation it names,
// its global sequence number, and its parameters in order.
type Event struct {
	Seq    uint64
	Action string
	Fields []Field
}

// Module is a trace as a TLA+ module that every TLC version reads: it
// defines Params, a record of the spec constants the trace needs, and
// Trace, the sequence of its events as records with the fields seq, act and
// the event's parameters.
type Module struct {
	Name     string   // module name, also the file's base name
	Comments []string // header lines (what ran, how to reproduce it)
	Params   []Field
	Events   []Event
}

var (
	ident     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	fieldName = regexp.MustCompile(`^[a-z][A-Za-z0-9_]*$`) // never a reserved word
)

// Text renders the module.
func (m Module) Text() (string, error) {
	if !ident.MatchString(m.Name) {
		return "", fmt.Errorf("module name %q is not a TLA+ identifier", m.Name)
	}
	if len(m.Events) == 0 {
		return "", fmt.Errorf("module %s: a trace has at least one event", m.Name)
	}
	var b strings.Builder
	head := fmt.Sprintf(" MODULE %s ", m.Name)
	dashes := strings.Repeat("-", max(4, (76-len(head))/2))
	fmt.Fprintf(&b, "%s%s%s\n", dashes, head, dashes)
	for _, c := range m.Comments {
		if strings.ContainsAny(c, "\n\r") {
			return "", fmt.Errorf("comment %q spans lines", c)
		}
		fmt.Fprintf(&b, "\\* %s\n", c)
	}
	b.WriteString("EXTENDS Naturals\n\n")
	params, err := record(m.Params)
	if err != nil {
		return "", fmt.Errorf("params: %v", err)
	}
	fmt.Fprintf(&b, "Params == %s\n\n", params)
	b.WriteString("Trace == <<\n")
	for i, e := range m.Events {
		fields := append([]Field{{"seq", e.Seq}, {"act", e.Action}}, e.Fields...)
		r, err := record(fields)
		if err != nil {
			return "", fmt.Errorf("event %d (%s): %v", i+1, e.Action, err)
		}
		sep := ","
		if i == len(m.Events)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    %s%s \\* %d\n", r, sep, i+1)
	}
	b.WriteString(">>\n")
	b.WriteString(strings.Repeat("=", 77) + "\n")
	return b.String(), nil
}

// WriteFile writes the module to dir/Name.tla and returns the path.
func (m Module) WriteFile(dir string) (string, error) {
	text, err := m.Text()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, m.Name+".tla")
	return path, os.WriteFile(path, []byte(text), 0o644)
}

func record(fields []Field) (string, error) {
	if len(fields) == 0 {
		return "[none |-> 0]", nil
	}
	seen := map[string]bool{}
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		if !fieldName.MatchString(f.Name) {
			return "", fmt.Errorf("field name %q is not a lower-case TLA+ identifier", f.Name)
		}
		if seen[f.Name] {
			return "", fmt.Errorf("field %q twice", f.Name)
		}
		seen[f.Name] = true
		v, err := value(f.Value)
		if err != nil {
			return "", fmt.Errorf("field %s: %v", f.Name, err)
		}
		parts = append(parts, f.Name+" |-> "+v)
	}
	return "[" + strings.Join(parts, ", ") + "]", nil
}

// value renders v as a TLA+ value.
func value(v any) (string, error) {
	switch x := v.(type) {
	case string:
		for _, r := range x {
			if r < ' ' || r > '~' {
				return "", fmt.Errorf("string %q has a character outside printable ASCII", x)
			}
		}
		x = strings.ReplaceAll(x, `\`, `\\`)
		return `"` + strings.ReplaceAll(x, `"`, `\"`) + `"`, nil
	case bool:
		if x {
			return "TRUE", nil
		}
		return "FALSE", nil
	case int:
		return integer(int64(x))
	case int64:
		return integer(x)
	case uint64:
		if x > math.MaxInt32 {
			return "", fmt.Errorf("%d does not fit TLC's integers", x)
		}
		return integer(int64(x))
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			s, err := value(e)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "<<" + strings.Join(parts, ", ") + ">>", nil
	}
	return "", fmt.Errorf("value %v of type %T has no TLA+ form here", v, v)
}

func integer(x int64) (string, error) {
	if x < 0 || x > math.MaxInt32 {
		return "", fmt.Errorf("%d is not a natural number that fits TLC's integers", x)
	}
	return strconv.FormatInt(x, 10), nil
}
