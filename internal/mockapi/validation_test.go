package mockapi

import (
	"encoding/json"
	"testing"
)

func TestValidEmail(t *testing.T) {
	for _, e := range []string{"a@b.com", "jefferey.barrows@nolan.com", "x+tag@sub.example.org", "a@b"} {
		if !validEmail(e) {
			t.Errorf("%q rejected", e)
		}
	}
	for _, e := range []string{"", "plain", "@b.com", "a@", "a b@c.com", "Name <a@b.com>", " a@b.com", "a@b.com ", "a@@b.com"} {
		if validEmail(e) {
			t.Errorf("%q accepted", e)
		}
	}
}

func TestParseID_andToInt(t *testing.T) {
	ints := map[any]int{json.Number("12"): 12, "7": 7, " 8 ": 8, "-3": -3}
	for in, want := range ints {
		if got, ok := toInt(in); !ok || got != want {
			t.Errorf("toInt(%v) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []any{json.Number("1.5"), "x", true, nil, 3.0, map[string]any{}} {
		if _, ok := toInt(in); ok {
			t.Errorf("toInt(%v) accepted", in)
		}
	}
	for in, want := range map[string]int{"1": 1, "42": 42, "007": 7} {
		if got, ok := parseID(in); !ok || got != want {
			t.Errorf("parseID(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "0", "-1", "+1", "1.0", "a", "1e3", "9999999999999999999"} {
		if _, ok := parseID(in); ok {
			t.Errorf("parseID(%q) accepted", in)
		}
	}
}

func TestFilled(t *testing.T) {
	in := input{"a": "x", "b": "", "c": "  ", "d": nil, "e": json.Number("0"), "f": false}
	for k, want := range map[string]bool{"a": true, "b": false, "c": false, "d": false, "e": true, "f": true, "missing": false} {
		if _, got := in.filled(k); got != want {
			t.Errorf("filled(%q) = %v", k, got)
		}
	}
}
