// Package apicheck compares the exported API of two Go packages: an upstream
// package and a replacement meant to be used in its place by changing only the
// import path.
//
// Compare reports every exported identifier of the upstream package that the
// replacement lacks or declares with a different signature, and lists the
// exported identifiers found only in the replacement. Types are compared
// structurally; a named type of the upstream package matches the named type
// of the same name in the replacement, so FeedOf[T] upstream corresponds to
// FeedOf[T] here although the two live under different import paths.
//
// What counts as identical, per kind of identifier:
//
//   - a function: parameter and result types, variadic-ness and type
//     parameters with their constraints (parameter names do not matter);
//   - a variable: its type; a constant: its type and value;
//   - a type: alias or defined alike; the same number of type parameters with
//     identical constraints; an interface has exactly the upstream method set;
//     a struct has every upstream exported field with an identical type and
//     the same embedding; any other underlying type is identical;
//   - a method (declared or promoted): present with an identical signature, in
//     the method set of T exactly when it is there upstream (so a value
//     receiver upstream must be a value receiver here), and in that of *T.
package apicheck

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
)

// Report is the result of Compare.
type Report struct {
	// Matched lists the upstream identifiers found here with an identical
	// signature, each as "kind name: signature".
	Matched []string
	// Problems lists the upstream identifiers that are missing here or differ,
	// each with both signatures.
	Problems []string
	// OnlyHere lists the exported identifiers of the replacement that the
	// upstream package does not have.
	OnlyHere []string
	// Counts is the number of matched identifiers per kind (type, method,
	// field, func, var, const).
	Counts map[string]int
}

// Compare checks that every exported identifier of upstream exists in
// replacement with an identical signature.
func Compare(upstream, replacement *types.Package) Report {
	c := &comparer{up: upstream, here: replacement, r: Report{Counts: map[string]int{}}}
	upScope, hereScope := upstream.Scope(), replacement.Scope()
	for _, name := range upScope.Names() {
		obj := upScope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		c.object(obj, hereScope.Lookup(name))
	}
	for _, name := range hereScope.Names() {
		obj := hereScope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		if upScope.Lookup(name) == nil {
			c.r.OnlyHere = append(c.r.OnlyHere, kindOf(obj)+" "+name+": "+c.str(obj.Type()))
		}
	}
	sort.Strings(c.r.Matched)
	sort.Strings(c.r.Problems)
	sort.Strings(c.r.OnlyHere)
	return c.r
}

type comparer struct {
	up, here *types.Package
	r        Report
}

func (c *comparer) match(kind, name, sig string) {
	c.r.Matched = append(c.r.Matched, kind+" "+name+": "+sig)
	c.r.Counts[kind]++
}

func (c *comparer) problem(format string, args ...any) {
	c.r.Problems = append(c.r.Problems, fmt.Sprintf(format, args...))
}

// str renders t with the packages compared both shown as "event".
func (c *comparer) str(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == c.up || p == c.here {
			return "event"
		}
		return p.Path()
	})
}

func kindOf(obj types.Object) string {
	switch obj := obj.(type) {
	case *types.TypeName:
		return "type"
	case *types.Func:
		return "func"
	case *types.Var:
		if obj.IsField() {
			return "field"
		}
		return "var"
	case *types.Const:
		return "const"
	}
	return fmt.Sprintf("%T", obj)
}

func (c *comparer) object(up, here types.Object) {
	name := up.Name()
	if here == nil {
		c.problem("%s %s: missing here (upstream: %s)", kindOf(up), name, c.str(up.Type()))
		return
	}
	if kindOf(up) != kindOf(here) {
		c.problem("%s: a %s upstream, a %s here", name, kindOf(up), kindOf(here))
		return
	}
	switch up := up.(type) {
	case *types.Func, *types.Var:
		if !c.identical(up.Type(), here.Type()) {
			c.problem("%s %s: upstream %s, here %s", kindOf(up), name, c.str(up.Type()), c.str(here.Type()))
			return
		}
		c.match(kindOf(up), name, c.str(up.Type()))
	case *types.Const:
		h := here.(*types.Const)
		if !c.identical(up.Type(), h.Type()) || !constant.Compare(up.Val(), token.EQL, h.Val()) {
			c.problem("const %s: upstream %s = %s, here %s = %s", name,
				c.str(up.Type()), up.Val(), c.str(h.Type()), h.Val())
			return
		}
		c.match("const", name, c.str(up.Type())+" = "+up.Val().String())
	case *types.TypeName:
		c.typeName(up, here.(*types.TypeName))
	}
}

func (c *comparer) typeName(up, here *types.TypeName) {
	name := up.Name()
	if up.IsAlias() != here.IsAlias() {
		c.problem("type %s: alias upstream %v, alias here %v", name, up.IsAlias(), here.IsAlias())
		return
	}
	if up.IsAlias() {
		if !c.identical(up.Type(), here.Type()) {
			c.problem("type %s: upstream = %s, here = %s", name, c.str(up.Type()), c.str(here.Type()))
			return
		}
		c.match("type", name, "= "+c.str(up.Type()))
		return
	}
	un, ok1 := up.Type().(*types.Named)
	hn, ok2 := here.Type().(*types.Named)
	if !ok1 || !ok2 {
		c.problem("type %s: not a defined type (upstream %T, here %T)", name, up.Type(), here.Type())
		return
	}
	if !c.typeParams(un.TypeParams(), hn.TypeParams()) {
		c.problem("type %s: type parameters differ: upstream %s, here %s", name, c.tparams(un.TypeParams()), c.tparams(hn.TypeParams()))
		return
	}
	uu, hu := un.Underlying(), hn.Underlying()
	sig := c.str(uu)
	switch uu := uu.(type) {
	case *types.Struct:
		hs, ok := hu.(*types.Struct)
		if !ok {
			c.problem("type %s: a struct upstream, here %s", name, c.str(hu))
			return
		}
		sig = "struct"
		c.fields(name, uu, hs)
	default:
		if !c.identical(uu, hu) {
			c.problem("type %s: upstream %s, here %s", name, sig, c.str(hu))
			return
		}
	}
	c.match("type", name+c.tparams(un.TypeParams()), sig)
	if _, ok := uu.(*types.Interface); ok {
		return // its methods are part of the underlying type, compared above
	}
	c.methods(name, un, hn)
}

// fields compares the exported fields of two struct types.
func (c *comparer) fields(typ string, up, here *types.Struct) {
	hereField := map[string]*types.Var{}
	for i := 0; i < here.NumFields(); i++ {
		f := here.Field(i)
		hereField[f.Name()] = f
	}
	upField := map[string]bool{}
	for i := 0; i < up.NumFields(); i++ {
		f := up.Field(i)
		if !f.Exported() {
			continue
		}
		upField[f.Name()] = true
		name := typ + "." + f.Name()
		h := hereField[f.Name()]
		switch {
		case h == nil:
			c.problem("field %s: missing here (upstream: %s)", name, c.str(f.Type()))
		case f.Embedded() != h.Embedded():
			c.problem("field %s: embedded upstream %v, here %v", name, f.Embedded(), h.Embedded())
		case !c.identical(f.Type(), h.Type()):
			c.problem("field %s: upstream %s, here %s", name, c.str(f.Type()), c.str(h.Type()))
		default:
			c.match("field", name, c.str(f.Type()))
		}
	}
	for i := 0; i < here.NumFields(); i++ {
		f := here.Field(i)
		if f.Exported() && !upField[f.Name()] {
			c.r.OnlyHere = append(c.r.OnlyHere, "field "+typ+"."+f.Name()+": "+c.str(f.Type()))
		}
	}
}

// methods compares the method sets of T and *T, declared and promoted.
func (c *comparer) methods(typ string, up, here *types.Named) {
	upVal, upPtr := types.NewMethodSet(up), types.NewMethodSet(types.NewPointer(up))
	hereVal, herePtr := types.NewMethodSet(here), types.NewMethodSet(types.NewPointer(here))
	for i := 0; i < upPtr.Len(); i++ {
		m := upPtr.At(i).Obj()
		if !m.Exported() {
			continue
		}
		upSig := c.str(upPtr.At(i).Type())
		name := "(*" + typ + ")." + m.Name()
		if upVal.Lookup(nil, m.Name()) != nil {
			name = typ + "." + m.Name()
		}
		hs := herePtr.Lookup(nil, m.Name())
		if hs == nil {
			c.problem("method %s: missing here (upstream: %s)", name, upSig)
			continue
		}
		if !c.identical(upPtr.At(i).Type(), hs.Type()) {
			c.problem("method %s: upstream %s, here %s", name, upSig, c.str(hs.Type()))
			continue
		}
		inUpVal, inHereVal := upVal.Lookup(nil, m.Name()) != nil, hereVal.Lookup(nil, m.Name()) != nil
		if inUpVal != inHereVal {
			c.problem("method %s: %s receiver upstream, %s receiver here", name, recv(inUpVal), recv(inHereVal))
			continue
		}
		c.match("method", name, upSig)
	}
	for i := 0; i < herePtr.Len(); i++ {
		m := herePtr.At(i).Obj()
		if m.Exported() && upPtr.Lookup(nil, m.Name()) == nil {
			name := "(*" + typ + ")." + m.Name()
			if hereVal.Lookup(nil, m.Name()) != nil {
				name = typ + "." + m.Name()
			}
			c.r.OnlyHere = append(c.r.OnlyHere, "method "+name+": "+c.str(herePtr.At(i).Type()))
		}
	}
}

func recv(inValueSet bool) string {
	if inValueSet {
		return "value"
	}
	return "pointer"
}

func (c *comparer) tparams(l *types.TypeParamList) string {
	if l.Len() == 0 {
		return ""
	}
	s := "["
	for i := 0; i < l.Len(); i++ {
		if i > 0 {
			s += ", "
		}
		s += l.At(i).Obj().Name() + " " + c.str(l.At(i).Constraint())
	}
	return s + "]"
}

func (c *comparer) typeParams(x, y *types.TypeParamList) bool {
	return pairwise(x.Len(), y.Len(), func(i int) bool {
		return c.identical(x.At(i).Constraint(), y.At(i).Constraint())
	})
}

// pairwise reports whether n = m and same(i) holds for every i < n.
func pairwise(n, m int, same func(i int) bool) bool {
	if n != m {
		return false
	}
	for i := 0; i < n; i++ {
		if !same(i) {
			return false
		}
	}
	return true
}

// identical reports whether x (from upstream) and y (from the replacement)
// are the same type, with upstream's named types standing for the
// replacement's named types of the same name and type parameters matched by
// their index.
func (c *comparer) identical(x, y types.Type) bool {
	x, y = types.Unalias(x), types.Unalias(y)
	switch x := x.(type) {
	case *types.Basic:
		y, ok := y.(*types.Basic)
		return ok && x.Kind() == y.Kind()
	case *types.Pointer:
		y, ok := y.(*types.Pointer)
		return ok && c.identical(x.Elem(), y.Elem())
	case *types.Slice:
		y, ok := y.(*types.Slice)
		return ok && c.identical(x.Elem(), y.Elem())
	case *types.Array:
		y, ok := y.(*types.Array)
		return ok && x.Len() == y.Len() && c.identical(x.Elem(), y.Elem())
	case *types.Map:
		y, ok := y.(*types.Map)
		return ok && c.identical(x.Key(), y.Key()) && c.identical(x.Elem(), y.Elem())
	case *types.Chan:
		y, ok := y.(*types.Chan)
		return ok && x.Dir() == y.Dir() && c.identical(x.Elem(), y.Elem())
	case *types.Signature:
		y, ok := y.(*types.Signature)
		return ok && x.Variadic() == y.Variadic() && c.typeParams(x.TypeParams(), y.TypeParams()) &&
			c.tuple(x.Params(), y.Params()) && c.tuple(x.Results(), y.Results())
	case *types.Tuple:
		y, ok := y.(*types.Tuple)
		return ok && c.tuple(x, y)
	case *types.Struct:
		y, ok := y.(*types.Struct)
		return ok && c.structs(x, y)
	case *types.Interface:
		y, ok := y.(*types.Interface)
		return ok && c.interfaces(x, y)
	case *types.Union:
		y, ok := y.(*types.Union)
		return ok && pairwise(x.Len(), y.Len(), func(i int) bool {
			return x.Term(i).Tilde() == y.Term(i).Tilde() && c.identical(x.Term(i).Type(), y.Term(i).Type())
		})
	case *types.TypeParam:
		y, ok := y.(*types.TypeParam)
		return ok && x.Index() == y.Index()
	case *types.Named:
		y, ok := y.(*types.Named)
		return ok && c.named(x, y)
	}
	panic(fmt.Sprintf("apicheck: unhandled type %T (%s)", x, x))
}

func (c *comparer) structs(x, y *types.Struct) bool {
	return pairwise(x.NumFields(), y.NumFields(), func(i int) bool {
		fx, fy := x.Field(i), y.Field(i)
		return fx.Name() == fy.Name() && fx.Embedded() == fy.Embedded() && x.Tag(i) == y.Tag(i) &&
			c.identical(fx.Type(), fy.Type())
	})
}

func (c *comparer) interfaces(x, y *types.Interface) bool {
	if x.IsComparable() != y.IsComparable() || x.IsMethodSet() != y.IsMethodSet() {
		return false
	}
	methods := pairwise(x.NumMethods(), y.NumMethods(), func(i int) bool {
		mx, my := x.Method(i), y.Method(i)
		return mx.Name() == my.Name() && c.identical(mx.Type(), my.Type())
	})
	return methods && (x.IsMethodSet() || pairwise(x.NumEmbeddeds(), y.NumEmbeddeds(), func(i int) bool {
		return c.identical(x.EmbeddedType(i), y.EmbeddedType(i))
	}))
}

func (c *comparer) named(x, y *types.Named) bool {
	if x.Obj().Name() != y.Obj().Name() || !c.samePackage(x.Obj().Pkg(), y.Obj().Pkg()) {
		return false
	}
	xa, ya := x.TypeArgs(), y.TypeArgs()
	return pairwise(xa.Len(), ya.Len(), func(i int) bool { return c.identical(xa.At(i), ya.At(i)) })
}

func (c *comparer) tuple(x, y *types.Tuple) bool {
	return pairwise(x.Len(), y.Len(), func(i int) bool { return c.identical(x.At(i).Type(), y.At(i).Type()) })
}

// samePackage: x is upstream's package and y the replacement, or both are
// the same third package (by path), or both are nil (predeclared types).
func (c *comparer) samePackage(x, y *types.Package) bool {
	switch {
	case x == nil || y == nil:
		return x == y
	case x == c.up:
		return y == c.here
	case y == c.here:
		return false
	}
	return x.Path() == y.Path()
}
