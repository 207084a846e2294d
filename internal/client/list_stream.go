package client

import (
	"context"
	"iter"
)

// Items walks a paginated list one page at a time, at the client's page
// size, and asks for the next page only when the consumer wants more items:
// a consumer that stops early (a `terraform query` with a limit) costs no
// further requests. fetch fetches one page (ListAccounts, ListCustomers, ...
// with their other arguments bound); key is an item's id. An item already
// seen on an earlier page (offset paging shifts items when others are
// created or deleted meanwhile) is skipped. A failure is yielded as the
// error of the last pair.
func Items[T any](ctx context.Context, c *Client, fetch func(context.Context, ListOptions) (*Page[T], error), key func(T) int64) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		seen := map[int64]struct{}{}
		for page := 1; ; page++ {
			p, err := fetch(ctx, ListOptions{Page: page, PerPage: c.pageSize})
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range p.Data {
				k := key(item)
				if _, dup := seen[k]; dup {
					continue
				}
				seen[k] = struct{}{}
				if !yield(item, nil) {
					return
				}
			}
			if len(p.Data) == 0 || page >= p.Meta.LastPage {
				return
			}
		}
	}
}
