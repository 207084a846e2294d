package mockapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// apiClient talks to a Server through a real HTTP listener.
type apiClient struct {
	t     *testing.T
	base  string // http://127.0.0.1:PORT/v4_1
	token string
	hc    *http.Client
}

type reqOpt func(*http.Request)

func noAuth() reqOpt { return func(r *http.Request) { r.Header.Del("Authorization") } }

func withToken(tok string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

func withBasic(user, pass string) reqOpt {
	return func(r *http.Request) { r.SetBasicAuth(user, pass) }
}

func withHeader(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

// result is a decoded answer.
type result struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any // nil when the body is not a JSON object
}

func newAPI(t *testing.T, opts Options) (*Server, *apiClient) {
	t.Helper()
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, &apiClient{t: t, base: ts.URL + PathPrefix, token: s.Token(), hc: ts.Client()}
}

// do sends a request. body: nil (none), string (verbatim) or a value to
// JSON-encode. path is relative to the base URL (e.g. "/accounts?page=2").
func (c *apiClient) do(method, path string, body any, opts ...reqOpt) result {
	c.t.Helper()
	var rdr io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rdr = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rdr = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.base+path, rdr)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	res := result{status: resp.StatusCode, header: resp.Header, raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &res.body); err != nil {
			c.t.Fatalf("%s %s: invalid JSON %q: %v", method, path, raw, err)
		}
	}
	return res
}

func (c *apiClient) get(path string, opts ...reqOpt) result {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil, opts...)
}

func (c *apiClient) post(path string, body any, opts ...reqOpt) result {
	c.t.Helper()
	return c.do(http.MethodPost, path, body, opts...)
}

func (c *apiClient) put(path string, body any, opts ...reqOpt) result {
	c.t.Helper()
	return c.do(http.MethodPut, path, body, opts...)
}

func (c *apiClient) del(path string) result {
	c.t.Helper()
	return c.do(http.MethodDelete, path, nil)
}

// mustStatus fails unless the status matches, and also checks that a JSON
// answer's "code" equals the status.
func (r result) mustStatus(t *testing.T, want int) result {
	t.Helper()
	if r.status != want {
		t.Fatalf("status = %d, want %d; body %s", r.status, want, r.raw)
	}
	if r.body != nil {
		if code, ok := r.body["code"]; !ok || code != float64(want) {
			t.Fatalf("code = %v, want %d; body %s", code, want, r.raw)
		}
	}
	return r
}

// mustError checks status, message and code of an error answer.
func (r result) mustError(t *testing.T, status int, message string) result {
	t.Helper()
	r.mustStatus(t, status)
	if got := r.body["message"]; got != message {
		t.Fatalf("message = %v, want %q; body %s", got, message, r.raw)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q", ct)
	}
	return r
}

// mustInvalid checks a 422 whose errors are exactly want.
func (r result) mustInvalid(t *testing.T, want map[string][]string) {
	t.Helper()
	r.mustError(t, http.StatusUnprocessableEntity, "The given data was invalid.")
	if got := r.errors(t); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors = %v, want %v", got, want)
	}
}

func (r result) errors(t *testing.T) map[string][]string {
	t.Helper()
	raw, ok := r.body["errors"].(map[string]any)
	if !ok {
		t.Fatalf("no errors object in %s", r.raw)
	}
	out := map[string][]string{}
	for k, v := range raw {
		for _, m := range v.([]any) {
			out[k] = append(out[k], m.(string))
		}
	}
	return out
}

func (r result) data(t *testing.T) map[string]any {
	t.Helper()
	d, ok := r.body["data"].(map[string]any)
	if !ok {
		t.Fatalf("data is not an object: %s", r.raw)
	}
	return d
}

func (r result) list(t *testing.T) []map[string]any {
	t.Helper()
	items, ok := r.body["data"].([]any)
	if !ok {
		t.Fatalf("data is not a list: %s", r.raw)
	}
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it.(map[string]any)
	}
	return out
}

func (r result) meta(t *testing.T) map[string]any {
	t.Helper()
	m, ok := r.body["meta"].(map[string]any)
	if !ok {
		t.Fatalf("no meta in %s", r.raw)
	}
	return m
}

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func mustKeys(t *testing.T, m map[string]any, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := keysOf(m); !slices.Equal(got, want) {
		t.Fatalf("keys = %v, want %v", got, want)
	}
}

func intOf(t *testing.T, v any) int {
	t.Helper()
	f, ok := v.(float64)
	if !ok || f != float64(int(f)) {
		t.Fatalf("%v (%T) is not an integer", v, v)
	}
	return int(f)
}

func ids(t *testing.T, items []map[string]any) []int {
	t.Helper()
	out := make([]int, len(items))
	for i, it := range items {
		out[i] = intOf(t, it["id"])
	}
	return out
}

// Convenience creators going through HTTP.

func (c *apiClient) createAccount(username, password string) map[string]any {
	c.t.Helper()
	return c.post("/accounts", map[string]any{"username": username, "password": password}).
		mustStatus(c.t, http.StatusCreated).data(c.t)
}

func (c *apiClient) createProject(name string) int {
	c.t.Helper()
	r := c.post("/projects", map[string]any{"name": name, "description": "desc of " + name}).mustStatus(c.t, http.StatusOK)
	return intOf(c.t, r.data(c.t)["id"])
}

func (c *apiClient) createCustomer(projectID int, email string) int {
	c.t.Helper()
	r := c.post("/customers", map[string]any{"first_name": "First", "last_name": "Last", "email": email, "project_id": projectID}).
		mustStatus(c.t, http.StatusOK)
	return intOf(c.t, r.data(c.t)["id"])
}

func (c *apiClient) createAccountFor(customerID int, username string) int {
	c.t.Helper()
	r := c.post("/accounts", map[string]any{"username": username, "password": "secret1",
		"customer": map[string]any{"customer_id": customerID}}).mustStatus(c.t, http.StatusCreated)
	return intOf(c.t, r.data(c.t)["id"])
}

func path(format string, args ...any) string { return fmt.Sprintf(format, args...) }
