package client

import (
	"context"
	"strings"
	"sync"
)

// What a list walk of this client may have missed: the one mechanism by
// which the owner walk (owners.go) and the walks that serve single reads
// (reads.go) never hand a caller an answer older than a write the client
// made before the caller asked.
//
// The clock ticks when a write starts and when it ends. A walk notes the
// tick it started at (its stamp); an object was written since when a write
// to it ended after that tick, or is still in flight.

// writeClock records the client's writes, by what they may change.
type writeClock struct {
	mu       sync.Mutex
	now      uint64
	inFlight map[string]int
	last     map[string]uint64 // tick of the end of the last write, by key
}

// ownershipKey is the key of every write that may change which customer
// owns which account, or the accounts the owner walk keeps.
const ownershipKey = "ownership"

// writeKeys lists what a request may change: the object its path names
// ("accounts/12"), every object of a kind when the path names none by id
// ("accounts/*", a change by username), and ownershipKey. Reads, and the
// password check POST /accounts/{id}/validate, change nothing. A create
// changes no object that exists, so it names none; it may change
// ownership.
func writeKeys(r request) []string {
	if r.method == "GET" || strings.HasSuffix(r.path, "/validate") {
		return nil
	}
	parts := strings.Split(strings.Trim(r.path, "/"), "/")
	kind := parts[0]
	var keys []string
	switch {
	case kind == "un":
		keys = append(keys, "accounts/*")
	case len(parts) > 1 && (kind == "accounts" || kind == "customers" || kind == "projects"):
		keys = append(keys, kind+"/"+parts[1])
	}
	if kind == "accounts" || kind == "customers" || kind == "un" {
		keys = append(keys, ownershipKey)
	}
	return keys
}

// begin records the start of a write to keys; the returned function
// records its end, whether it succeeded or not (a write that timed out may
// have been made).
func (w *writeClock) begin(keys []string) func() {
	if len(keys) == 0 {
		return func() {}
	}
	w.mu.Lock()
	if w.inFlight == nil {
		w.inFlight, w.last = map[string]int{}, map[string]uint64{}
	}
	w.now++
	for _, k := range keys {
		w.inFlight[k]++
	}
	w.mu.Unlock()
	return func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.now++
		for _, k := range keys {
			if w.inFlight[k]--; w.inFlight[k] == 0 {
				delete(w.inFlight, k)
			}
			w.last[k] = w.now
		}
	}
}

// stamp is the tick a walk starting now notes.
func (w *writeClock) stamp() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

// changedSince reports whether any of keys was written after stamp: a
// write to it ended later, or is in flight.
func (w *writeClock) changedSince(stamp uint64, keys ...string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, k := range keys {
		if w.inFlight[k] > 0 || w.last[k] > stamp {
			return true
		}
	}
	return false
}

// sharedWalk is a walk shared by the callers of one client: the last
// complete one, and the one in flight. Callers asking while a walk is in
// flight wait for it rather than start their own; one whose ctx ends stops
// waiting, and the walk stops when no caller waits for it any more. A
// failed walk is not kept: the next caller walks again.
type sharedWalk[R any] struct {
	mu     sync.Mutex
	have   *walkFlight[R] // the last complete walk; nil: none
	flight *walkFlight[R]
}

type walkFlight[R any] struct {
	stamp   uint64 // the write clock when it started
	done    chan struct{}
	waiters int
	cancel  context.CancelFunc
	result  R
	err     error
}

// get returns the result of a walk that usable accepts (given the stamp
// it started at): the last complete one, else the one in flight, else a
// new one (run), which it waits for.
func (w *sharedWalk[R]) get(ctx context.Context, c *Client, usable func(stamp uint64) bool, run func(context.Context) (R, error)) (R, error) {
	w.mu.Lock()
	if h := w.have; h != nil && usable(h.stamp) {
		w.mu.Unlock()
		return h.result, nil
	}
	f := w.flight
	if f == nil || !usable(f.stamp) {
		// None in flight, or one begun before a write it may have missed.
		wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &walkFlight[R]{stamp: c.writes.stamp(), done: make(chan struct{}), cancel: cancel}
		w.flight = f
		go w.run(wctx, f, run)
	}
	f.waiters++
	w.mu.Unlock()

	select {
	case <-f.done:
	case <-ctx.Done():
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	f.waiters--
	select {
	case <-f.done:
		return f.result, f.err
	default:
	}
	if f.waiters == 0 {
		f.cancel()
		if w.flight == f {
			w.flight = nil
		}
	}
	var zero R
	return zero, ctx.Err()
}

func (w *sharedWalk[R]) run(ctx context.Context, f *walkFlight[R], run func(context.Context) (R, error)) {
	defer f.cancel()
	r, err := run(ctx)
	w.mu.Lock()
	f.result, f.err = r, err
	if w.flight == f {
		w.flight = nil
	}
	if err == nil && (w.have == nil || w.have.stamp <= f.stamp) {
		w.have = f
	}
	w.mu.Unlock()
	close(f.done)
}
