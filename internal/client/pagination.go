package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"sync"
)

// ListOptions selects one page of a paginated list. Zero values leave the
// choice to the API (page 1, its default page size).
type ListOptions struct {
	Page    int
	PerPage int
}

func (o ListOptions) values() url.Values {
	q := url.Values{}
	if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.PerPage > 0 {
		q.Set("per_page", strconv.Itoa(o.PerPage))
	}
	return q
}

// getPage fetches one page of path.
func getPage[T any](ctx context.Context, c *Client, path string, query url.Values) (*Page[T], error) {
	data, _, err := c.send(ctx, request{method: "GET", path: path, query: query})
	if err != nil {
		return nil, err
	}
	var p Page[T]
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("GET %s: unexpected answer: %w", path, err)
	}
	return &p, nil
}

// listPage fetches the page opts selects, adding extra filters.
func listPage[T any](ctx context.Context, c *Client, path string, opts ListOptions, extra url.Values) (*Page[T], error) {
	q := opts.values()
	for k, v := range extra {
		q[k] = v
	}
	return getPage[T](ctx, c, path, q)
}

// listAll walks every page of path. It asks for the first page, learns from
// its meta how many pages there are (at the page size the server actually
// serves, which may be smaller than asked for: every page is asked for with
// the same per_page, so it is clamped alike), then fetches the rest side by
// side (bounded by PageWorkers) and returns the items in page order. Paging
// is by offset, so an item created or deleted while the walk runs can shift
// others between pages: one seen twice is kept once, and one that shifts
// onto a page already fetched is missed, as with any offset paging.
func listAll[T any](ctx context.Context, c *Client, path string, extra url.Values, id func(T) int64) ([]T, error) {
	query := func(page int) url.Values {
		q := url.Values{}
		for k, v := range extra {
			q[k] = v
		}
		q.Set("page", strconv.Itoa(page))
		q.Set("per_page", strconv.Itoa(c.pageSize))
		return q
	}
	first, err := getPage[T](ctx, c, path, query(1))
	if err != nil {
		return nil, err
	}
	last := first.Meta.LastPage
	pages := make([][]T, max(last, 1))
	pages[0] = first.Data

	if last > 1 {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			firstErr error
		)
		next := make(chan int)
		for range min(c.workers, last-1) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for page := range next {
					p, err := getPage[T](ctx, c, path, query(page))
					mu.Lock()
					if err != nil {
						if firstErr == nil {
							firstErr = err
							cancel()
						}
					} else {
						pages[page-1] = p.Data
					}
					mu.Unlock()
				}
			}()
		}
	feed:
		for page := 2; page <= last; page++ {
			select {
			case next <- page:
			case <-ctx.Done():
				break feed
			}
		}
		close(next)
		wg.Wait()
		if firstErr != nil {
			return nil, firstErr
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}

	total := 0
	for _, p := range pages {
		total += len(p)
	}
	out := make([]T, 0, total)
	seen := make(map[int64]struct{}, total)
	for _, p := range pages {
		for _, item := range p {
			k := id(item)
			if _, dup := seen[k]; dup {
				continue
			}
			seen[k] = struct{}{}
			out = append(out, item)
		}
	}
	return out, nil
}

func accountID(a Account) int64   { return a.ID }
func customerID(c Customer) int64 { return c.ID }
func projectID(p Project) int64   { return p.ID }
