package client

import "testing"

func TestWriteKeys(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		want         []string
	}{
		{"GET", "/accounts/12", nil},
		{"POST", "/accounts/12/validate", nil},
		{"POST", "/accounts", []string{ownershipKey}},
		{"PUT", "/accounts/12/disable", []string{"accounts/12", ownershipKey}},
		{"DELETE", "/accounts/12", []string{"accounts/12", ownershipKey}},
		{"PUT", "/un/accounts/enable", []string{"accounts/*", ownershipKey}},
		{"PUT", "/customers/7", []string{"customers/7", ownershipKey}},
		{"POST", "/customers", []string{ownershipKey}},
		{"PUT", "/projects/3", []string{"projects/3"}},
		{"POST", "/projects", nil},
	} {
		got := writeKeys(request{method: tc.method, path: tc.path})
		if len(got) != len(tc.want) {
			t.Errorf("%s %s: %v, want %v", tc.method, tc.path, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s %s: %v, want %v", tc.method, tc.path, got, tc.want)
			}
		}
	}
}

// A walk that began before a write, or while it was in flight, is stale
// for what it wrote; one that began after it ended is not.
func TestWriteClock(t *testing.T) {
	var w writeClock
	before := w.stamp()
	end := w.begin([]string{"accounts/1"})
	during := w.stamp()
	if !w.changedSince(during, "accounts/1") {
		t.Error("a write in flight is not a change")
	}
	end()
	after := w.stamp()
	switch {
	case !w.changedSince(before, "accounts/1"), !w.changedSince(during, "accounts/1"):
		t.Error("a write that ended after the walk began is not a change")
	case w.changedSince(after, "accounts/1"):
		t.Error("a write that ended before the walk began is a change")
	case w.changedSince(before, "accounts/2"):
		t.Error("a write to another object is a change")
	}
}
