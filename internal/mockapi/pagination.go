package mockapi

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

const (
	defaultPerPage = 15
	labelPrevious  = "« Previous"
	labelNext      = "Next »"
	onEachSide     = 3 // Laravel's default link window
)

// sortedViews returns the views of the objects of m (stored by their id)
// that keep accepts (nil: all), in id order: the order of every list.
func sortedViews[T, V any](m map[int]*T, keep func(*T) bool, view func(*T) V) []V {
	ids := make([]int, 0, len(m))
	for id, o := range m {
		if keep == nil || keep(o) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := make([]V, len(ids))
	for i, id := range ids {
		out[i] = view(m[id])
	}
	return out
}

// pageReq is a validated page request.
type pageReq struct {
	page      int
	perPage   int  // already clamped to MaxPerPage
	fakeLast  int  // SetHostilePaging's last_page; 0 = truthful
	fakeTotal int  // SetHostilePaging's total; 0 = truthful
	repeat    bool // RepeatItemAfter: the page starts one item early
}

// pageParams validates the page (default 1) and per_page (default 15,
// clamped to MaxPerPage) query parameters: each must be an integer of at
// least 1, else a 422 error on that field is added to fe.
func (s *Server) pageParams(q url.Values, fe fieldErrors) pageReq {
	pr := pageReq{page: 1, perPage: defaultPerPage}
	in := queryInput(q)
	for _, p := range []struct {
		key string
		dst *int
	}{{"page", &pr.page}, {"per_page", &pr.perPage}} {
		v, ok := in.filled(p.key)
		if !ok {
			continue
		}
		n, ok := toInt(v)
		switch {
		case !ok:
			fe.add(p.key, msgInteger(p.key))
		case n < 1:
			fe.add(p.key, fmt.Sprintf("The %s must be at least 1.", attr(p.key)))
		default:
			*p.dst = n
		}
	}
	perPageCap, deleteID, repeat := s.pagingEvents()
	pr.perPage = min(pr.perPage, cmp.Or(perPageCap, s.maxPerPage))
	pr.fakeLast, pr.fakeTotal = s.hostilePaging()
	pr.repeat = repeat
	if deleteID > 0 {
		s.mu.Lock()
		if a := s.accounts[deleteID]; a != nil {
			s.removeAccountLocked(a)
		}
		s.mu.Unlock()
	}
	return pr
}

type pageLinks struct {
	First string  `json:"first"`
	Last  string  `json:"last"`
	Prev  *string `json:"prev"`
	Next  *string `json:"next"`
}

type metaLink struct {
	URL    *string `json:"url"`
	Label  string  `json:"label"`
	Active bool    `json:"active"`
}

type pageMeta struct {
	CurrentPage int        `json:"current_page"`
	From        *int       `json:"from"`
	LastPage    int        `json:"last_page"`
	Links       []metaLink `json:"links"`
	Path        string     `json:"path"`
	PerPage     int        `json:"per_page"`
	To          *int       `json:"to"`
	Total       int        `json:"total"`
}

type pageBody struct {
	Data  any       `json:"data"`
	Links pageLinks `json:"links"`
	Meta  pageMeta  `json:"meta"`
	Code  int       `json:"code"`
}

// paginate answers one page of items (already ordered by id) in Laravel's
// LengthAwarePaginator format. URLs are absolute, built from the request's
// scheme and Host and the request path (which carries the /v4_1 prefix);
// other query parameters (per_page, status) are kept in the page links.
// A page past the end has empty data, null from/to and correct totals
// (unless SetHostilePaging makes the totals lie).
func paginate[T any](r *http.Request, items []T, pr pageReq) response {
	total := len(items)
	realLast := max(1, (total+pr.perPage-1)/pr.perPage)
	lastPage := realLast
	if pr.fakeLast > 0 {
		lastPage = pr.fakeLast
	}
	data := []T{}
	var from, to *int
	if pr.page <= realLast {
		start := (pr.page - 1) * pr.perPage
		end := min(start+pr.perPage, total)
		if pr.repeat && start > 0 {
			start, end = start-1, min(start-1+pr.perPage, total)
		}
		if start < end {
			data = items[start:end]
			f, t := start+1, end
			from, to = &f, &t
		}
	}

	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	path := scheme + "://" + r.Host + r.URL.EscapedPath()
	q := r.URL.Query()
	q.Del("page")
	if q.Has("per_page") {
		q.Set("per_page", strconv.Itoa(pr.perPage))
	}
	pageURL := func(n int) string {
		v := maps.Clone(q)
		v.Set("page", strconv.Itoa(n))
		return path + "?" + v.Encode()
	}
	ptr := func(s string) *string { return &s }

	links := pageLinks{First: pageURL(1), Last: pageURL(lastPage)}
	if pr.page > 1 {
		links.Prev = ptr(pageURL(pr.page - 1))
	}
	if pr.page < lastPage {
		links.Next = ptr(pageURL(pr.page + 1))
	}

	metaLinks := []metaLink{{URL: links.Prev, Label: labelPrevious}}
	for _, el := range urlWindow(pr.page, lastPage) {
		if el.sep {
			metaLinks = append(metaLinks, metaLink{Label: "..."})
			continue
		}
		for n := el.from; n <= el.to; n++ {
			metaLinks = append(metaLinks, metaLink{URL: ptr(pageURL(n)), Label: strconv.Itoa(n), Active: n == pr.page})
		}
	}
	metaLinks = append(metaLinks, metaLink{URL: links.Next, Label: labelNext})

	return response{status: http.StatusOK, body: pageBody{
		Data:  data,
		Links: links,
		Meta: pageMeta{
			CurrentPage: pr.page,
			From:        from,
			LastPage:    lastPage,
			Links:       metaLinks,
			Path:        path,
			PerPage:     pr.perPage,
			To:          to,
			Total:       cmp.Or(pr.fakeTotal, total),
		},
		Code: http.StatusOK,
	}}
}

// windowElement is a range of page numbers or a "..." separator.
type windowElement struct {
	sep      bool
	from, to int
}

// urlWindow reproduces Laravel's UrlWindow (onEachSide = 3): every page
// when there are fewer than 14, otherwise the first/last pages around a
// slider, separated by "...".
func urlWindow(cur, last int) []windowElement {
	rng := func(a, b int) windowElement { return windowElement{from: max(a, 1), to: min(b, last)} }
	sep := windowElement{sep: true}
	if last < onEachSide*2+8 {
		return []windowElement{rng(1, last)}
	}
	window := onEachSide + 4
	switch {
	case cur <= window:
		return []windowElement{rng(1, window+onEachSide), sep, rng(last-1, last)}
	case cur > last-window:
		return []windowElement{rng(1, 2), sep, rng(last-(window+(onEachSide-1)), last)}
	}
	return []windowElement{rng(1, 2), sep, rng(cur-onEachSide, cur+onEachSide), sep, rng(last-1, last)}
}
