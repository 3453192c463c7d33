package model

import "fmt"

// FeedTypeFixedOnce mirrors the spec invariant of the same name in
// FeedType: the element type is set once and never changes, and every Send
// that went on and every channel subscribed has it.
func FeedTypeFixedOnce(ft *FeedTypes) error {
	if len(ft.Fixed) > 1 {
		return fmt.Errorf("FeedTypeFixedOnce: the element type was set %d times: %v", len(ft.Fixed), ft.Fixed)
	}
	for _, t := range ft.Subscribed {
		if t != ft.Elem {
			return fmt.Errorf("FeedTypeFixedOnce: a channel of %s subscribed to a feed of %s", t, ft.Elem)
		}
	}
	return nil
}

// FeedTypeCheckedFirst mirrors the spec invariant of the same name in
// FeedType: only a Send of the element type goes on to wait for the feed and
// deliver; any other panics at once.
func FeedTypeCheckedFirst(ft *FeedTypes) error {
	for _, t := range ft.Proceeded {
		if t != ft.Elem {
			return fmt.Errorf("FeedTypeCheckedFirst: a Send of %s went on in a feed of %s", t, ft.Elem)
		}
	}
	return nil
}

// FeedTypesInvariants checks every invariant of the element-type rule.
func FeedTypesInvariants(ft *FeedTypes) error {
	return firstViolation(ft, TypeOK[*FeedTypes], FeedTypeFixedOnce, FeedTypeCheckedFirst)
}
