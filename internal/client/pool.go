package client

import (
	"context"
	"sync"
)

// Each calls fn(ctx, i) for every i in [0, n), running at most MaxInFlight
// calls side by side (their requests, like every request of the client,
// also share its bound of requests in flight). Every call runs to its own
// end: one failing does not stop the others, so the caller can record each
// outcome. fn must do its own synchronisation on shared data. When ctx ends,
// the calls not yet started are skipped and Each returns ctx.Err().
func (c *Client) Each(ctx context.Context, n int, fn func(ctx context.Context, i int)) error {
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(c.maxInFlight, 1))
	defer wg.Wait()
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if err := ctx.Err(); err != nil {
			return err // a slot may be held: nothing waits on it any more
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(ctx, i)
		}()
	}
	return nil
}

// Results runs fn for every i in [0, n) through Each and returns, index by
// index, what each call returned. interrupted is ctx's error when ctx ended
// before every call started (their results are zero). FirstError picks the
// first failure for callers that stop on any.
func Results[T any](ctx context.Context, c *Client, n int, fn func(ctx context.Context, i int) (T, error)) (vals []T, errs []error, interrupted error) {
	vals, errs = make([]T, n), make([]error, n)
	interrupted = c.Each(ctx, n, func(ctx context.Context, i int) { vals[i], errs[i] = fn(ctx, i) })
	return vals, errs, interrupted
}

// FirstError returns the first non-nil error of errs, or nil.
func FirstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
