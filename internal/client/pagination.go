package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
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

// getPage fetches one page of path, sharing the retry budget b (nil: its
// own), and checks it: a page without `data`, or with an item without an
// id, is malformed.
func getPage[T interface{ objectID() int64 }](ctx context.Context, c *Client, path string, query url.Values, b *budget) (*Page[T], error) {
	r := request{method: "GET", path: path, query: query, budget: b}
	data, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	var p struct {
		Data *[]T     `json:"data"`
		Meta PageMeta `json:"meta"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, c.malformed(r, 200, "it is not a page of the list: "+err.Error())
	}
	if p.Data == nil {
		return nil, c.malformed(r, 200, "the page has no data")
	}
	if bad := itemsWithoutID(*p.Data); bad != "" {
		return nil, c.malformed(r, 200, bad)
	}
	for i := range *p.Data {
		c.secrets.learn(&(*p.Data)[i])
	}
	return &Page[T]{Data: *p.Data, Meta: p.Meta}, nil
}

// getList fetches a list that is not paginated (GET /servers, GET /ports):
// the whole list is the answer's data. Like a page, it is malformed when an
// item has no id: `{}` is not a server with id 0.
func getList[T interface{ objectID() int64 }](ctx context.Context, c *Client, path string) ([]T, error) {
	r := request{method: "GET", path: path}
	var out []T
	if err := c.do(ctx, r, &out); err != nil {
		return nil, err
	}
	if bad := itemsWithoutID(out); bad != "" {
		return nil, c.malformed(r, 200, bad)
	}
	return out, nil
}

// itemsWithoutID says which items of a list have no id (none, zero or
// negative), or "" when all have one.
func itemsWithoutID[T interface{ objectID() int64 }](items []T) string {
	var bad []string
	for i, item := range items {
		if item.objectID() <= 0 {
			bad = append(bad, strconv.Itoa(i+1))
		}
	}
	switch {
	case len(bad) == 0:
		return ""
	case len(bad) == 1:
		return fmt.Sprintf("item %s of the %d in the list has no id", bad[0], len(items))
	case len(bad) > 5:
		bad = append(bad[:5], "...")
	}
	return fmt.Sprintf("items %s of the %d in the list have no id", strings.Join(bad, ", "), len(items))
}

// listPage fetches the page opts selects, adding extra filters.
func listPage[T interface{ objectID() int64 }](ctx context.Context, c *Client, path string, opts ListOptions, extra url.Values) (*Page[T], error) {
	q := opts.values()
	for k, v := range extra {
		q[k] = v
	}
	return getPage[T](ctx, c, path, q, nil)
}

// listAll walks every page of path, sharing the retry budget b (nil: each
// page its own). It asks for the first page, then fetches the others side by
// side (at most PageWorkers at a time) and returns the items in page order.
//
// It does not trust the server's count: the meta's last_page is an upper
// bound, never a size to allocate, and one beyond MaxPages is refused; the
// walk stops at the first page that comes back empty or shorter than the
// page size the server serves (which may be smaller than asked for: every
// page is asked for with the same per_page, so it is clamped alike), and the
// requests for pages past it are cancelled.
//
// Paging is by offset, so an item created or deleted while the walk runs can
// shift others between pages: one seen twice is kept once, and one that
// shifts onto a page already fetched is missed, as with any offset paging.
func listAll[T interface{ objectID() int64 }](ctx context.Context, c *Client, path string, extra url.Values, b *budget) ([]T, error) {
	query := func(page int) url.Values {
		q := url.Values{}
		for k, v := range extra {
			q[k] = v
		}
		q.Set("page", strconv.Itoa(page))
		q.Set("per_page", strconv.Itoa(c.pageSize))
		return q
	}
	first, err := getPage[T](ctx, c, path, query(1), b)
	if err != nil {
		return nil, err
	}
	last := first.Meta.LastPage
	if last > MaxPages {
		return nil, &MalformedAnswerError{Method: "GET", URL: c.endpoint(path, nil), StatusCode: 200,
			Reason: fmt.Sprintf("the list claims %d pages, more than the %d the client walks", last, MaxPages)}
	}
	served := first.Meta.PerPage
	if served <= 0 {
		// No per_page in the meta: the first page shows the page size.
		served = len(first.Data)
	}
	pages := [][]T{first.Data}
	if last > 1 && len(first.Data) > 0 && len(first.Data) >= served {
		rest, err := fetchPages[T](ctx, c, last, served, func(ctx context.Context, page int) ([]T, error) {
			p, err := getPage[T](ctx, c, path, query(page), b)
			if err != nil {
				return nil, err
			}
			return p.Data, nil
		})
		if err != nil {
			return nil, err
		}
		pages = append(pages, rest...)
	}
	var out []T
	seen := map[int64]bool{}
	for _, p := range pages {
		for _, item := range p {
			if id := item.objectID(); !seen[id] {
				seen[id] = true
				out = append(out, item)
			}
		}
	}
	return out, nil
}

// fetchPages fetches pages 2..last with at most c.workers at a time, and
// returns them in order up to the first one shorter than served (which
// ends the list: pages past it are not asked for, and those in flight are
// cancelled).
func fetchPages[T any](ctx context.Context, c *Client, last, served int, get func(context.Context, int) ([]T, error)) ([][]T, error) {
	ctx, cancelAll := context.WithCancel(ctx)
	defer cancelAll()
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		stop     = last // the last page that belongs to the list
		got      = map[int][]T{}
		inFlight = map[int]context.CancelFunc{}
		firstErr error
	)
	next := make(chan int)
	for range min(c.workers, last-1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for page := range next {
				pctx, cancel := context.WithCancel(ctx)
				mu.Lock()
				inFlight[page] = cancel
				mu.Unlock()
				items, err := get(pctx, page)
				cancel()
				mu.Lock()
				delete(inFlight, page)
				switch {
				case page > stop:
					// Past the end of the list: whatever it says is moot.
				case err != nil:
					if firstErr == nil {
						firstErr = err
						cancelAll()
					}
				default:
					got[page] = items
					if len(items) < served {
						stop = page
						for p, cancel := range inFlight {
							if p > stop {
								cancel()
							}
						}
					}
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for page := 2; ; page++ {
		mu.Lock()
		done := page > stop
		mu.Unlock()
		if done {
			break
		}
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
	out := make([][]T, 0, len(got))
	for page := 2; page <= stop; page++ {
		out = append(out, got[page])
	}
	return out, nil
}
