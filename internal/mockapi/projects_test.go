package mockapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestProjects_crud(t *testing.T) {
	s, c := newAPI(t, Options{})
	r := c.post("/projects", map[string]any{"name": "TestProject", "description": "New project for test."}).mustStatus(t, http.StatusOK)
	mustKeys(t, r.body, "data", "code")
	d := r.data(t)
	mustKeys(t, d, "id", "name", "description", "user_id")
	if intOf(t, d["id"]) != 1 || d["name"] != "TestProject" || d["description"] != "New project for test." || intOf(t, d["user_id"]) != ResellerUserID {
		t.Fatalf("created %v", d)
	}
	// Names are not unique.
	c.post("/projects", map[string]any{"name": "TestProject", "description": "again"}).mustStatus(t, 200)
	if got := fmt.Sprint(ids(t, c.get("/projects").mustStatus(t, 200).list(t))); got != "[1 2]" {
		t.Errorf("list %s", got)
	}
	r = c.put("/projects/1", map[string]any{"name": "Renamed", "description": "Changed"}).mustStatus(t, 200)
	mustKeys(t, r.body, "code")
	if g := c.get("/projects/1").mustStatus(t, 200).data(t); g["name"] != "Renamed" || g["description"] != "Changed" {
		t.Errorf("after edit %v", g)
	}
	r = c.del("/projects/2").mustStatus(t, 200)
	mustKeys(t, r.body, "code")
	for _, req := range []func() result{
		func() result { return c.get("/projects/2") },
		func() result { return c.del("/projects/2") },
		func() result { return c.put("/projects/2", map[string]any{"name": "a", "description": "b"}) },
		func() result { return c.get("/projects/2/customers") },
		func() result { return c.get("/projects/2/accounts") },
	} {
		req().mustError(t, 404, "Project not found.")
	}
	if p, _, _ := s.Len(); p != 1 {
		t.Errorf("projects = %d", p)
	}
}

func TestProjects_validation(t *testing.T) {
	_, c := newAPI(t, Options{})
	pid := c.createProject("p")
	long := strings.Repeat("x", 256)
	tests := []struct {
		name string
		body map[string]any
		want map[string][]string
	}{
		{"empty", map[string]any{}, map[string][]string{
			"name": {"The name field is required."}, "description": {"The description field is required."}}},
		{"name only", map[string]any{"name": "a"}, map[string][]string{"description": {"The description field is required."}}},
		{"description only", map[string]any{"description": "a"}, map[string][]string{"name": {"The name field is required."}}},
		{"blank", map[string]any{"name": "  ", "description": ""}, map[string][]string{
			"name": {"The name field is required."}, "description": {"The description field is required."}}},
		{"too long", map[string]any{"name": long, "description": long}, map[string][]string{
			"name":        {"The name must not be greater than 255 characters."},
			"description": {"The description must not be greater than 255 characters."}}},
		{"not strings", map[string]any{"name": 1, "description": true}, map[string][]string{
			"name": {"The name must be a string."}, "description": {"The description must be a string."}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.post("/projects", tc.body).mustInvalid(t, tc.want)
			c.put(path("/projects/%d", pid), tc.body).mustInvalid(t, tc.want)
		})
	}
	// 255 characters is fine.
	ok := strings.Repeat("é", 255)
	c.post("/projects", map[string]any{"name": ok, "description": ok}).mustStatus(t, 200)
	if g := c.get(path("/projects/%d", pid)).data(t); g["name"] != "p" {
		t.Errorf("failed edits changed the project: %v", g)
	}
}

func TestProjects_deleteWithCustomers(t *testing.T) {
	_, c := newAPI(t, Options{})
	pid := c.createProject("p")
	cid := c.createCustomer(pid, "c@example.com")
	msg := "Unable to delete a project that has customers."
	r := c.del(path("/projects/%d", pid)).mustError(t, 422, msg)
	if e := r.errors(t); fmt.Sprint(e) != fmt.Sprint(map[string][]string{"project": {msg}}) {
		t.Errorf("errors %v", e)
	}
	c.del(path("/customers/%d", cid)).mustStatus(t, 200)
	c.del(path("/projects/%d", pid)).mustStatus(t, 200)
}

func TestProjects_customersAndAccounts(t *testing.T) {
	_, c := newAPI(t, Options{})
	p1 := c.createProject("one")
	p2 := c.createProject("two")
	a := c.createCustomer(p1, "a@example.com")
	b := c.createCustomer(p2, "b@example.com")
	cc := c.createCustomer(p1, "c@example.com")
	c.createAccount("nobody", "secret1")
	a1 := c.createAccountFor(a, "a1")
	c.createAccountFor(b, "b1")
	c1 := c.createAccountFor(cc, "c1")
	a2 := c.createAccountFor(a, "a2")

	r := c.get(path("/projects/%d/customers", p1)).mustStatus(t, 200)
	for _, it := range r.list(t) {
		mustKeys(t, it, customerFields...)
	}
	if got := fmt.Sprint(ids(t, r.list(t))); got != fmt.Sprint([]int{a, cc}) {
		t.Errorf("customers %s", got)
	}
	r = c.get(path("/projects/%d/accounts", p1)).mustStatus(t, 200)
	for _, it := range r.list(t) {
		checkAccountObject(t, it)
	}
	if got := fmt.Sprint(ids(t, r.list(t))); got != fmt.Sprint([]int{a1, c1, a2}) {
		t.Errorf("accounts %s, want ordered by id", got)
	}
	r = c.get(path("/projects/%d/accounts?per_page=2&page=2", p1)).mustStatus(t, 200)
	if got := fmt.Sprint(ids(t, r.list(t))); got != fmt.Sprint([]int{a2}) {
		t.Errorf("accounts page 2 %s", got)
	}
	c.get(path("/projects/%d/customers?per_page=0", p1)).mustInvalid(t, map[string][]string{"per_page": {"The per page must be at least 1."}})
	c.get(path("/projects/%d/accounts?per_page=x", p1)).mustInvalid(t, map[string][]string{"per_page": {"The per page must be an integer."}})
}
