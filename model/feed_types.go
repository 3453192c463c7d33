package model

import "fmt"

// FeedTypes models the element-type rule of the untyped Feed (FeedOf has no
// such rule): the first Send of a non-nil value or the first valid Subscribe
// fixes the element type, and later mismatches panic without changing the
// feed. It is API-level behaviour, not part of the spec's state machine.
type FeedTypes struct {
	Elem string // "" until fixed
}

// Panic messages of the Feed type rules, as the package must produce them.
const (
	MsgNotSendableChan = "event: Subscribe argument does not have sendable channel type"
	MsgNilPrefix       = "event: "
)

// Subscribe returns the panic message a Subscribe with a channel of element
// type elem must raise ("" when it succeeds and fixes the type). sendable is
// false for a non-channel, receive-only channel or nil argument.
func (ft *FeedTypes) Subscribe(elem string, sendable bool) string {
	if !sendable {
		return MsgNotSendableChan
	}
	if ft.Elem == "" {
		ft.Elem = elem
		return ""
	}
	if ft.Elem != elem {
		return fmt.Sprintf("event: wrong type in Subscribe got chan %s, want chan<- %s", elem, ft.Elem)
	}
	return ""
}

// Send returns the panic message a Send of a value of dynamic type typ must
// raise ("" when it proceeds). typ "" stands for Send(nil): it returns 0 and
// fixes nothing before the type is fixed; afterwards, for a type that cannot
// hold nil, it panics with a message starting with MsgNilPrefix (the caller
// compares only that prefix). ok reports whether the Send reaches subscribers.
func (ft *FeedTypes) Send(typ string) (msg string, ok bool) {
	switch {
	case typ == "" && ft.Elem == "":
		return "", false
	case typ == "":
		return MsgNilPrefix, false
	case ft.Elem == "":
		ft.Elem = typ
		return "", true
	case ft.Elem != typ:
		return fmt.Sprintf("event: wrong type in Send got %s, want %s", typ, ft.Elem), false
	}
	return "", true
}
