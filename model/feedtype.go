package model

import "fmt"

// FeedTypes models the element-type rule of the untyped Feed (FeedOf has no
// such rule): the first Send of a non-nil value or the first valid Subscribe
// fixes the element type, and later mismatches panic without changing the
// feed. It is spec/FeedType.tla at the level of whole calls; FeedImpl and
// FeedSpec abstract it.
type FeedTypes struct {
	Elem string // "" until fixed
	// History for the invariants: every type the element type was set to,
	// the types of the Sends that passed the check, and the element types
	// of the channels subscribed.
	Fixed      []string
	Proceeded  []string
	Subscribed []string
}

// Panic messages of the Feed type rules, as the package must produce them.
const (
	MsgNotSendableChan = "event: Subscribe argument does not have sendable channel type"
	MsgNilPrefix       = "event: "
)

// Subscribe returns the panic message a Subscribe with a channel of element
// type elem must raise ("" when it succeeds and fixes the type). sendable is
// false for a non-channel, receive-only channel or nil argument.
//
// Spec actions (FeedType): Subscribe.
func (ft *FeedTypes) Subscribe(elem string, sendable bool) string {
	if !sendable {
		return MsgNotSendableChan
	}
	if ft.Elem == "" {
		ft.fix(elem)
	}
	if ft.Elem != elem {
		return fmt.Sprintf("event: wrong type in Subscribe got chan %s, want chan<- %s", elem, ft.Elem)
	}
	ft.Subscribed = append(ft.Subscribed, elem)
	return ""
}

func (ft *FeedTypes) fix(elem string) {
	ft.Elem = elem
	ft.Fixed = append(ft.Fixed, elem)
}

// Send returns the panic message a Send of a value of dynamic type typ must
// raise ("" when it proceeds). typ "" stands for Send(nil): it returns 0 and
// fixes nothing before the type is fixed; afterwards, for a type that cannot
// hold nil, it panics with a message starting with MsgNilPrefix (the caller
// compares only that prefix). ok reports whether the Send reaches subscribers.
// The check comes before the Send waits for one in progress.
//
// Spec actions (FeedType): SendBegin, SendWaitEnd, SendEnd.
func (ft *FeedTypes) Send(typ string) (msg string, ok bool) {
	switch {
	case typ == "" && ft.Elem == "":
		return "", false
	case typ == "":
		return MsgNilPrefix, false
	case ft.Elem == "":
		ft.fix(typ)
	case ft.Elem != typ:
		return fmt.Sprintf("event: wrong type in Send got %s, want %s", typ, ft.Elem), false
	}
	ft.Proceeded = append(ft.Proceeded, typ)
	return "", true
}
