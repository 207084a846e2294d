package client

import (
	"context"
	"errors"
	"strconv"
	"sync"
)

// Reads of many single objects, served by pages.
//
// A caller that reads objects one by one (ReadAccount, ReadCustomer,
// ReadProject), as a refresh of many single resources does, costs one GET
// per object. A walk of the kind's list costs one request per page (100
// objects), and one small request per page boundary (the seam checks of
// walk), whatever the number of objects read. Which is cheaper depends on
// how many objects will be read, which the client cannot know, against
// the size of the list, which it learns from the list's first page. So,
// per kind and client, it follows the ski-rental rule:
//
//   - the first probeAfter reads are single GETs (a configuration with a
//     few objects of a kind never pays for a list);
//   - the next read fetches the list's first page instead, which tells
//     how many pages the list has, and serves that read when it shows the
//     object;
//   - reads go on as single GETs until they have cost as many requests as
//     the rest of the walk's pages (pages - 1; its seam checks add as many
//     again); then the list is walked once, and serves every later read.
//
// So reading n objects among a list of p pages costs at most about
// min(n, probeAfter + 3p) requests: never more than about 1.5 times the
// walk, or the GETs, whichever is cheaper. 200 accounts among 1,000 cost 9
// GETs, the first page, then 9 pages and 9 seam checks: 28 requests; 5
// accounts among 20,000 cost 5 GETs and the first page (a walk would have
// been 399 requests).
//
// What a page or the walk serves follows the rules of a GET:
//   - an object the walk did not show is read with its own GET, so only
//     the API's own "not found" says it is gone;
//   - an object this client wrote after the page or walk began (or is
//     writing) is read with its own GET (writeClock);
//   - a walk that fails is not retried: the reads go on as single GETs.
//
// The walk is the client's one list walk (walk, in pagination.go), with its
// checks that the pages agree; waiting for it is shared (sharedWalk).

// probeAfter is how many single GETs of a kind come before its first page
// is fetched.
const probeAfter = 4

// objectReaders are the readers of the kinds read one by one.
type objectReaders struct {
	accounts  objectReader[Account]
	customers objectReader[Customer]
	projects  objectReader[Project]
}

func (r *objectReaders) init(c *Client) {
	r.accounts.init(c, "accounts", c.GetAccount)
	r.customers.init(c, "customers", c.GetCustomer)
	r.projects.init(c, "projects", c.GetProject)
}

// ReadAccount returns one account, as GetAccount does, for a caller that
// reads many accounts one by one: past a few, they are served from one
// walk of the account list (see above).
func (c *Client) ReadAccount(ctx context.Context, id int64) (*Account, error) {
	return c.reads.accounts.read(ctx, id)
}

// ReadCustomer is ReadAccount for customers.
func (c *Client) ReadCustomer(ctx context.Context, id int64) (*Customer, error) {
	return c.reads.customers.read(ctx, id)
}

// ReadProject is ReadAccount for projects.
func (c *Client) ReadProject(ctx context.Context, id int64) (*Project, error) {
	return c.reads.projects.read(ctx, id)
}

// objectReader serves the reads of one kind.
type objectReader[T interface{ objectID() int64 }] struct {
	c    *Client
	kind string // the list's path below the base URL, and the write keys' kind
	get  func(context.Context, int64) (*T, error)

	mu      sync.Mutex
	singles int           // single GETs made (or started)
	pages   int           // pages of the list; 0: not known yet
	probing chan struct{} // closed when the first page in flight is in; nil: none
	first   *snapshot[T]  // the first page, until the walk takes it over
	walking bool          // the walk serves every read from now on
	gaveUp  bool          // a page or the walk failed: single GETs only

	walk sharedWalk[*snapshot[T]]
}

// snapshot is what a page or a walk showed, from stamp on.
type snapshot[T any] struct {
	page  *Page[T] // the first page (for the walk to start from)
	items map[int64]T
	stamp uint64
}

func (r *objectReader[T]) init(c *Client, kind string, get func(context.Context, int64) (*T, error)) {
	r.c, r.kind, r.get = c, kind, get
}

func (r *objectReader[T]) read(ctx context.Context, id int64) (*T, error) {
	for {
		r.mu.Lock()
		switch probing := r.probing; {
		case r.gaveUp:
		case r.walking || r.pages > 0 && r.singles >= r.pages-1:
			r.walking = true
			r.mu.Unlock()
			return r.fromWalk(ctx, id)
		case probing != nil:
			// The first page is on its way: what it says decides.
			r.mu.Unlock()
			select {
			case <-probing:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		case r.pages == 0 && r.singles >= probeAfter:
			r.probing = make(chan struct{})
			r.mu.Unlock()
			return r.probe(ctx, id)
		}
		r.singles++
		r.mu.Unlock()
		return r.get(ctx, id)
	}
}

// probe fetches the list's first page, and serves id from it or with its
// own GET.
func (r *objectReader[T]) probe(ctx context.Context, id int64) (*T, error) {
	stamp := r.c.writes.stamp()
	p, err := getPage[T](ctx, r.c, "/"+r.kind, ListOptions{Page: 1, PerPage: r.c.pageSize}.values(), nil)
	var s *snapshot[T]
	r.mu.Lock()
	close(r.probing)
	r.probing = nil
	switch {
	case err != nil && ctx.Err() != nil:
	case err != nil:
		r.gaveUp = true
	default:
		s = newSnapshot(p.Data, stamp)
		s.page = p
		r.first, r.pages = s, max(p.Meta.LastPage, 1)
	}
	r.mu.Unlock()
	if s != nil {
		if item, ok := r.serve(s, id); ok {
			return item, nil
		}
	}
	r.mu.Lock()
	r.singles++
	r.mu.Unlock()
	return r.get(ctx, id)
}

// fromWalk serves id from the walk, made once.
func (r *objectReader[T]) fromWalk(ctx context.Context, id int64) (*T, error) {
	s, err := r.walk.get(ctx, r.c, func(uint64) bool { return true }, r.walkList)
	switch {
	case err == nil:
		if item, ok := r.serve(s, id); ok {
			return item, nil
		}
	case ctx.Err() != nil:
		return nil, ctx.Err()
	default:
		r.mu.Lock()
		r.gaveUp = true
		r.mu.Unlock()
	}
	return r.get(ctx, id)
}

var errGaveUp = errors.New("an earlier walk of the list failed")

// walkList walks the whole list, from the first page the probe fetched.
func (r *objectReader[T]) walkList(ctx context.Context) (*snapshot[T], error) {
	r.mu.Lock()
	first, gaveUp := r.first, r.gaveUp
	r.first = nil
	r.mu.Unlock()
	if gaveUp {
		return nil, errGaveUp
	}
	stamp := r.c.writes.stamp()
	var page *Page[T]
	if first != nil {
		page, stamp = first.page, first.stamp
	}
	items, err := listAllFrom[T](ctx, r.c, "/"+r.kind, nil, nil, page)
	if err != nil {
		return nil, err
	}
	return newSnapshot(items, stamp), nil
}

func newSnapshot[T interface{ objectID() int64 }](items []T, stamp uint64) *snapshot[T] {
	s := &snapshot[T]{items: make(map[int64]T, len(items)), stamp: stamp}
	for _, it := range items {
		s.items[it.objectID()] = it
	}
	return s
}

// serve returns the object id as s shows it, unless s does not show it or
// the client wrote it since s began.
func (r *objectReader[T]) serve(s *snapshot[T], id int64) (*T, bool) {
	item, ok := s.items[id]
	if !ok {
		return nil, false
	}
	ids := strconv.FormatInt(id, 10)
	if r.c.writes.changedSince(s.stamp, r.kind+"/"+ids, r.kind+"/*") {
		return nil, false
	}
	return &item, true
}
