package bench

//lint:file-ignore SA1019 TypeMux is deprecated (in go-ethereum too) and benchmarked here on purpose.

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	geth "github.com/ethereum/go-ethereum/event"
	es "github.com/eventspec/eventspec/event"
)

// muxEvent is the event type posted in BenchmarkTypeMuxPost.
type muxEvent struct{ X int }

// BenchmarkTypeMuxPost: Post to n subscribers of the posted type, each with
// its own receiver goroutine. The floor is a send of one preallocated
// pointer to each of n unbuffered channels with the same receivers: no
// lock, no event allocation, no clock.
func BenchmarkTypeMuxPost(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("kind=TypeMux/n=%d", n), func(b *testing.B) {
			for _, im := range impls {
				b.Run("impl="+im, func(b *testing.B) { typeMuxPost(b, im, n) })
			}
		})
	}
}

// rangeReceivers starts one goroutine per channel that receives until the
// channel is closed and adds its count to got.
func rangeReceivers[T any](chans []<-chan T, got *atomic.Int64) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Add(len(chans))
	for _, c := range chans {
		go func() {
			defer wg.Done()
			k := 0
			for range c {
				k++
			}
			got.Add(int64(k))
		}()
	}
	return &wg
}

func typeMuxPost(b *testing.B, im string, n int) {
	var ev any = muxEvent{X: 1}
	var got atomic.Int64
	b.ReportAllocs()
	switch im {
	case implFloor:
		floorPosts(b, n, &es.TypeMuxEvent{Data: ev}, &got)
	case implES:
		mux := new(es.TypeMux)
		muxPosts(b, n, &got, func() <-chan *es.TypeMuxEvent { return mux.Subscribe(muxEvent{}).Chan() },
			func() error { return mux.Post(ev) }, mux.Stop)
	case implGeth:
		mux := new(geth.TypeMux)
		muxPosts(b, n, &got, func() <-chan *geth.TypeMuxEvent { return mux.Subscribe(muxEvent{}).Chan() },
			func() error { return mux.Post(ev) }, mux.Stop)
	}
	checkSent(b, int(got.Load()), b.N*n)
}

// muxPosts subscribes n receivers to a mux through subscribe, then, timed,
// posts b.N events through post; it stops the mux and waits for the
// receivers, which add up what they got in got.
func muxPosts[E any](b *testing.B, n int, got *atomic.Int64, subscribe func() <-chan E, post func() error, stop func()) {
	recv := make([]<-chan E, n)
	for i := range recv {
		recv[i] = subscribe()
	}
	wg := rangeReceivers(recv, got)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := post(); err != nil {
			stop()
			wg.Wait()
			b.Fatal(err)
		}
	}
	b.StopTimer()
	stop()
	wg.Wait()
}

// floorPosts is muxPosts for the floor: it sends e to each of n unbuffered
// channels with the same receivers, then closes them.
func floorPosts(b *testing.B, n int, e *es.TypeMuxEvent, got *atomic.Int64) {
	chans := make([]chan *es.TypeMuxEvent, n)
	recv := make([]<-chan *es.TypeMuxEvent, n)
	for i := range chans {
		chans[i] = make(chan *es.TypeMuxEvent)
		recv[i] = chans[i]
	}
	wg := rangeReceivers(recv, got)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, c := range chans {
			put(c, e)
		}
	}
	b.StopTimer()
	for _, c := range chans {
		close(c)
	}
	wg.Wait()
}
