package client

import (
	"context"
	"errors"
)

// ErrStopped is the cause of the context of every request a Client makes
// after its Config.Stop context is done.
var ErrStopped = errors.New("the API client was stopped: its process is shutting down")

// bound returns ctx, also cancelled (with cause ErrStopped) when the
// Client's Stop context is done. Every request derives from it, so that a
// stopped Client aborts what is in flight and starts nothing new.
func (c *Client) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.stop == nil {
		return ctx, func() {}
	}
	bctx, cancel := context.WithCancelCause(ctx)
	if c.stop.Err() != nil {
		// AfterFunc would cancel from another goroutine, a moment late.
		cancel(ErrStopped)
		return bctx, func() {}
	}
	unhook := context.AfterFunc(c.stop, func() { cancel(ErrStopped) })
	return bctx, func() {
		unhook()
		cancel(context.Canceled)
	}
}

// Stopped reports whether the Client's Stop context is done.
func (c *Client) Stopped() bool { return c.stop != nil && c.stop.Err() != nil }
