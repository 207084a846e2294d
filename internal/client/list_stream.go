package client

import (
	"context"
	"iter"
)

// Items walks a paginated list one page at a time, at the client's page
// size, and asks for the next page only when the consumer wants more items:
// a consumer that stops early (a listing with a limit) costs no
// further requests. fetch fetches one page (ListAccounts, ListCustomers, ...
// with their other arguments bound); key is an item's id. The pages are
// checked as every walk checks them (see walk): on an anomaly the list is
// read again, and an item already yielded is not yielded again. A failure
// is yielded as the error of the last pair.
func Items[T any](ctx context.Context, c *Client, fetch func(context.Context, ListOptions) (*Page[T], error), key func(T) int64) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		yielded := map[int64]struct{}{}
		err := walk(ctx, c, fetch, key, 1, func() {}, func(item T) bool {
			k := key(item)
			if _, dup := yielded[k]; dup {
				return true
			}
			yielded[k] = struct{}{}
			return yield(item, nil)
		})
		if err != nil {
			var zero T
			yield(zero, err)
		}
	}
}
