package mockapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// labels renders meta.links as "label" or "[label]" for the active one, with
// "-" for a null url.
func labels(t *testing.T, meta map[string]any) string {
	t.Helper()
	var parts []string
	for _, l := range meta["links"].([]any) {
		m := l.(map[string]any)
		mustKeys(t, m, "url", "label", "active")
		s := m["label"].(string)
		if m["active"] == true {
			s = "[" + s + "]"
		}
		if m["url"] == nil {
			s += "-"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestPagination_pages(t *testing.T) {
	s, c := newAPI(t, Options{})
	s.SeedAccounts(33, "user")
	base := c.base + "/accounts"
	str := func(v string) any { return v }
	tests := []struct {
		query      string
		ids        string
		from, to   any
		current    int
		prev, next any
		labels     string
	}{
		{"", "1-15", 1.0, 15.0, 1, nil, str(base + "?page=2"), "« Previous- [1] 2 3 Next »"},
		{"?page=1", "1-15", 1.0, 15.0, 1, nil, str(base + "?page=2"), "« Previous- [1] 2 3 Next »"},
		{"?page=2", "16-30", 16.0, 30.0, 2, str(base + "?page=1"), str(base + "?page=3"), "« Previous 1 [2] 3 Next »"},
		{"?page=3", "31-33", 31.0, 33.0, 3, str(base + "?page=2"), nil, "« Previous 1 2 [3] Next »-"},
		{"?page=4", "", nil, nil, 4, str(base + "?page=3"), nil, "« Previous 1 2 3 Next »-"},
		{"?page=1000000", "", nil, nil, 1000000, str(base + "?page=999999"), nil, "« Previous 1 2 3 Next »-"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			r := c.get("/accounts"+tc.query).mustStatus(t, http.StatusOK)
			mustKeys(t, r.body, "data", "links", "meta", "code")
			got := ids(t, r.list(t))
			want := ""
			if len(got) > 0 {
				want = fmt.Sprintf("%d-%d", got[0], got[len(got)-1])
				for i := 1; i < len(got); i++ {
					if got[i] != got[i-1]+1 {
						t.Fatalf("ids not consecutive: %v", got)
					}
				}
			}
			if want != tc.ids {
				t.Errorf("ids %s, want %s", want, tc.ids)
			}
			links := r.body["links"].(map[string]any)
			mustKeys(t, links, "first", "last", "prev", "next")
			if links["first"] != base+"?page=1" || links["last"] != base+"?page=3" || links["prev"] != tc.prev || links["next"] != tc.next {
				t.Errorf("links %v", links)
			}
			m := r.meta(t)
			mustKeys(t, m, "current_page", "from", "last_page", "links", "path", "per_page", "to", "total")
			if intOf(t, m["current_page"]) != tc.current || m["from"] != tc.from || m["to"] != tc.to ||
				intOf(t, m["last_page"]) != 3 || m["path"] != base || intOf(t, m["per_page"]) != 15 || intOf(t, m["total"]) != 33 {
				t.Errorf("meta %v", m)
			}
			if l := labels(t, m); l != tc.labels {
				t.Errorf("meta.links %s, want %s", l, tc.labels)
			}
		})
	}
}

func TestPagination_emptyList(t *testing.T) {
	_, c := newAPI(t, Options{})
	r := c.get("/projects").mustStatus(t, 200)
	if string(r.raw) == "" || !strings.Contains(string(r.raw), `"data":[]`) {
		t.Errorf("data is not an empty list: %s", r.raw)
	}
	m := r.meta(t)
	if intOf(t, m["last_page"]) != 1 || intOf(t, m["total"]) != 0 || m["from"] != nil || m["to"] != nil || intOf(t, m["current_page"]) != 1 {
		t.Errorf("meta %v", m)
	}
	if l := labels(t, m); l != "« Previous- [1] Next »-" {
		t.Errorf("links %s", l)
	}
}

func TestPagination_perPageAndClamp(t *testing.T) {
	s, c := newAPI(t, Options{MaxPerPage: 10})
	s.SeedAccounts(25, "u")
	r := c.get("/accounts?per_page=4&page=2").mustStatus(t, 200)
	if got := fmt.Sprint(ids(t, r.list(t))); got != "[5 6 7 8]" {
		t.Errorf("ids %s", got)
	}
	m := r.meta(t)
	if intOf(t, m["per_page"]) != 4 || intOf(t, m["last_page"]) != 7 || intOf(t, m["from"]) != 5 || intOf(t, m["to"]) != 8 {
		t.Errorf("meta %v", m)
	}
	// Other query parameters are kept in the links.
	if next := r.body["links"].(map[string]any)["next"]; next != c.base+"/accounts?page=3&per_page=4" {
		t.Errorf("next %v", next)
	}
	// Clamped: per_page=50 becomes 10, and the links carry the clamped value.
	r = c.get("/accounts?per_page=50&status=Active").mustStatus(t, 200)
	if n := len(r.list(t)); n != 10 {
		t.Errorf("%d items, want 10", n)
	}
	m = r.meta(t)
	if intOf(t, m["per_page"]) != 10 || intOf(t, m["last_page"]) != 3 {
		t.Errorf("meta %v", m)
	}
	if next := r.body["links"].(map[string]any)["next"]; next != c.base+"/accounts?page=2&per_page=10&status=Active" {
		t.Errorf("next %v", next)
	}
	// Default cap is 100.
	s2, c2 := newAPI(t, Options{})
	s2.SeedAccounts(120, "u")
	if n := len(c2.get("/accounts?per_page=1000").mustStatus(t, 200).list(t)); n != 100 {
		t.Errorf("default clamp gave %d items", n)
	}
}

func TestPagination_invalidParams(t *testing.T) {
	_, c := newAPI(t, Options{})
	tests := []struct {
		query string
		want  map[string][]string
	}{
		{"page=0", map[string][]string{"page": {"The page must be at least 1."}}},
		{"page=-2", map[string][]string{"page": {"The page must be at least 1."}}},
		{"page=abc", map[string][]string{"page": {"The page must be an integer."}}},
		{"page=1.5", map[string][]string{"page": {"The page must be an integer."}}},
		{"page=99999999999999999999", map[string][]string{"page": {"The page must be an integer."}}},
		{"per_page=0", map[string][]string{"per_page": {"The per page must be at least 1."}}},
		{"per_page=x", map[string][]string{"per_page": {"The per page must be an integer."}}},
		{"page=x&per_page=-1", map[string][]string{"page": {"The page must be an integer."}, "per_page": {"The per page must be at least 1."}}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			for _, p := range []string{"/accounts", "/customers", "/projects"} {
				c.get(p+"?"+tc.query).mustInvalid(t, tc.want)
			}
		})
	}
	// Empty values mean the default.
	c.get("/accounts?page=&per_page=").mustStatus(t, 200)
}

func TestURLWindow(t *testing.T) {
	render := func(cur, last int) string {
		var parts []string
		for _, el := range urlWindow(cur, last) {
			if el.sep {
				parts = append(parts, "...")
			} else {
				parts = append(parts, fmt.Sprintf("%d-%d", el.from, el.to))
			}
		}
		return strings.Join(parts, " ")
	}
	tests := []struct {
		cur, last int
		want      string
	}{
		{1, 1, "1-1"},
		{1, 13, "1-13"},
		{1, 14, "1-10 ... 13-14"},
		{7, 20, "1-10 ... 19-20"},
		{8, 20, "1-2 ... 5-11 ... 19-20"},
		{13, 20, "1-2 ... 10-16 ... 19-20"},
		{14, 20, "1-2 ... 11-20"},
		{20, 20, "1-2 ... 11-20"},
		{50, 20, "1-2 ... 11-20"},
	}
	for _, tc := range tests {
		if got := render(tc.cur, tc.last); got != tc.want {
			t.Errorf("urlWindow(%d, %d) = %s, want %s", tc.cur, tc.last, got, tc.want)
		}
	}
}

func TestPagination_manyPagesLinks(t *testing.T) {
	s, c := newAPI(t, Options{})
	s.SeedAccounts(40, "u")
	r := c.get("/accounts?per_page=2&page=10").mustStatus(t, 200)
	if l := labels(t, r.meta(t)); l != "« Previous 1 2 ...- 7 8 9 [10] 11 12 13 ...- 19 20 Next »" {
		t.Errorf("links %s", l)
	}
}
