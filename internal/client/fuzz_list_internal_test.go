package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The fuzz target of the list walk: pages of any content, read the three
// ways the client reads a list.

// oraclePage is the part of a page the walk's checks read, decoded here
// independently of the client.
type oraclePage struct {
	Data []struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
	} `json:"data"`
	Meta struct {
		CurrentPage int `json:"current_page"`
		LastPage    int `json:"last_page"`
		PerPage     int `json:"per_page"`
		Total       int `json:"total"`
	} `json:"meta"`
}

// FuzzListWalk: a list of up to three pages (any bodies; a fourth page is
// the API's 404) read in full with one page in flight, with four, and
// streamed (Items), gives the same outcome all three ways. When it
// succeeds the list is every item of pages 1 to last_page in order, each
// page said it was that page and held at most per_page items (all of them
// before the last), the ids are distinct and the count is the total;
// a failure is a malformed answer or the 404, with a printable text.
func FuzzListWalk(f *testing.F) {
	page := func(n, last, perPage, total int, ids ...int) string {
		items := make([]string, len(ids))
		for i, id := range ids {
			items[i] = fmt.Sprintf(`{"id":%d,"username":"u%d","status":"Active"}`, id, id)
		}
		return fmt.Sprintf(`{"data":[%s],"links":{"first":"%s/accounts?page=1","next":null},"meta":{"current_page":%d,"from":1,"last_page":%d,"links":[],"path":"%s/accounts","per_page":%d,"to":2,"total":%d},"code":200}`,
			strings.Join(items, ","), fuzzBase, n, last, fuzzBase, perPage, total)
	}
	f.Add(page(1, 3, 2, 5, 1, 2), page(2, 3, 2, 5, 3, 4), page(3, 3, 2, 5, 5))
	f.Add(page(1, 1, 2, 2, 1, 2), "", "")
	f.Add(page(1, 2, 2, 3, 1, 2), page(2, 2, 2, 3, 2), "")                        // an id twice
	f.Add(page(1, 2, 2, 4, 1, 2), page(2, 2, 3, 4, 3, 4), "")                     // per_page changes
	f.Add(page(1, 3, 2, 5, 1, 2), page(2, 3, 2, 5, 3), page(3, 3, 2, 5, 5))       // short page
	f.Add(page(1, 2, 2, 3, 1, 2), page(1, 2, 2, 3, 1, 2), "")                     // page 1 again
	f.Add(page(1, 2, 2, 3, 1, 2, 3), page(2, 2, 2, 3, 4), "")                     // a page too long
	f.Add(page(1, 9, 2, 18, 1, 2), page(2, 9, 2, 18, 3, 4), page(3, 9, 2, 18, 5)) // more pages than served
	f.Add(`{"data":[],"meta":{"last_page":3}}`, `{"data":[]}`, `{"data":[]}`)
	f.Add(`{"data":[{"id":1,"username":"a"}],"meta":{"current_page":2}}`, "", "")
	f.Add(`{"data":[{"username":"x"}],"meta":{"last_page":1}}`, "", "")
	f.Add(`<html>502</html>`, "", "")
	f.Fuzz(func(t *testing.T, p1, p2, p3 string) {
		pages := []string{p1, p2, p3}
		answer := func(r *http.Request) canned {
			var n int
			if _, err := fmt.Sscan(r.URL.Query().Get("page"), &n); err != nil || n < 1 || n > len(pages) {
				return canned{404, http.Header{"Content-Type": {"application/json"}}, `{"message":"Not found.","code":404}`}
			}
			return canned{200, http.Header{"Content-Type": {"application/json"}}, pages[n-1]}
		}
		ctx := fuzzCtx(t)
		one, errOne := fuzzClient(t, 1, answer).ListAllAccounts(ctx, "")
		four, errFour := fuzzClient(t, 4, answer).ListAllAccounts(ctx, "")
		c := fuzzClient(t, 1, answer)
		var streamed []Account
		var errStream error
		for a, err := range Items(ctx, c, func(ctx context.Context, o ListOptions) (*Page[Account], error) {
			return c.ListAccounts(ctx, AccountListOptions{ListOptions: o})
		}, Account.objectID) {
			if err != nil {
				errStream = err
				break
			}
			streamed = append(streamed, a)
		}
		if (errOne == nil) != (errFour == nil) || (errOne == nil) != (errStream == nil) {
			t.Fatalf("outcomes differ: one page in flight %v, four %v, streamed %v", errOne, errFour, errStream)
		}
		if errOne != nil {
			for _, err := range []error{errOne, errFour, errStream} {
				if !errors.Is(err, ErrMalformed) && !IsNotFound(err) {
					t.Errorf("the walk fails with %T %v", err, err)
				}
				checkErrorText(t, err, knownSecrets(false, false))
			}
			return
		}
		if fmt.Sprint(ids(one)) != fmt.Sprint(ids(four)) || fmt.Sprint(ids(one)) != fmt.Sprint(ids(streamed)) {
			t.Fatalf("lists differ: %v, %v with four pages in flight, %v streamed", ids(one), ids(four), ids(streamed))
		}
		checkWalk(t, pages, one)
	})
}

func ids(accs []Account) []int64 {
	out := make([]int64, len(accs))
	for i, a := range accs {
		out[i] = a.ID
	}
	return out
}

// checkWalk checks a list a walk returned against the pages it was served.
func checkWalk(t *testing.T, pages []string, got []Account) {
	t.Helper()
	var decoded []oraclePage
	for _, body := range pages {
		var p oraclePage
		_ = json.Unmarshal([]byte(body), &p)
		decoded = append(decoded, p)
	}
	first := decoded[0].Meta
	last := max(first.LastPage, 1)
	if last > len(pages) {
		t.Fatalf("a walk of %d pages succeeds with %d pages served", last, len(pages))
	}
	perPage := first.PerPage
	if perPage <= 0 {
		perPage = len(decoded[0].Data)
	}
	var want []int64
	for n, p := range decoded[:last] {
		if p.Meta.CurrentPage != 0 && p.Meta.CurrentPage != n+1 {
			t.Errorf("page %d said it was page %d", n+1, p.Meta.CurrentPage)
		}
		if len(p.Data) > perPage || n+1 < last && len(p.Data) != perPage {
			t.Errorf("page %d of %d holds %d items, per_page %d", n+1, last, len(p.Data), perPage)
		}
		for _, item := range p.Data {
			want = append(want, item.ID)
		}
	}
	if fmt.Sprint(ids(got)) != fmt.Sprint(want) {
		t.Errorf("the walk gives %v, the pages 1-%d hold %v", ids(got), last, want)
	}
	seen := map[int64]bool{}
	for _, a := range got {
		if a.ID <= 0 || a.Username == "" || seen[a.ID] {
			t.Errorf("account %d %q: no id, no username, or seen twice", a.ID, a.Username)
		}
		seen[a.ID] = true
	}
	if first.Total > 0 && len(got) != first.Total {
		t.Errorf("%d accounts, the total says %d", len(got), first.Total)
	}
}
