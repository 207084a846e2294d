package client

import (
	"context"
	"encoding/json"
	"errors"
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

// MaxWalks is how many times a list walk reads a list whose pages
// contradict each other before it fails with a *PagingError.
const MaxWalks = 3

// getPage fetches one page of path, sharing the retry budget b (nil: its
// own), and checks it: a page without `data`, with an item without an id,
// or with an item its kind cannot do without (an account without a
// username), is malformed.
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
	items := *p.Data
	if bad := itemsWithoutID(items); bad != "" {
		return nil, c.malformed(r, 200, bad)
	}
	for i := range items {
		if v, ok := any(&items[i]).(interface{ problem() string }); ok {
			if why := v.problem(); why != "" {
				return nil, c.malformed(r, 200, fmt.Sprintf("item %d of the page (id %d): %s", i+1, items[i].objectID(), why))
			}
		}
		c.secrets.learn(&items[i])
	}
	return &Page[T]{Data: items, Meta: p.Meta, url: c.shownURL(path, query)}, nil
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

// listAll walks every page of path (see walk), sharing the retry budget b
// (nil: each page its own), with up to MaxInFlight pages asked for ahead
// (their requests share the client's bound of requests in flight), and
// returns the items of the last walk, which saw every page agree, in page
// order.
func listAll[T interface{ objectID() int64 }](ctx context.Context, c *Client, path string, extra url.Values, b *budget) ([]T, error) {
	return listAllFrom[T](ctx, c, path, extra, b, nil)
}

// listAllFrom is listAll whose first walk starts from first, the list's
// first page fetched earlier at the client's page size (nil: none). A walk
// read again after an anomaly fetches every page.
func listAllFrom[T interface{ objectID() int64 }](ctx context.Context, c *Client, path string, extra url.Values, b *budget, first *Page[T]) ([]T, error) {
	var mu sync.Mutex
	fetch := func(ctx context.Context, opts ListOptions) (*Page[T], error) {
		if opts.Page == 1 {
			mu.Lock()
			p := first
			first = nil
			mu.Unlock()
			if p != nil {
				return p, nil
			}
		}
		q := opts.values()
		for k, v := range extra {
			q[k] = v
		}
		return getPage[T](ctx, c, path, q, b)
	}
	var out []T
	err := walk(ctx, c, fetch, T.objectID, max(c.maxInFlight, 1), func() { out = out[:0] }, func(item T) bool {
		out = append(out, item)
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// walk is the one list walk of the client: every list read in full or
// streamed (ListAll*, Items) goes through it. It fetches pages at the
// client's page size, up to ahead pages in flight (1: only the page
// wanted), and hands emit each item of a page once the page has been
// checked against the pages before it; emit returning false stops the walk.
// restart is called before each walk after the first.
//
// Paging is by offset and the server's meta is not trusted, so a walk
// stops at the anomalies that mean a page was missed, shifted or made up:
//   - a page whose per_page differs from the first page's (the server's
//     page size changed during the walk);
//   - a page shorter than per_page, or empty, before last_page, or longer
//     than per_page;
//   - a total or last_page that changes between pages (objects created or
//     deleted during the walk shift the offsets), or a last_page that does
//     not follow from total and per_page;
//   - an id already seen on an earlier page (a shift, or a server answering
//     page 1 again), or a page that says it is another page;
//   - a malformed page (no data, an item without an id or, for accounts, a
//     username);
//   - more pages than MaxPages, or more items than total claims;
//   - a seam that moved: once every page is read, the last item of each
//     page but the last is asked for again, alone (page k*per_page with
//     per_page 1), and must be the one the walk saw there. Objects deleted
//     and created during the walk keep the total and repeat no id, yet
//     shift items from a page not yet read onto one already read, where
//     the walk never sees them; the shift shows at the seams. This costs
//     one small request per page boundary.
//
// On an anomaly it walks the list again from page 1, at most MaxWalks
// times in all, then fails with a *PagingError naming the page's URL and
// what was wrong (a *MalformedAnswerError when a page stayed malformed). A consumer that keeps the list (listAll) starts over on
// restart; one that streams (Items) skips the ids it has already handed on.
// An item is never dropped for being seen twice without the list being
// read again.
func walk[T any](ctx context.Context, c *Client, fetch func(context.Context, ListOptions) (*Page[T], error), key func(T) int64, ahead int, restart func(), emit func(T) bool) error {
	var last error
	for n := 1; n <= MaxWalks; n++ {
		if n > 1 {
			restart()
		}
		stop, err := walkOnce(ctx, c, fetch, key, ahead, emit)
		var (
			anomaly *PagingError
			bad     *MalformedAnswerError
		)
		switch {
		case stop || err == nil:
			return nil
		case errors.As(err, &anomaly):
			anomaly.Walks = n
		case errors.As(err, &bad) && bad.StatusCode == 200:
			// A page that is not a page (an item without an id...): read
			// the list again, and fail as malformed if it stays so.
		default:
			return err
		}
		last = err
	}
	return last
}

// walkOnce walks the list once. It returns stop when emit asked to stop, a
// *PagingError for an anomaly, or the error of a request.
func walkOnce[T any](ctx context.Context, c *Client, fetch func(context.Context, ListOptions) (*Page[T], error), key func(T) int64, ahead int, emit func(T) bool) (stop bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()

	type result struct {
		page *Page[T]
		err  error
		done chan struct{}
	}
	inFlight := map[int]*result{}
	start := func(page int) {
		if inFlight[page] != nil {
			return
		}
		r := &result{done: make(chan struct{})}
		inFlight[page] = r
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(r.done)
			r.page, r.err = fetch(ctx, ListOptions{Page: page, PerPage: c.pageSize})
		}()
	}
	get := func(page int) (*Page[T], error) {
		r := inFlight[page]
		<-r.done
		delete(inFlight, page)
		return r.page, r.err
	}

	start(1)
	first, err := get(1)
	if err != nil {
		return false, err
	}
	fail := func(p *Page[T], page int, format string, args ...any) error {
		where := p.url
		if where == "" {
			where = fmt.Sprintf("page %d", page)
		}
		return &PagingError{URL: where, Reason: fmt.Sprintf(format, args...)}
	}
	meta := first.Meta
	perPage := meta.PerPage
	if perPage <= 0 {
		perPage = len(first.Data) // no per_page in the meta: the first page shows it
	}
	lastPage := max(meta.LastPage, 1)
	switch {
	case meta.CurrentPage != 0 && meta.CurrentPage != 1:
		return false, fail(first, 1, "page 1 came back as page %d", meta.CurrentPage)
	case lastPage > MaxPages:
		return false, fail(first, 1, "the list claims %d pages, more than the %d the client walks", lastPage, MaxPages)
	case meta.Total > 0 && meta.PerPage > 0 && lastPage != max(1, (meta.Total+meta.PerPage-1)/meta.PerPage):
		return false, fail(first, 1, "the list claims %d pages of %d for %d items", lastPage, meta.PerPage, meta.Total)
	}
	seen := map[int64]bool{}
	count := 0
	var seams []int64 // the last id of each page read, in page order
	for page := 1; ; page++ {
		p := first
		if page > 1 {
			for k := page; k < page+ahead && k <= lastPage; k++ {
				start(k)
			}
			if p, err = get(page); err != nil {
				return false, err
			}
			m := p.Meta
			switch {
			case m.CurrentPage != 0 && m.CurrentPage != page:
				return false, fail(p, page, "page %d came back as page %d", page, m.CurrentPage)
			case m.PerPage > 0 && meta.PerPage > 0 && m.PerPage != meta.PerPage:
				return false, fail(p, page, "the page size changed from %d to %d during the walk", meta.PerPage, m.PerPage)
			case max(m.LastPage, 1) != lastPage:
				return false, fail(p, page, "the number of pages changed from %d to %d during the walk", lastPage, max(m.LastPage, 1))
			case m.Total != meta.Total:
				return false, fail(p, page, "the number of items changed from %d to %d during the walk (objects were created or deleted)", meta.Total, m.Total)
			}
		}
		switch n := len(p.Data); {
		case n > perPage:
			return false, fail(p, page, "the page holds %d items, more than its page size %d", n, perPage)
		case page < lastPage && n < perPage:
			return false, fail(p, page, "the page holds %d items, fewer than its page size %d, before the last page %d", n, perPage, lastPage)
		case page < lastPage && n == 0:
			return false, fail(p, page, "the page is empty, before the last page %d", lastPage)
		}
		for _, item := range p.Data {
			k := key(item)
			if seen[k] {
				return false, fail(p, page, "id %d came back on a second page (the list shifted during the walk, or the server repeats pages)", k)
			}
			seen[k] = true
		}
		count += len(p.Data)
		if n := len(p.Data); n > 0 {
			seams = append(seams, key(p.Data[n-1]))
		}
		if meta.Total > 0 && count > meta.Total {
			return false, fail(p, page, "the pages hold more items than the total of %d", meta.Total)
		}
		for _, item := range p.Data {
			if !emit(item) {
				return true, nil
			}
		}
		if page >= lastPage || len(p.Data) == 0 {
			break
		}
	}
	if meta.Total > 0 && count != meta.Total {
		return false, &PagingError{URL: first.url, Reason: fmt.Sprintf("the pages hold %d items, not the total of %d", count, meta.Total)}
	}
	return false, checkSeams(ctx, c, fetch, key, perPage, seams)
}

// checkSeams asks again, side by side (the client's Each), for the item at
// the end of each page but the last (seams[k-1] is the id the walk saw
// there, at position k*perPage), and returns a *PagingError for the first
// one that is no longer there: the list moved under the walk.
func checkSeams[T any](ctx context.Context, c *Client, fetch func(context.Context, ListOptions) (*Page[T], error), key func(T) int64, perPage int, seams []int64) error {
	if len(seams) < 2 || perPage <= 0 {
		return nil
	}
	checks := seams[:len(seams)-1]
	_, errs, interrupted := Results(ctx, c, len(checks), func(ctx context.Context, i int) (struct{}, error) {
		pos := (i + 1) * perPage
		p, err := fetch(ctx, ListOptions{Page: pos, PerPage: 1})
		if err != nil {
			return struct{}{}, err
		}
		if len(p.Data) == 1 && key(p.Data[0]) == checks[i] {
			return struct{}{}, nil
		}
		got := "nothing"
		if len(p.Data) > 0 {
			got = fmt.Sprintf("id %d", key(p.Data[0]))
		}
		return struct{}{}, &PagingError{URL: p.url, Reason: fmt.Sprintf("item %d of the list was id %d when page %d was "+
			"read, and is now %s: objects were deleted and created during the walk, and one may have been missed",
			pos, checks[i], i+1, got)}
	})
	if interrupted != nil {
		return interrupted
	}
	return FirstError(errs)
}
