package client_test

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Fuzz targets for the exported helpers that read text from the API: a
// display name made printable, an account's expired_at, the flexible
// booleans and numbers of a port and a profile.

// unsafeForTerminal reports whether r is a character a terminal acts on:
// C0 and C1 controls, DEL, the bidirectional controls and the line and
// paragraph separators (U+FFFD, which is what invalid UTF-8 decodes to, is
// tested apart).
func unsafeForTerminal(r rune) bool {
	return r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0x061c || r == 0x200e || r == 0x200f ||
		r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x2028 || r == 0x2029
}

// FuzzPrintable: what Printable returns is valid UTF-8 without a character
// a terminal acts on, is its own Printable, is the text itself when it held
// none, and keeps every other character of the text in order.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"alice", "\x1b[31mred\x1b[0m", "one\ntwo\r\n\t", "evil\u202etxt.exe", "\u2066iso\u2069\u061c",
		"line\u2028sep\u2029", "nul\x00del\x7f", "c1 \u009b31m \u0085", "bad \xff\xfe utf8 \xe2\x80", "Zoë 東京 👩‍👩‍👧 \ufffd", `\x1b literal`, ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := client.Printable(in)
		if !utf8.ValidString(out) {
			t.Fatalf("Printable(%q) = %q is not valid UTF-8", in, out)
		}
		if i := strings.IndexFunc(out, unsafeForTerminal); i >= 0 {
			t.Fatalf("Printable(%q) = %q holds %q", in, out, out[i:])
		}
		if again := client.Printable(out); again != out {
			t.Errorf("Printable is not stable: %q, then %q", out, again)
		}
		if utf8.ValidString(in) && strings.IndexFunc(in, unsafeForTerminal) < 0 && out != in {
			t.Errorf("Printable(%q) = %q changes a printable text", in, out)
		}
		// The safe characters of in, in order, are a subsequence of out.
		rest := out
		for i, r := range in {
			if unsafeForTerminal(r) || r == utf8.RuneError && !strings.HasPrefix(in[i:], "\ufffd") {
				continue
			}
			j := strings.IndexRune(rest, r)
			if j < 0 {
				t.Fatalf("Printable(%q) = %q lost %q at byte %d", in, out, r, i)
			}
			rest = rest[j+utf8.RuneLen(r):]
		}
	})
}

// FuzzFieldValues: DateOf turns any expired_at into the date it names
// (YYYY-MM-DD, a real date) or a short prefix of it, valid UTF-8 when it
// was, and DateOf of its own result is that result; FlexBool and FlexString
// read exactly the JSON values they document (true/false, 1/0, "1"/"0",
// "true"/"false", null; a string, a number as its text, null) and refuse
// every other.
func FuzzFieldValues(f *testing.F) {
	for _, s := range []string{"2023-04-18T00:00:00.000000Z", "2023-04-18 00:00:00", "2023-04-18", "2023-04-18T23:30:00-02:00",
		"2023-13-45garbage", "2023-04-1é", "", "null", "1", "0", `"1"`, `"true"`, "true", "253.70", `"253.70"`, "1e999", "-0.5e-3",
		`{"a":1}`, "[1]", `"yes"`, "2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		date := client.DateOf(raw)
		if utf8.ValidString(raw) && !utf8.ValidString(date) {
			t.Errorf("DateOf(%q) = %q is not valid UTF-8", raw, date)
		}
		if again := client.DateOf(date); again != date {
			t.Errorf("DateOf(%q) = %q, and DateOf of that %q", raw, date, again)
		}
		if len(date) > max(len(raw), len(client.DateLayout)) || len(raw) >= len(client.DateLayout) && len(date) > len(client.DateLayout) {
			t.Errorf("DateOf(%q) = %q is longer than a date", raw, date)
		}
		if d, err := time.Parse(client.DateLayout, date); err == nil && d.Format(client.DateLayout) != date {
			t.Errorf("DateOf(%q) = %q reads as another date, %s", raw, date, d.Format(client.DateLayout))
		}

		v, isJSON := jsonValue(raw)
		var b client.FlexBool
		bErr := json.Unmarshal([]byte(raw), &b)
		wantBool, boolOK := flexBool(v, isJSON)
		if (bErr == nil) != boolOK || boolOK && bool(b) != wantBool {
			t.Errorf("FlexBool %q: %v (%v), want %v (ok %v)", raw, b, bErr, wantBool, boolOK)
		}
		var s client.FlexString
		sErr := json.Unmarshal([]byte(raw), &s)
		want, stringOK := "", isJSON
		switch x := v.(type) {
		case string:
			want = x
		case json.Number:
			want = x.String()
		case nil:
		default:
			stringOK = false
		}
		if (sErr == nil) != stringOK || stringOK && string(s) != want {
			t.Errorf("FlexString %q: %q (%v), want %q (ok %v)", raw, s, sErr, want, stringOK)
		}
	})
}

// jsonValue decodes one JSON value, numbers as their text.
func jsonValue(raw string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return v, true
}

// flexBool is what FlexBool documents for a JSON value v.
func flexBool(v any, isJSON bool) (value, ok bool) {
	if !isJSON {
		return false, false
	}
	switch x := v.(type) {
	case nil:
		return false, true
	case bool:
		return x, true
	case json.Number:
		switch x {
		case "1":
			return true, true
		case "0":
			return false, true
		}
	case string:
		switch strings.ToLower(x) {
		case "1", "true":
			return true, true
		case "0", "false", "", "null":
			return false, true
		}
	}
	return false, false
}
