package mockapi

import (
	"bytes"
	"crypto/ecdh"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

var accountFields = []string{"id", "username", "status", "wg_ip", "wg_private_key", "wg_public_key", "expired_at", "updated", "created"}

func checkAccountObject(t *testing.T, a map[string]any) {
	t.Helper()
	mustKeys(t, a, accountFields...)
	if s := a["status"]; s != "Active" && s != "Disabled" {
		t.Errorf("status %v", s)
	}
	for _, f := range []string{"created", "updated"} {
		if _, err := time.Parse(timestampLayout, a[f].(string)); err != nil {
			t.Errorf("%s %q: %v", f, a[f], err)
		}
	}
	if e := a["expired_at"]; e != nil {
		if _, err := time.Parse(expiredLayout, e.(string)); err != nil {
			t.Errorf("expired_at %q: %v", e, err)
		}
	}
	ip, err := netip.ParseAddr(a["wg_ip"].(string))
	if err != nil || !netip.MustParsePrefix("10.250.0.0/16").Contains(ip) {
		t.Errorf("wg_ip %v not in 10.250.0.0/16", a["wg_ip"])
	} else if lo := ip.As4()[3]; lo == 0 || lo == 255 {
		t.Errorf("wg_ip %v has host byte %d", ip, lo)
	}
	priv, err1 := base64.StdEncoding.DecodeString(a["wg_private_key"].(string))
	pub, err2 := base64.StdEncoding.DecodeString(a["wg_public_key"].(string))
	if err1 != nil || err2 != nil || len(priv) != 32 || len(pub) != 32 {
		t.Fatalf("keys are not 32-byte base64: %v %v", a["wg_private_key"], a["wg_public_key"])
	}
	k, err := ecdh.X25519().NewPrivateKey(priv)
	if err != nil || !bytes.Equal(k.PublicKey().Bytes(), pub) {
		t.Errorf("wg_public_key is not the X25519 public key of wg_private_key")
	}
}

func TestAPIAccounts_create(t *testing.T) {
	s, c := newAPI(t, Options{})
	r := c.post("/accounts", map[string]any{"username": "alice", "password": "secret1"}).mustStatus(t, http.StatusCreated)
	mustKeys(t, r.body, "data", "code")
	a := r.data(t)
	checkAccountObject(t, a)
	if a["username"] != "alice" || a["status"] != "Active" || a["expired_at"] != nil || intOf(t, a["id"]) != 1 {
		t.Errorf("unexpected account %v", a)
	}
	if a["created"] != a["updated"] {
		t.Errorf("created %v != updated %v", a["created"], a["updated"])
	}
	b := c.createAccount("bob", "secret2")
	if intOf(t, b["id"]) != 2 || b["wg_ip"] == a["wg_ip"] || b["wg_private_key"] == a["wg_private_key"] {
		t.Errorf("second account not distinct: %v", b)
	}
	// Round trip through GET.
	g := c.get("/accounts/1").mustStatus(t, 200).data(t)
	for _, f := range accountFields {
		if g[f] != a[f] {
			t.Errorf("GET %s = %v, create said %v", f, g[f], a[f])
		}
	}
	if _, _, n := s.Len(); n != 2 {
		t.Errorf("Len accounts = %d", n)
	}
}

func TestAPIAccounts_createValidation(t *testing.T) {
	s, c := newAPI(t, Options{})
	c.createAccount("taken", "secret1")
	pid := c.createProject("proj")
	cid := c.createCustomer(pid, "used@example.com")
	long := strings.Repeat("u", 256)
	tests := []struct {
		name string
		body any
		want map[string][]string
	}{
		{"empty", map[string]any{}, map[string][]string{
			"username": {"The username field is required."}, "password": {"The password field is required."}}},
		{"nulls and blanks", map[string]any{"username": nil, "password": "   "}, map[string][]string{
			"username": {"The username field is required."}, "password": {"The password field is required."}}},
		{"short password", map[string]any{"username": "new", "password": "12345"}, map[string][]string{
			"password": {"The password must be at least 6 characters."}}},
		{"taken username", map[string]any{"username": "taken", "password": "secret1"}, map[string][]string{
			"username": {"The username has already been taken."}}},
		{"taken and short", map[string]any{"username": "taken", "password": "x"}, map[string][]string{
			"username": {"The username has already been taken."}, "password": {"The password must be at least 6 characters."}}},
		{"non-string username", map[string]any{"username": 12, "password": "secret1"}, map[string][]string{
			"username": {"The username must be a string."}}},
		{"non-string password", map[string]any{"username": "new", "password": 123456}, map[string][]string{
			"password": {"The password must be a string."}}},
		{"long username", map[string]any{"username": long, "password": "secret1"}, map[string][]string{
			"username": {"The username must not be greater than 255 characters."}}},
		{"customer not an object", map[string]any{"username": "new", "password": "secret1", "customer": "x"}, map[string][]string{
			"customer": {"The customer must be an array."}}},
		{"unknown customer_id", map[string]any{"username": "new", "password": "secret1", "customer": map[string]any{"customer_id": 999}}, map[string][]string{
			"customer.customer_id": {"The selected customer.customer id is invalid."}}},
		{"non-integer customer_id", map[string]any{"username": "new", "password": "secret1", "customer": map[string]any{"customer_id": "abc"}}, map[string][]string{
			"customer.customer_id": {"The customer.customer id must be an integer."}}},
		{"new customer missing fields", map[string]any{"username": "new", "password": "secret1", "customer": map[string]any{}}, map[string][]string{
			"customer.first_name": {"The customer.first name field is required."},
			"customer.last_name":  {"The customer.last name field is required."},
			"customer.email":      {"The customer.email field is required."},
			"customer.project_id": {"The customer.project id field is required."}}},
		{"new customer bad email and project", map[string]any{"username": "new", "password": "secret1", "customer": map[string]any{
			"first_name": "A", "last_name": "B", "email": "not-an-email", "project_id": 999}}, map[string][]string{
			"customer.email":      {"The customer.email must be a valid email address."},
			"customer.project_id": {"The selected customer.project id is invalid."}}},
		{"new customer taken email", map[string]any{"username": "new", "password": "secret1", "customer": map[string]any{
			"first_name": "A", "last_name": "B", "email": "USED@example.com", "project_id": pid}}, map[string][]string{
			"customer.email": {"The customer.email has already been taken."}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.post("/accounts", tc.body).mustInvalid(t, tc.want)
		})
	}
	if p, cu, a := s.Len(); p != 1 || cu != 1 || a != 1 {
		t.Errorf("failed creates changed state: %d %d %d", p, cu, a)
	}
	_ = cid
}

func TestAPIAccounts_createWithCustomer(t *testing.T) {
	s, c := newAPI(t, Options{})
	pid := c.createProject("proj")
	cid := c.createCustomer(pid, "existing@example.com")

	// Link to an existing customer (customer_id as a number or a numeric string).
	a1 := c.createAccountFor(cid, "linked1")
	r := c.post("/accounts", map[string]any{"username": "linked2", "password": "secret1",
		"customer": map[string]any{"customer_id": fmt.Sprint(cid), "first_name": "ignored"}}).mustStatus(t, 201)
	a2 := intOf(t, r.data(t)["id"])
	mustKeys(t, r.data(t), accountFields...) // no customer_id in the account object

	// Create a new customer along with the account.
	r = c.post("/accounts", map[string]any{"username": "withnew", "password": "secret1",
		"customer": map[string]any{"first_name": "New", "last_name": "Person", "email": "new@example.com", "project_id": pid}}).mustStatus(t, 201)
	a3 := intOf(t, r.data(t)["id"])
	if _, cu, _ := s.Len(); cu != 2 {
		t.Fatalf("customers = %d, want 2", cu)
	}
	custs := c.get(path("/projects/%d/customers", pid)).mustStatus(t, 200).list(t)
	if len(custs) != 2 || custs[1]["email"] != "new@example.com" || custs[1]["first_name"] != "New" {
		t.Fatalf("project customers %v", custs)
	}
	newCID := intOf(t, custs[1]["id"])

	got := ids(t, c.get(path("/customers/%d/accounts", cid)).mustStatus(t, 200).list(t))
	if fmt.Sprint(got) != fmt.Sprint([]int{a1, a2}) {
		t.Errorf("customer accounts %v, want [%d %d]", got, a1, a2)
	}
	got = ids(t, c.get(path("/customers/%d/accounts", newCID)).mustStatus(t, 200).list(t))
	if fmt.Sprint(got) != fmt.Sprint([]int{a3}) {
		t.Errorf("new customer accounts %v, want [%d]", got, a3)
	}
	// A null customer is the same as none.
	c.post("/accounts", map[string]any{"username": "nocust", "password": "secret1", "customer": nil}).mustStatus(t, 201)
}

func TestBalance_andPrice(t *testing.T) {
	s, c := newAPI(t, Options{Balance: "10.00", AccountPrice: "4.50"})
	c.get("/profile").mustStatus(t, 200)
	c.createAccount("one", "secret1")
	c.createAccount("two", "secret1")
	if b := c.get("/profile").data(t)["balance"]; b != "1.00" {
		t.Fatalf("balance %v, want 1.00", b)
	}
	pid := c.createProject("p")
	// 402 creates nothing, not even the inline customer; validation comes first.
	c.post("/accounts", map[string]any{"username": "three", "password": "secret1",
		"customer": map[string]any{"first_name": "A", "last_name": "B", "email": "a@b.com", "project_id": pid}}).
		mustError(t, http.StatusPaymentRequired, "Insufficient Balance.")
	c.post("/accounts", map[string]any{"username": "one", "password": "secret1"}).
		mustInvalid(t, map[string][]string{"username": {"The username has already been taken."}})
	if _, cu, a := s.Len(); cu != 0 || a != 2 {
		t.Fatalf("402 changed state: customers %d accounts %d", cu, a)
	}
	s.SetBalance("4.50")
	c.createAccount("three", "secret1")
	if b := s.Balance(); b != "0.00" {
		t.Errorf("balance %s", b)
	}
	s.SetAccountPrice("0")
	c.createAccount("four", "secret1")
	if b := c.get("/profile").data(t)["balance"]; b != "0.00" {
		t.Errorf("balance %v", b)
	}
}

func TestAPIAccounts_getAndDelete(t *testing.T) {
	s, c := newAPI(t, Options{})
	a := c.createAccount("gone", "secret1")
	id := intOf(t, a["id"])
	r := c.del(path("/accounts/%d", id)).mustStatus(t, 200)
	mustKeys(t, r.body, "code")
	c.get(path("/accounts/%d", id)).mustError(t, 404, "Account not found.")
	c.del(path("/accounts/%d", id)).mustError(t, 404, "Account not found.")
	for _, p := range []string{"/enable", "/disable", "/change_password", "/expire"} {
		c.put(path("/accounts/%d%s", id, p), map[string]any{"password": "secret1"}).mustError(t, 404, "Account not found.")
	}
	c.post(path("/accounts/%d/validate", id), map[string]any{}).mustError(t, 404, "Account not found.")
	// The username and the wg_ip are free again; ids are never reused.
	b := c.createAccount("gone", "secret1")
	if intOf(t, b["id"]) == id {
		t.Error("id reused")
	}
	if _, _, n := s.Len(); n != 1 {
		t.Errorf("accounts = %d", n)
	}
}

func fixedClock(s *Server, t0 time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = func() time.Time { return t0 }
}

func TestAPIAccounts_enableDisableAndUpdated(t *testing.T) {
	s, c := newAPI(t, Options{})
	t0 := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	fixedClock(s, t0)
	a := c.createAccount("toggle", "secret1")
	id := intOf(t, a["id"])
	if a["created"] != "2024-05-06 07:08:09" || a["updated"] != "2024-05-06 07:08:09" {
		t.Fatalf("timestamps %v %v", a["created"], a["updated"])
	}
	steps := []struct {
		path, status, updated string
	}{
		{"/disable", "Disabled", "2024-05-06 07:08:10"},
		{"/disable", "Disabled", "2024-05-06 07:08:10"}, // no change, updated stays
		{"/enable", "Active", "2024-05-06 07:08:11"},
		{"/enable", "Active", "2024-05-06 07:08:11"},
	}
	for _, st := range steps {
		d := c.put(path("/accounts/%d%s", id, st.path), nil).mustStatus(t, 200).data(t)
		checkAccountObject(t, d)
		if d["status"] != st.status || d["updated"] != st.updated || d["created"] != a["created"] {
			t.Errorf("%s: status %v updated %v", st.path, d["status"], d["updated"])
		}
	}
	// A later real clock wins over the +1s bump.
	fixedClock(s, t0.Add(time.Hour))
	d := c.put(path("/accounts/%d/disable", id), nil).data(t)
	if d["updated"] != "2024-05-06 08:08:09" {
		t.Errorf("updated %v", d["updated"])
	}
}

func TestAPIAccounts_listStatusFilter(t *testing.T) {
	_, c := newAPI(t, Options{})
	for i := 1; i <= 5; i++ {
		c.createAccount(fmt.Sprintf("u%d", i), "secret1")
	}
	c.put("/accounts/2/disable", nil).mustStatus(t, 200)
	c.put("/accounts/4/disable", nil).mustStatus(t, 200)
	tests := []struct {
		query string
		want  string
	}{
		{"", "[1 2 3 4 5]"},
		{"?status=Active", "[1 3 5]"},
		{"?status=Disabled", "[2 4]"},
		{"?status=", "[1 2 3 4 5]"},
	}
	for _, tc := range tests {
		r := c.get("/accounts"+tc.query).mustStatus(t, 200)
		items := r.list(t)
		for _, it := range items {
			checkAccountObject(t, it)
		}
		if got := fmt.Sprint(ids(t, items)); got != tc.want {
			t.Errorf("%q: ids %s, want %s", tc.query, got, tc.want)
		}
		if intOf(t, r.meta(t)["total"]) != strings.Count(tc.want, " ")+1 {
			t.Errorf("%q: total %v", tc.query, r.meta(t)["total"])
		}
	}
	for _, bad := range []string{"active", "Expired", "1"} {
		c.get("/accounts?status="+bad).mustInvalid(t, map[string][]string{"status": {"The selected status is invalid."}})
	}
	c.get("/accounts?status=x&page=0").mustInvalid(t, map[string][]string{
		"status": {"The selected status is invalid."}, "page": {"The page must be at least 1."}})
}

func TestAPIAccounts_expire(t *testing.T) {
	s, c := newAPI(t, Options{})
	fixedClock(s, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	id := intOf(t, c.createAccount("exp", "secret1")["id"])
	p := path("/accounts/%d/expire", id)
	bad := map[string][]string{"expire_at": {"The expire at does not match the format Y-m-d."}}
	tests := []struct {
		name    string
		body    any
		expired any    // expected expired_at, or nil
		updated string // expected updated ("" = error case)
	}{
		{"date", map[string]any{"expire_at": "2023-04-18"}, "2023-04-18T00:00:00.000000Z", "2024-01-01 00:00:01"},
		{"same date again", map[string]any{"expire_at": "2023-04-18"}, "2023-04-18T00:00:00.000000Z", "2024-01-01 00:00:01"},
		{"future date", map[string]any{"expire_at": "2030-12-31"}, "2030-12-31T00:00:00.000000Z", "2024-01-01 00:00:02"},
		{"null", map[string]any{"expire_at": nil}, nil, "2024-01-01 00:00:03"},
		{"date again", map[string]any{"expire_at": "2014-10-03"}, "2014-10-03T00:00:00.000000Z", "2024-01-01 00:00:04"},
		{"absent", map[string]any{}, nil, "2024-01-01 00:00:05"},
		{"set before empty", map[string]any{"expire_at": "2014-10-03"}, "2014-10-03T00:00:00.000000Z", "2024-01-01 00:00:06"},
		{"empty string is null", map[string]any{"expire_at": ""}, nil, "2024-01-01 00:00:07"},
		{"no body", nil, nil, "2024-01-01 00:00:07"},
		{"d-m-Y", map[string]any{"expire_at": "18-04-2023"}, nil, ""},
		{"no padding", map[string]any{"expire_at": "2023-4-8"}, nil, ""},
		{"timestamp", map[string]any{"expire_at": "2023-04-18 00:00:00"}, nil, ""},
		{"RFC3339", map[string]any{"expire_at": "2023-04-18T00:00:00Z"}, nil, ""},
		{"impossible day", map[string]any{"expire_at": "2023-02-30"}, nil, ""},
		{"number", map[string]any{"expire_at": 20230418}, nil, ""},
		{"words", map[string]any{"expire_at": "tomorrow"}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.put(p, tc.body)
			if tc.updated == "" {
				r.mustInvalid(t, bad)
				return
			}
			d := r.mustStatus(t, 200).data(t)
			checkAccountObject(t, d)
			if d["expired_at"] != tc.expired || d["updated"] != tc.updated {
				t.Errorf("expired_at %v updated %v, want %v %v", d["expired_at"], d["updated"], tc.expired, tc.updated)
			}
		})
	}
}

func TestIPPool(t *testing.T) {
	p := newIPPool()
	seen := map[string]bool{}
	for i := range 254 * 256 { // the whole /16 minus .0 and .255 host bytes
		h, ip, err := p.alloc()
		if err != nil {
			t.Fatalf("alloc %d: %v", i, err)
		}
		if seen[ip] {
			t.Fatalf("duplicate %s", ip)
		}
		seen[ip] = true
		if lo := h & 0xff; lo == 0 || lo == 255 {
			t.Fatalf("bad host byte in %s", ip)
		}
		if i == 0 && ip != "10.250.0.1" {
			t.Fatalf("first address %s", ip)
		}
		if i == 254 && ip != "10.250.1.1" {
			t.Fatalf("address 255 is %s", ip)
		}
	}
	if _, _, err := p.alloc(); err == nil {
		t.Fatal("pool not exhausted")
	}
	p.free(0x0102)
	if _, ip, err := p.alloc(); err != nil || ip != "10.250.1.2" {
		t.Fatalf("reuse: %s %v", ip, err)
	}
}
