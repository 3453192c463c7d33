package model

import "testing"

func TestMuxPostSnapshot(t *testing.T) {
	var m Mux
	a, _ := m.Subscribe("A", "B")
	p := m.Post("A")
	late, _ := m.Subscribe("A")
	if m.CanReceive(late) != RecvNothing || m.CanReceive(a) != RecvEvent {
		t.Fatal("late subscription may receive an earlier post")
	}
	m.Receive(a)
	if !p.Done {
		t.Fatal("post not done")
	}
	if _, msg := m.Subscribe("A", "A"); msg != "event: duplicate type A in Subscribe" {
		t.Fatal(msg)
	}
	m.Stop()
	if q := m.Post("A"); !q.Err {
		t.Fatal("post after Stop must fail")
	}
	if id, _ := m.Subscribe("B"); m.CanReceive(id) != RecvClosedCh {
		t.Fatal("subscription after Stop must be closed")
	}
	mustHold(t, MuxInvariants(&m))
}

func TestMuxNoEventBeforeSubscribe(t *testing.T) {
	var m Mux
	m.Post("A")
	id, _ := m.Subscribe("A")
	m.Subs[id].Got = append(m.Subs[id].Got, 0)
	mustReject(t, MuxNoEventBeforeSubscribe(&m))
}

func TestMuxNoDeliveryAfterUnsubscribe(t *testing.T) {
	var m Mux
	a, _ := m.Subscribe("A")
	b, _ := m.Subscribe("A")
	p := m.Post("A")
	m.Unsubscribe(a)
	p.Delivered = append(p.Delivered, b, b)
	mustReject(t, MuxNoDeliveryAfterUnsubscribe(&m))
}

func TestMuxPostReachesAllSubscribed(t *testing.T) {
	var m Mux
	m.Subscribe("A")
	p := m.Post("A")
	p.Done = true
	mustReject(t, MuxPostReachesAllSubscribed(&m))
}

func TestMuxStopClosesEverySubscription(t *testing.T) {
	var m Mux
	none, _ := m.Subscribe()
	typed, _ := m.Subscribe("A")
	m.Post("A")
	m.Stop()
	m.Stop() // a second, concurrent Stop: also returns with everything closed
	if m.CanReceive(none) != RecvClosedCh || m.CanReceive(typed) != RecvClosedCh {
		t.Fatal("Stop left a subscription open")
	}
	mustHold(t, MuxStopClosesEverySubscription(&m))
	mustHold(t, MuxInvariants(&m))
	m.Subs[none].Closed = false // the subscription without types left open
	mustReject(t, MuxStopClosesEverySubscription(&m))
}

func TestMuxStopTerminates(t *testing.T) {
	var m Mux
	m.Subscribe("A")
	m.Post("A")
	m.Stop()
	mustHold(t, MuxStopTerminates(&m))
	m.Posts[0].Done = false // a Post still waits after Stop
	m.Posts[0].Pending = []int{0}
	mustReject(t, MuxStopTerminates(&m))
}

func TestTypeOKMux(t *testing.T) {
	var m Mux
	m.Subscribe("A")
	p := m.Post("A")
	mustHold(t, TypeOK(&m))
	p.Delivered = append(p.Delivered, 5) // outside its snapshot
	mustReject(t, TypeOK(&m))
}
