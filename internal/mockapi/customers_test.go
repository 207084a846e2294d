package mockapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

var customerFields = []string{"id", "first_name", "last_name", "email", "user_id", "project_id"}

func TestCustomers_crud(t *testing.T) {
	s, c := newAPI(t, Options{})
	pid := c.createProject("proj")
	body := map[string]any{"first_name": "Jefferey", "last_name": "Barrows", "email": "jefferey.barrows@nolan.com", "project_id": pid}
	r := c.post("/customers", body).mustStatus(t, http.StatusOK)
	mustKeys(t, r.body, "data", "code")
	d := r.data(t)
	mustKeys(t, d, customerFields...)
	want := map[string]any{"id": 1.0, "first_name": "Jefferey", "last_name": "Barrows", "email": "jefferey.barrows@nolan.com",
		"user_id": float64(ResellerUserID), "project_id": float64(pid)}
	if fmt.Sprint(d) != fmt.Sprint(want) {
		t.Fatalf("created %v, want %v", d, want)
	}
	if g := c.get("/customers/1").mustStatus(t, 200).data(t); fmt.Sprint(g) != fmt.Sprint(want) {
		t.Errorf("get %v", g)
	}
	// project_id as a numeric string is an integer too.
	c.post("/customers", map[string]any{"first_name": "A", "last_name": "B", "email": "a@b.com", "project_id": fmt.Sprint(pid)}).mustStatus(t, 200)

	list := c.get("/customers").mustStatus(t, 200)
	if got := fmt.Sprint(ids(t, list.list(t))); got != "[1 2]" {
		t.Errorf("list ids %s", got)
	}
	for _, it := range list.list(t) {
		mustKeys(t, it, customerFields...)
	}

	r = c.del("/customers/2").mustStatus(t, 200)
	mustKeys(t, r.body, "code")
	c.get("/customers/2").mustError(t, 404, "Customer not found.")
	c.del("/customers/2").mustError(t, 404, "Customer not found.")
	c.put("/customers/2", map[string]any{"first_name": "x"}).mustError(t, 404, "Customer not found.")
	c.get("/customers/2/accounts").mustError(t, 404, "Customer not found.")
	// The deleted customer's email is free again.
	c.post("/customers", map[string]any{"first_name": "A", "last_name": "B", "email": "a@b.com", "project_id": pid}).mustStatus(t, 200)
	if _, n, _ := s.Len(); n != 2 {
		t.Errorf("customers = %d", n)
	}
}

func TestCustomers_createValidation(t *testing.T) {
	_, c := newAPI(t, Options{})
	pid := c.createProject("proj")
	c.createCustomer(pid, "taken@example.com")
	ok := func(k string, v any) map[string]any {
		b := map[string]any{"first_name": "F", "last_name": "L", "email": "fresh@example.com", "project_id": pid}
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	long := strings.Repeat("a", 256)
	tests := []struct {
		name string
		body map[string]any
		want map[string][]string
	}{
		{"empty", map[string]any{}, map[string][]string{
			"first_name": {"The first name field is required."}, "last_name": {"The last name field is required."},
			"email": {"The email field is required."}, "project_id": {"The project id field is required."}}},
		{"no first name", ok("first_name", nil), map[string][]string{"first_name": {"The first name field is required."}}},
		{"blank last name", ok("last_name", " "), map[string][]string{"last_name": {"The last name field is required."}}},
		{"long first name", ok("first_name", long), map[string][]string{"first_name": {"The first name must not be greater than 255 characters."}}},
		{"numeric last name", ok("last_name", 7), map[string][]string{"last_name": {"The last name must be a string."}}},
		{"taken email", ok("email", "taken@example.com"), map[string][]string{"email": {"The email has already been taken."}}},
		{"taken email other case", ok("email", "Taken@Example.COM"), map[string][]string{"email": {"The email has already been taken."}}},
		{"no at", ok("email", "nolan.com"), map[string][]string{"email": {"The email must be a valid email address."}}},
		{"display name", ok("email", "Jeff <j@nolan.com>"), map[string][]string{"email": {"The email must be a valid email address."}}},
		{"spaces", ok("email", " j@nolan.com"), map[string][]string{"email": {"The email must be a valid email address."}}},
		{"two ats", ok("email", "a@b@c.com"), map[string][]string{"email": {"The email must be a valid email address."}}},
		{"unknown project", ok("project_id", 999), map[string][]string{"project_id": {"The selected project id is invalid."}}},
		{"non-integer project", ok("project_id", "one"), map[string][]string{"project_id": {"The project id must be an integer."}}},
		{"float project", ok("project_id", 1.5), map[string][]string{"project_id": {"The project id must be an integer."}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.post("/customers", tc.body).mustInvalid(t, tc.want)
		})
	}
}

func TestCustomers_edit(t *testing.T) {
	_, c := newAPI(t, Options{})
	p1 := c.createProject("one")
	p2 := c.createProject("two")
	id := c.createCustomer(p1, "me@example.com")
	c.createCustomer(p1, "other@example.com")
	p := path("/customers/%d", id)
	get := func() map[string]any { return c.get(p).mustStatus(t, 200).data(t) }

	steps := []struct {
		name string
		body any
		want map[string]any // fields expected afterwards
	}{
		{"first name only", map[string]any{"first_name": "Jeff"}, map[string]any{"first_name": "Jeff", "last_name": "Last", "email": "me@example.com"}},
		{"last name only", map[string]any{"last_name": "B"}, map[string]any{"first_name": "Jeff", "last_name": "B", "email": "me@example.com"}},
		{"own email unchanged", map[string]any{"email": "me@example.com"}, map[string]any{"email": "me@example.com"}},
		{"own email other case", map[string]any{"email": "ME@example.com"}, map[string]any{"email": "ME@example.com"}},
		{"all three", map[string]any{"first_name": "A", "last_name": "C", "email": "new@example.com"}, map[string]any{"first_name": "A", "last_name": "C", "email": "new@example.com"}},
		{"empty body", map[string]any{}, map[string]any{"first_name": "A", "last_name": "C", "email": "new@example.com"}},
		{"project_id is ignored", map[string]any{"project_id": p2}, map[string]any{"project_id": float64(p1)}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			r := c.put(p, st.body).mustStatus(t, 200)
			mustKeys(t, r.body, "code")
			got := get()
			for k, v := range st.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
		})
	}
	// The old email is free again, the new one is taken.
	c.createCustomer(p1, "me@example.com")
	errs := []struct {
		body map[string]any
		want map[string][]string
	}{
		{map[string]any{"email": "other@example.com"}, map[string][]string{"email": {"The email has already been taken."}}},
		{map[string]any{"email": "bad"}, map[string][]string{"email": {"The email must be a valid email address."}}},
		{map[string]any{"first_name": ""}, map[string][]string{"first_name": {"The first name field is required."}}},
		{map[string]any{"first_name": nil, "last_name": 3}, map[string][]string{
			"first_name": {"The first name field is required."}, "last_name": {"The last name must be a string."}}},
	}
	for _, e := range errs {
		c.put(p, e.body).mustInvalid(t, e.want)
	}
	// Failed edits change nothing, even the valid fields of the same request.
	c.put(p, map[string]any{"first_name": "Changed", "email": "bad"}).mustStatus(t, 422)
	if got := get(); got["first_name"] != "A" || got["email"] != "new@example.com" {
		t.Errorf("failed edit applied: %v", got)
	}
	// Project customers follow (project unchanged).
	if got := fmt.Sprint(ids(t, c.get(path("/projects/%d/customers", p2)).list(t))); got != "[]" {
		t.Errorf("project two customers %s", got)
	}
}

func TestCustomers_deleteWithAccounts(t *testing.T) {
	_, c := newAPI(t, Options{})
	pid := c.createProject("p")
	cid := c.createCustomer(pid, "c@example.com")
	aid := c.createAccountFor(cid, "acc")
	msg := "Unable to delete a customer that has accounts."
	r := c.del(path("/customers/%d", cid)).mustError(t, 422, msg)
	mustKeys(t, r.body, "message", "errors", "code")
	if e := r.errors(t); fmt.Sprint(e) != fmt.Sprint(map[string][]string{"customer": {msg}}) {
		t.Errorf("errors %v", e)
	}
	c.get(path("/customers/%d", cid)).mustStatus(t, 200)
	c.del(path("/accounts/%d", aid)).mustStatus(t, 200)
	c.del(path("/customers/%d", cid)).mustStatus(t, 200)
}

func TestCustomers_accountsList(t *testing.T) {
	_, c := newAPI(t, Options{})
	pid := c.createProject("p")
	c1 := c.createCustomer(pid, "one@example.com")
	c2 := c.createCustomer(pid, "two@example.com")
	c.createAccount("loose", "secret1")
	var want1 []int
	for i := range 4 {
		want1 = append(want1, c.createAccountFor(c1, fmt.Sprintf("c1_%d", i)))
		c.createAccountFor(c2, fmt.Sprintf("c2_%d", i))
	}
	r := c.get(path("/customers/%d/accounts?per_page=3", c1)).mustStatus(t, 200)
	items := r.list(t)
	for _, it := range items {
		checkAccountObject(t, it)
	}
	if got := fmt.Sprint(ids(t, items)); got != fmt.Sprint(want1[:3]) {
		t.Errorf("page 1 %s, want %v", got, want1[:3])
	}
	m := r.meta(t)
	if intOf(t, m["total"]) != 4 || intOf(t, m["last_page"]) != 2 || !strings.HasSuffix(m["path"].(string), path("/v4_1/customers/%d/accounts", c1)) {
		t.Errorf("meta %v", m)
	}
	r = c.get(path("/customers/%d/accounts?per_page=3&page=2", c1)).mustStatus(t, 200)
	if got := fmt.Sprint(ids(t, r.list(t))); got != fmt.Sprint(want1[3:]) {
		t.Errorf("page 2 %s", got)
	}
	c.get(path("/customers/%d/accounts?page=x", c1)).mustInvalid(t, map[string][]string{"page": {"The page must be an integer."}})
	empty := c.createCustomer(pid, "three@example.com")
	r = c.get(path("/customers/%d/accounts", empty)).mustStatus(t, 200)
	if len(r.list(t)) != 0 || intOf(t, r.meta(t)["last_page"]) != 1 {
		t.Errorf("empty customer %s", r.raw)
	}
}

// Emails are unique under Unicode case folding, as strings.EqualFold
// compares them: "ſam@" is taken by "SAM@", "İnfo@" is not by "info@".
func TestCustomers_emailsFoldCase(t *testing.T) {
	_, c := newAPI(t, Options{})
	pid := c.createProject("proj")
	c.createCustomer(pid, "SAM@example.com")
	c.createCustomer(pid, "info@example.com")
	create := func(email string) result {
		return c.post("/customers", map[string]any{"first_name": "F", "last_name": "L", "email": email, "project_id": pid})
	}
	create("ſam@example.com").mustError(t, 422, "The given data was invalid.")
	create("sam@EXAMPLE.com").mustError(t, 422, "The given data was invalid.")
	create("İnfo@example.com").mustStatus(t, 200)
}
