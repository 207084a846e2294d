package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// A query that stops at its limit with more objects left says so; one
// whose limit holds everything does not.
func TestList_limitWarnsWhenMoreExist(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.skipBelow("1.14.0")
	makeOutside(t, env, 1, 1, 150, 0) // 1 project, 1 customer, 150 accounts

	w.Write("main.tf", env.providerBlock(""))
	w.Write("q.tfquery.hcl", `
list "vpnresellers_account" "all" {
  provider = vpnresellers
}
`)
	w.MustRun(nil, "init", "-no-color")
	env.resetCalls()
	out := w.MustRun(nil, "query", "-no-color").Output()
	if !strings.Contains(out, "More accounts exist than were listed") ||
		!strings.Contains(out, "This query listed 100 accounts, its limit, and the API holds more") ||
		!strings.Contains(out, "Raise `limit`") {
		t.Fatalf("the query at the default limit does not warn that more exist:\n%s", out)
	}
	if n := strings.Count(out, "user0"); n != 100 {
		t.Errorf("the query listed %d accounts, want 100", n)
	}
	// 100 accounts fill page 1; the one more that tells there are more is
	// on page 2: two pages, no more.
	if n := env.mock.Counts()["GET /accounts"]; n != 2 {
		t.Errorf("GET /accounts called %d times, want 2", n)
	}

	w.Write("q.tfquery.hcl", `
list "vpnresellers_account" "all" {
  provider = vpnresellers
  limit    = 1000
}
`)
	out = w.MustRun(nil, "query", "-no-color").Output()
	if strings.Contains(out, "More accounts exist") || strings.Contains(out, "Warning") {
		t.Fatalf("a query that lists everything warns:\n%s", out)
	}
	if n := strings.Count(out, "user0"); n != 150 {
		t.Errorf("the query listed %d accounts, want 150", n)
	}
}

// API strings holding terminal controls (ESC sequences, CR, LF, bidi
// overrides) reach the terminal escaped.
func TestList_displayNamesTerminalSafe(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.skipBelow("1.14.0")
	ctx := env.ctx()
	hostile := "x\x1b[31mforged\x1b]0;title\x07\r\nError: fake\u202etxt\u200f\u009b"
	p, err := env.client.CreateProject(ctx, client.ProjectRequest{Name: "P" + hostile, Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	// The API's own checks may refuse such an email or username; data
	// that reached the API another way (an older version of it, the web
	// panel) is seeded directly.
	if env.mock.SeedCustomer(int(p.ID), "F", "L", "c"+hostile+"@example.com") == 0 {
		t.Fatal("customer not seeded")
	}
	env.mock.SeedAccounts(1, "u"+hostile)

	w.Write("main.tf", env.providerBlock(""))
	w.Write("q.tfquery.hcl", queryAll)
	w.MustRun(nil, "init", "-no-color")
	out := w.MustRun(nil, "query", "-no-color").Output()
	for _, raw := range []string{"\x1b", "\r", "\u202e", "\u200f", "\u009b", "\x07"} {
		if strings.Contains(out, raw) {
			t.Errorf("the query output holds a raw %q:\n%q", raw, out)
		}
	}
	if strings.Contains(out, "\nError: fake") {
		t.Errorf("a forged line reached the output:\n%s", out)
	}
	if !strings.Contains(out, `x\x1b[31mforged\x1b]0;title\x07\r\nError: fake\u202etxt\u200f\u009b`) {
		t.Errorf("the escaped name is not in the output:\n%s", fmt.Sprintf("%q", out))
	}
}
