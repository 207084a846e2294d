package client

import (
	"context"
	"sync"
)

// Each calls fn(ctx, i) for every i in [0, n), running at most as many calls
// side by side as the client's PageWorkers bound. Every call runs to its own
// end: one failing does not stop the others, so the caller can record each
// outcome. fn must do its own synchronisation on shared data. When ctx ends,
// the calls not yet started are skipped and Each returns ctx.Err().
func (c *Client) Each(ctx context.Context, n int, fn func(ctx context.Context, i int)) error {
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(c.workers, 1))
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
