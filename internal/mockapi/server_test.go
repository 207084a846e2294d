package mockapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// documentedRoutes lists every route key of docs/development/api-notes.md with a concrete path.
var documentedRoutes = []struct {
	key    string
	method string
	path   string
}{
	{"GET /accounts", "GET", "/accounts"},
	{"POST /accounts", "POST", "/accounts"},
	{"GET /accounts/check_username", "GET", "/accounts/check_username"},
	{"GET /accounts/{id}", "GET", "/accounts/1"},
	{"DELETE /accounts/{id}", "DELETE", "/accounts/1"},
	{"PUT /accounts/{id}/enable", "PUT", "/accounts/1/enable"},
	{"PUT /accounts/{id}/disable", "PUT", "/accounts/1/disable"},
	{"PUT /accounts/{id}/change_password", "PUT", "/accounts/1/change_password"},
	{"PUT /accounts/{id}/expire", "PUT", "/accounts/1/expire"},
	{"POST /accounts/{id}/validate", "POST", "/accounts/1/validate"},
	{"PUT /un/accounts/enable", "PUT", "/un/accounts/enable"},
	{"PUT /un/accounts/disable", "PUT", "/un/accounts/disable"},
	{"PUT /un/accounts/change_password", "PUT", "/un/accounts/change_password"},
	{"GET /un/accounts/show", "GET", "/un/accounts/show"},
	{"GET /configuration/openvpn", "GET", "/configuration/openvpn"},
	{"GET /configuration/wireguard", "GET", "/configuration/wireguard"},
	{"GET /geoip", "GET", "/geoip"},
	{"GET /servers", "GET", "/servers"},
	{"GET /ports", "GET", "/ports"},
	{"GET /profile", "GET", "/profile"},
	{"GET /customers", "GET", "/customers"},
	{"POST /customers", "POST", "/customers"},
	{"GET /customers/{id}", "GET", "/customers/1"},
	{"PUT /customers/{id}", "PUT", "/customers/1"},
	{"DELETE /customers/{id}", "DELETE", "/customers/1"},
	{"GET /customers/{id}/accounts", "GET", "/customers/1/accounts"},
	{"GET /projects", "GET", "/projects"},
	{"POST /projects", "POST", "/projects"},
	{"GET /projects/{id}", "GET", "/projects/1"},
	{"PUT /projects/{id}", "PUT", "/projects/1"},
	{"DELETE /projects/{id}", "DELETE", "/projects/1"},
	{"GET /projects/{id}/customers", "GET", "/projects/1/customers"},
	{"GET /projects/{id}/accounts", "GET", "/projects/1/accounts"},
}

func TestRoutes_everyDocumentedOneNeedsItsAuthAndIsCounted(t *testing.T) {
	s, c := newAPI(t, Options{})
	for _, rt := range documentedRoutes {
		t.Run(rt.key, func(t *testing.T) {
			before := s.Count(rt.key)
			r := c.do(rt.method, rt.path, nil, noAuth())
			if rt.key == "GET /geoip" {
				r.mustStatus(t, http.StatusOK)
			} else {
				r.mustError(t, http.StatusUnauthorized, "Unauthorized.")
				if r.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			}
			if got := s.Count(rt.key); got != before+1 {
				t.Errorf("Count(%q) = %d, want %d", rt.key, got, before+1)
			}
		})
	}
	if len(s.Counts()) != len(documentedRoutes) {
		t.Errorf("Counts() has %d keys, want %d: %v", len(s.Counts()), len(documentedRoutes), s.Counts())
	}
}

func TestRoutes_errors(t *testing.T) {
	s, c := newAPI(t, Options{})
	tests := []struct {
		name, method, path string
		status             int
		message            string
		allow              string
	}{
		{"unknown path", "GET", "/nope", 404, "Not Found.", ""},
		{"prefix only", "GET", "", 404, "Not Found.", ""},
		{"trailing slash", "GET", "/accounts/", 404, "Not Found.", ""},
		{"too deep", "GET", "/accounts/1/enable/x", 404, "Not Found.", ""},
		{"collection wrong method", "DELETE", "/accounts", 405, "Method Not Allowed.", "GET, POST"},
		{"item wrong method", "POST", "/accounts/1", 405, "Method Not Allowed.", "DELETE, GET"},
		{"enable with GET", "GET", "/accounts/1/enable", 405, "Method Not Allowed.", "PUT"},
		{"customer PATCH", "PATCH", "/customers/1", 405, "Method Not Allowed.", "DELETE, GET, PUT"},
		{"servers POST", "POST", "/servers", 405, "Method Not Allowed.", "GET"},
		{"un show PUT", "PUT", "/un/accounts/show", 405, "Method Not Allowed.", "GET"},
		{"405 comes before auth", "PUT", "/profile", 405, "Method Not Allowed.", "GET"},
		{"check_username is not an id for GET", "GET", "/accounts/check_username", 422, "The given data was invalid.", ""},
		{"check_username is an id for DELETE", "DELETE", "/accounts/check_username", 404, "Account not found.", ""},
		{"non-numeric account id", "GET", "/accounts/abc", 404, "Account not found.", ""},
		{"negative account id", "PUT", "/accounts/-1/enable", 404, "Account not found.", ""},
		{"huge account id", "GET", "/accounts/99999999999999999999999", 404, "Account not found.", ""},
		{"non-numeric customer id", "GET", "/customers/x1", 404, "Customer not found.", ""},
		{"non-numeric customer accounts", "GET", "/customers/x/accounts", 404, "Customer not found.", ""},
		{"non-numeric project id", "DELETE", "/projects/1.5", 404, "Project not found.", ""},
		{"non-numeric project customers", "GET", "/projects/zz/customers", 404, "Project not found.", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.do(tc.method, tc.path, nil, noAuth(), withToken(s.Token()))
			r.mustError(t, tc.status, tc.message)
			if got := r.header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
		})
	}
	// Outside the prefix.
	r, err := http.Get(strings.TrimSuffix(c.base, PathPrefix) + "/accounts")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 404 || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("no prefix: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	// 405 is counted under the request's method and the matched pattern.
	if s.Count("PATCH /customers/{id}") != 1 || s.Count("DELETE /accounts") != 1 {
		t.Errorf("405 counters: %v", s.Counts())
	}
	// Unknown paths are not counted.
	for k := range s.Counts() {
		if strings.Contains(k, "nope") {
			t.Errorf("unknown path counted: %s", k)
		}
	}
}

func TestAuth_bearer(t *testing.T) {
	_, c := newAPI(t, Options{Token: "s3cret"})
	if c.token != "s3cret" {
		t.Fatalf("Token() = %q", c.token)
	}
	tests := []struct {
		name   string
		opt    reqOpt
		status int
	}{
		{"valid", withToken("s3cret"), 200},
		{"lower-case scheme", withHeader("Authorization", "bearer s3cret"), 200},
		{"missing", noAuth(), 401},
		{"wrong token", withToken("nope"), 401},
		{"prefix of token", withToken("s3c"), 401},
		{"basic scheme", withBasic("s3cret", ""), 401},
		{"no scheme", withHeader("Authorization", "s3cret"), 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.get("/profile", tc.opt)
			r.mustStatus(t, tc.status)
		})
	}
	// Default token.
	s2 := New(Options{})
	if s2.Token() != "test-token" {
		t.Errorf("default token %q", s2.Token())
	}
}

func TestAuth_comesBeforeHandlerErrors(t *testing.T) {
	_, c := newAPI(t, Options{})
	// Non-numeric id, malformed body and validation errors all lose to 401.
	c.get("/accounts/abc", noAuth()).mustError(t, 401, "Unauthorized.")
	c.post("/accounts", "{not json", noAuth()).mustError(t, 401, "Unauthorized.")
	c.post("/accounts", map[string]any{}, noAuth()).mustError(t, 401, "Unauthorized.")
}

func TestBodies_malformed(t *testing.T) {
	_, c := newAPI(t, Options{})
	a := c.createAccount("bodyuser", "secret1")
	id := intOf(t, a["id"])
	for _, body := range []string{"{", "{\"username\":}", "[]", "\"x\"", "null", "{} {}", "{\"a\":1}x", "12"} {
		t.Run(body, func(t *testing.T) {
			c.post("/accounts", body).mustError(t, 400, "Bad Request.")
			c.put(path("/accounts/%d/expire", id), body).mustError(t, 400, "Bad Request.")
			c.put("/customers/1", body).mustError(t, 400, "Bad Request.")
		})
	}
	// Empty and whitespace-only bodies are an empty object.
	c.post("/accounts", "").mustInvalid(t, map[string][]string{
		"username": {"The username field is required."},
		"password": {"The password field is required."},
	})
	c.put(path("/accounts/%d/enable", id), "  \n").mustStatus(t, 200)
	c.put(path("/accounts/%d/enable", id), nil).mustStatus(t, 200)
}

func TestResponses_jsonEnvelopeAndContentType(t *testing.T) {
	_, c := newAPI(t, Options{})
	r := c.get("/profile").mustStatus(t, 200)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	mustKeys(t, r.body, "data", "code")
	pid := c.createProject("p")
	r = c.put(path("/projects/%d", pid), map[string]any{"name": "n", "description": "d"}).mustStatus(t, 200)
	mustKeys(t, r.body, "code")
	r = c.get("/nope").mustError(t, 404, "Not Found.")
	mustKeys(t, r.body, "message", "code")
}

func TestServeHTTP_directly(t *testing.T) {
	s := New(Options{})
	req := httptest.NewRequest(http.MethodGet, "/v4_1/servers", nil)
	req.Header.Set("Authorization", "Bearer test-token")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "ams-s02.321inter.net") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var _ http.Handler = s
}

func TestSeedAccounts_andLen(t *testing.T) {
	s, c := newAPI(t, Options{})
	if p, cu, a := s.Len(); p+cu+a != 0 {
		t.Fatalf("fresh server has data: %d %d %d", p, cu, a)
	}
	c.createAccount("seed2", "secret1")
	got := s.SeedAccounts(3, "seed")
	if len(got) != 3 {
		t.Fatalf("SeedAccounts returned %v", got)
	}
	// seed2 was taken, so the seeded names are seed1, seed3, seed4.
	for i, name := range []string{"seed1", "seed3", "seed4"} {
		d := c.get(path("/accounts/%d", got[i])).mustStatus(t, 200).data(t)
		if d["username"] != name {
			t.Errorf("account %d username %v, want %s", got[i], d["username"], name)
		}
		c.post(path("/accounts/%d/validate", got[i]), map[string]any{"username": name, "password": "password1"}).mustStatus(t, 200)
	}
	if _, _, a := s.Len(); a != 4 {
		t.Errorf("accounts = %d, want 4", a)
	}
	if s.Count("POST /accounts") != 1 {
		t.Errorf("seeding moved counters: %v", s.Counts())
	}
	pid := s.SeedProject("p", "d")
	if cid := s.SeedCustomer(pid, "a", "b", "a@b.c"); cid == 0 {
		t.Error("SeedCustomer failed")
	}
	if cid := s.SeedCustomer(pid, "a", "b", "A@B.C"); cid != 0 {
		t.Error("SeedCustomer accepted a taken email")
	}
	if cid := s.SeedCustomer(pid+1, "a", "b", "x@b.c"); cid != 0 {
		t.Error("SeedCustomer accepted an unknown project")
	}
	if p, cu, _ := s.Len(); p != 1 || cu != 1 {
		t.Errorf("Len = %d projects %d customers", p, cu)
	}
}
