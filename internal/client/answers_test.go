package client_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// hostileList serves /accounts pages whose meta claims lastPage, with realPages
// accounts only on the first `realPages` pages (full ones), and empty or full
// pages after that as `fullForever` says.
func hostileList(t *testing.T, lastPage, realPages int, fullForever bool) (*client.Client, *atomic.Int64) {
	t.Helper()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		var items []string
		if page <= realPages || fullForever {
			for i := range perPage {
				items = append(items, fmt.Sprintf(`{"id":%d,"username":"u%d"}`, (page-1)*perPage+i+1, i))
			}
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":[%s],"meta":{"current_page":%d,"last_page":%d,"per_page":%d,"total":%d},"code":200}`,
			strings.Join(items, ","), page, lastPage, perPage, lastPage*perPage)
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{BaseURL: srv.URL + "/v4_1", Token: "t", PageSize: 10, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, &requests
}

// A server's last_page is an upper bound, never a size: a hostile one costs
// a bounded number of requests and no memory, and ends in an error naming
// the URL.
func TestPaging_doesNotTrustTheServer(t *testing.T) {
	for _, last := range []int{1000000, 2147483647} {
		c, requests := hostileList(t, last, 3, true)
		_, err := c.ListAllAccounts(ctx(t), "")
		var pe *client.PagingError
		if !errors.As(err, &pe) || !errors.Is(err, client.ErrMalformed) || !strings.Contains(err.Error(), fmt.Sprint(last)) ||
			!strings.Contains(err.Error(), "/v4_1/accounts?page=1") {
			t.Errorf("last_page %d: want a paging error naming it and the URL, got %v", last, err)
		}
		if got := requests.Load(); got != client.MaxWalks {
			t.Errorf("last_page %d: %d requests, want %d (page 1 of each walk)", last, got, client.MaxWalks)
		}
	}
	// Within the cap, a list that ends before its last_page is a short page
	// before the last: read again, then refused, at a bounded cost.
	c, requests := hostileList(t, client.MaxPages, 3, false)
	_, err := c.ListAllAccounts(ctx(t), "")
	if !errors.Is(err, client.ErrMalformed) || !strings.Contains(err.Error(), "page=4") || !strings.Contains(err.Error(), "fewer than its page size") {
		t.Fatalf("want a paging error naming page 4, got %v", err)
	}
	if got := requests.Load(); got > int64(client.MaxWalks*(4+client.DefaultMaxInFlight)) {
		t.Errorf("%d requests for %d walks of 3 pages and an empty one", got, client.MaxWalks)
	}
}

// Every answer is checked before it is taken as an object; each kind of
// failure has its own error type and wording.
func TestAnswers_areCheckedAndErrorsHaveKinds(t *testing.T) {
	fx := newFixture(t)
	c := fx.another(t, func(c *client.Config) { c.MaxRetries = -1 })
	acc := must[*client.Account](t)(c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "secret-1"}))
	get := "GET /accounts/" + fmt.Sprint(acc.ID)
	for name, tc := range map[string]struct {
		f    mockapi.Interceptor
		want string
	}{
		"undecodable":   {answer(200, "application/json", `{"data":{"id":`), "cannot be decoded"},
		"no data":       {answer(200, "application/json", `{"code":200}`), "has no data"},
		"null data":     {answer(200, "application/json", `{"data":null,"code":200}`), "has no data"},
		"empty data":    {answer(200, "application/json", `{"data":{},"code":200}`), "has no id"},
		"nested data":   {answer(200, "application/json", `{"data":{"data":{"id":1,"username":"alice"},"code":200},"code":200}`), "wrapped a level deeper"},
		"another id":    {answer(200, "application/json", `{"data":{"id":999,"username":"bob"},"code":200}`), "id 999, not " + fmt.Sprint(acc.ID)},
		"HTML 200":      {answer(200, "text/html", htmlPage), "HTML page"},
		"HTML 404":      {answer(404, "text/html", "<html>Not Found</html>"), "HTML page"},
		"HTML no type":  {answer(200, "", htmlPage), "HTML page"},
		"not JSON 500":  {answer(500, "text/plain", "upstream connect error"), "not the API's JSON"},
		"wrong type id": {answer(200, "application/json", `{"data":{"id":"x"},"code":200}`), "not what was asked for"},
	} {
		fx.mock.InterceptNext(get, tc.f)
		_, err := c.GetAccount(ctx(t), acc.ID)
		var bad *client.MalformedAnswerError
		if !errors.As(err, &bad) || !errors.Is(err, client.ErrMalformed) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want a malformed answer saying %q, got %v", name, tc.want, err)
			continue
		}
		if client.IsNotFound(err) || client.IsGone(err, "account") || !strings.Contains(err.Error(), fx.url+"/accounts/") {
			t.Errorf("%s: %v is taken as not found, or does not name the URL", name, err)
		}
	}
	// The API's own 404 names the full URL, and is "gone".
	_, err := c.GetAccount(ctx(t), 424242)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.URL != fx.url+"/accounts/424242" || !client.IsGone(err, "account") || !strings.Contains(err.Error(), apiErr.URL) {
		t.Errorf("missing account: %v (URL %q)", err, apiErr.URL)
	}
	// A list whose items lack ids is malformed too, once every walk saw it.
	for range client.MaxWalks {
		fx.mock.InterceptNext("GET /accounts", answer(200, "application/json", `{"data":[{"username":"x"}],"meta":{"last_page":1},"code":200}`))
	}
	if _, err := c.ListAllAccounts(ctx(t), ""); !errors.Is(err, client.ErrMalformed) {
		t.Errorf("list item without id: %v", err)
	}
	// A transport failure says which URL could not be reached.
	dead, err := client.New(client.Config{BaseURL: "http://127.0.0.1:1/v4_1", Token: "t", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = dead.GetProfile(ctx(t))
	var te *client.TransportError
	if !errors.As(err, &te) || !errors.Is(err, client.ErrTransport) || !strings.HasPrefix(err.Error(), "could not reach http://127.0.0.1:1/v4_1/profile") {
		t.Errorf("unreachable: %v", err)
	}
	// An update answered for another account is malformed, not taken.
	fx.mock.InterceptNext("PUT /accounts/"+fmt.Sprint(acc.ID)+"/disable", answer(200, "application/json", `{"data":{"id":999,"username":"bob"},"code":200}`))
	if _, err := c.DisableAccount(ctx(t), acc.ID); !errors.Is(err, client.ErrMalformed) {
		t.Errorf("disable answered for another account: %v", err)
	}
}

// A list item without an id is a malformed answer naming the URL, in every
// list the client decodes: `{}` is not a server with id 0.
func TestAnswers_listItemsWithoutIDAreMalformed(t *testing.T) {
	fx := newFixture(t)
	c := fx.another(t, func(c *client.Config) { c.MaxRetries = -1 })
	page := func(items string) mockapi.Interceptor {
		return answer(200, "application/json", `{"data":[`+items+`],"meta":{"current_page":1,"last_page":1,"per_page":100,"total":`+fmt.Sprint(strings.Count(items, "}"))+`},"code":200}`)
	}
	whole := func(items string) mockapi.Interceptor {
		return answer(200, "application/json", `{"data":[`+items+`],"code":200}`)
	}
	for _, tc := range []struct {
		name, route string
		f           mockapi.Interceptor
		call        func() error
	}{
		{"servers", "GET /servers", whole(`{"id":1,"name":"a"},{}`), func() error { _, err := c.ListServers(ctx(t)); return err }},
		{"servers id 0", "GET /servers", whole(`{"id":0,"name":"a"},{"id":2}`), func() error { _, err := c.ListServers(ctx(t)); return err }},
		{"ports", "GET /ports", whole(`{"protocol":"udp","number":1194}`), func() error { _, err := c.ListPorts(ctx(t)); return err }},
		{"accounts page", "GET /accounts", page(`{"id":1,"username":"a"},{"username":"b"}`), func() error {
			_, err := c.ListAccounts(ctx(t), client.AccountListOptions{})
			return err
		}},
		{"all accounts", "GET /accounts", page(`{}`), func() error { _, err := c.ListAllAccounts(ctx(t), ""); return err }},
		{"customers", "GET /customers", page(`{}`), func() error { _, err := c.ListAllCustomers(ctx(t)); return err }},
		{"projects", "GET /projects", page(`{"name":"p"}`), func() error { _, err := c.ListAllProjects(ctx(t)); return err }},
		{"project customers", "GET /projects/7/customers", page(`{}`), func() error { _, err := c.ListAllProjectCustomers(ctx(t), 7); return err }},
		{"project accounts", "GET /projects/7/accounts", page(`{}`), func() error { _, err := c.ListAllProjectAccounts(ctx(t), 7); return err }},
		{"customer accounts", "GET /customers/7/accounts", page(`{}`), func() error { _, err := c.ListAllCustomerAccounts(ctx(t), 7); return err }},
	} {
		// Queued for every walk a list makes before it gives up (a page
		// malformed once is walked again).
		fx.mock.InterceptNext(tc.route, tc.f, tc.f, tc.f)
		err := tc.call()
		fx.mock.InterceptNext(tc.route) // what the walk did not use
		var bad *client.MalformedAnswerError
		if !errors.As(err, &bad) || !strings.Contains(err.Error(), "has no id") ||
			!strings.Contains(err.Error(), fx.url+strings.TrimPrefix(tc.route, "GET ")) {
			t.Errorf("%s: want a malformed answer naming %s and the item without an id, got %v", tc.name, tc.route, err)
		}
	}
	// The mock's own lists pass.
	if s, err := c.ListServers(ctx(t)); err != nil || len(s) == 0 {
		t.Errorf("servers: %d, %v", len(s), err)
	}
	if ports, err := c.ListPorts(ctx(t)); err != nil || len(ports) == 0 {
		t.Errorf("ports: %d, %v", len(ports), err)
	}
}

// A body larger than the client reads is refused naming the limit, not cut
// short and misread as "unexpected end of JSON input"; it is not retried.
func TestAnswers_oversizedNamesTheLimit(t *testing.T) {
	fx := newFixture(t)
	c := fx.another(t)
	huge := func(_ http.Handler, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":[`)
		chunk := strings.Repeat(`{"id":1,"name":"padding padding padding"},`, 1<<10)
		for written := 0; written < 20<<20; written += len(chunk) {
			if _, err := io.WriteString(w, chunk); err != nil {
				return // the client stopped reading
			}
		}
		_, _ = io.WriteString(w, `{"id":2}],"code":200}`)
	}
	fx.mock.InterceptNext("GET /servers", huge, huge, huge)
	_, err := c.ListServers(ctx(t))
	var bad *client.MalformedAnswerError
	if !errors.As(err, &bad) || !strings.Contains(err.Error(), "larger than 16 MB") || strings.Contains(err.Error(), "unexpected end") ||
		!strings.Contains(err.Error(), fx.url+"/servers") {
		t.Fatalf("want a malformed answer naming the 16 MB limit and the URL, got %v", err)
	}
	if n := fx.mock.Count("GET /servers"); n != 1 {
		t.Errorf("%d requests, want 1 (an oversized answer is not asked for again)", n)
	}
	// A 5xx error page that large is refused the same way.
	fx.mock.InterceptNext("GET /profile", func(_ http.Handler, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(500)
		_, _ = io.WriteString(w, `{"message":"`+strings.Repeat("x", 17<<20)+`"}`)
	})
	if _, err := c.GetProfile(ctx(t)); !strings.Contains(fmt.Sprint(err), "larger than 16 MB") {
		t.Errorf("oversized 500: %v", err)
	}
}
