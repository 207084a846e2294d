package client

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

func TestEach_runsEveryItemWithinTheBound(t *testing.T) {
	c, err := New(Config{Token: "t", MaxInFlight: 3})
	if err != nil {
		t.Fatal(err)
	}
	var running, peak atomic.Int32
	var mu sync.Mutex
	seen := map[int]int{}
	block := make(chan struct{})
	release := sync.OnceFunc(func() { close(block) })
	err = c.Each(t.Context(), 50, func(_ context.Context, i int) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if n == 3 {
			release() // the bound is reached: let everyone go
		}
		<-block
		mu.Lock()
		seen[i]++
		mu.Unlock()
		running.Add(-1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 50 {
		t.Fatalf("ran %d distinct items, want 50", len(seen))
	}
	for i, n := range seen {
		if n != 1 {
			t.Errorf("item %d ran %d times", i, n)
		}
	}
	if got := peak.Load(); got != 3 {
		t.Errorf("at most %d calls ran at once, want the bound 3", got)
	}
}

func TestEach_stopsStartingWhenTheContextEnds(t *testing.T) {
	c, err := New(Config{Token: "t", MaxInFlight: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var ran atomic.Int32
	err = c.Each(ctx, 10, func(context.Context, int) {
		if ran.Add(1) == 2 {
			cancel()
		}
	})
	if err == nil {
		t.Fatal("Each returned no error after the context ended")
	}
	if n := ran.Load(); n != 2 {
		t.Errorf("%d calls ran, want 2: none may start once the context has ended", n)
	}
}
