package client

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Behaviour of the parsers that fuzzing or its properties showed wrong.

// Retry-After is read however it is written, and never asks for more than
// maxRetryAfter: more digits than an int64 holds, or a date centuries
// ahead, is a long wait (not no Retry-After at all, which would retry after
// a short backoff).
func TestRetryAfter_isReadAndCapped(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{" 0 ", 0, true},
		{"86401", maxRetryAfter, true},
		{"99999999999999999999", maxRetryAfter, true},
		{"Sun, 01 Jun 2025 12:00:30 GMT", 30 * time.Second, true},
		{"Sun, 01 Jun 2025 11:00:00 GMT", 0, true},
		{"Fri, 31 Dec 9999 23:59:59 GMT", maxRetryAfter, true},
		{"Mon, 28 Aug 2090 12:36:16 GMT", maxRetryAfter, true},
		{"+5", 0, false},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"", 0, false},
	} {
		got, ok := parseRetryAfterAt(tc.in, fuzzNow)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Retry-After %q: %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// A 429 asking for more seconds than an int64 holds fails at once as a
// wait too long, after one request.
func TestRetryAfter_hugeIsAWaitTooLong(t *testing.T) {
	requests := 0
	c := fuzzClient(t, 1, func(*http.Request) canned {
		requests++
		return canned{429, http.Header{"Content-Type": {"application/json"}, "Retry-After": {"99999999999999999999"}}, `{"message":"Too Many Attempts.","code":429}`}
	})
	c.max429 = DefaultMaxRateLimitRetries
	_, err := c.GetProfile(fuzzCtx(t))
	var wait *RetryWaitError
	if !errors.As(err, &wait) || wait.Wait != maxRetryAfter || requests != 1 {
		t.Fatalf("%d requests, %v; want one request and a wait of %s refused", requests, err, maxRetryAfter)
	}
}

// A field name of a 422 answer that is, or holds, a secret the client
// knows is scrubbed like the messages are, even when it looks like a field
// name; two names that read the same once scrubbed keep both messages.
func TestFieldNames_keepNoSecret(t *testing.T) {
	c := fuzzClient(t, 1, func(*http.Request) canned {
		return canned{422, http.Header{"Content-Type": {"application/json"}},
			`{"message":"The given data was invalid.","errors":{"` + fuzzToken + `":["one"],"x` + fuzzToken + `":["two"],"email":["three"]}}`}
	})
	_, err := c.GetProfile(fuzzCtx(t))
	fields := FieldErrors(err)
	if strings.Contains(err.Error(), fuzzToken) || len(fields) != 3 || len(fields["email"]) != 1 {
		t.Fatalf("%v: %q", err, fields)
	}
	if got := fields[Redacted]; len(got) != 1 || got[0] != "one" {
		t.Errorf("the token as a name: %q", got)
	}
	if got := fields["x"+Redacted]; len(got) != 1 || got[0] != "two" {
		t.Errorf("the token in a name: %q", got)
	}
}

// A first page that says it is another page is an anomaly, as any other
// page that does.
func TestWalk_refusesAFirstPageThatIsAnother(t *testing.T) {
	for _, current := range []string{"2", "-1"} {
		c := fuzzClient(t, 1, func(*http.Request) canned {
			return canned{200, http.Header{"Content-Type": {"application/json"}},
				`{"data":[{"id":1,"username":"a"}],"meta":{"current_page":` + current + `,"last_page":1,"per_page":2,"total":1}}`}
		})
		_, err := c.ListAllAccounts(fuzzCtx(t), "")
		var pe *PagingError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "page 1 came back as page "+current) {
			t.Errorf("current_page %s: %v", current, err)
		}
	}
}

// DateOf cuts text it cannot read on a character boundary.
func TestDateOf_keepsUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"2023-04-1é and more":  "2023-04-1",
		"2023-04-18T10:00:00Z": "2023-04-18",
		"garbage-but-ascii":    "garbage-bu",
		"日本語の日付":               "日本語",
	} {
		if got := DateOf(in); got != want || !utf8.ValidString(got) {
			t.Errorf("DateOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// FlexString keeps any JSON number as its text, however large; FlexBool
// reads a string with escapes as the string it is.
func TestFlexValues(t *testing.T) {
	var s FlexString
	if err := json.Unmarshal([]byte(`1e999`), &s); err != nil || s != "1e999" {
		t.Errorf("1e999: %q, %v", s, err)
	}
	for raw, want := range map[string]bool{`"tru\u0065"`: true, `"\u0030"`: false, `"1"`: true, `0`: false} {
		var b FlexBool
		if err := json.Unmarshal([]byte(raw), &b); err != nil || bool(b) != want {
			t.Errorf("%s: %v, %v", raw, b, err)
		}
	}
	var b FlexBool
	if err := json.Unmarshal([]byte(`"yes"`), &b); err == nil {
		t.Error(`"yes" read as a boolean`)
	}
}

// A secret that only Printable's escapes spell out is scrubbed too: a
// password with a backslash quoted with the character it escapes, or a
// NUL written as \x00 next to the digits of a secret.
func TestAPIText_scrubsWhatTheEscapesSpell(t *testing.T) {
	var s secretSet
	s.addBasic("u", `pass\nword`)
	s.add("0000")
	for in, want := range map[string]string{
		"quoted: pass\nword": "quoted: " + Redacted,
		"00000\x0000":        Redacted + `0\x` + Redacted, // the escape \x00 and "00" spell 0000
		"tab\there":          `tab\there`,
	} {
		if got := s.apiText(in); got != want {
			t.Errorf("apiText(%q) = %q, want %q", in, got, want)
		}
	}
}

// An empty page before the last page is an anomaly even when the meta
// gives no per_page (the first page is then the page size): a list that
// claims two pages and answers an empty first one is not an empty list.
func TestWalk_refusesAnEmptyFirstPageOfSeveral(t *testing.T) {
	c := fuzzClient(t, 1, func(r *http.Request) canned {
		if r.URL.Query().Get("page") == "1" {
			return canned{200, nil, `{"data":[],"meta":{"last_page":2}}`}
		}
		return canned{200, nil, `{"data":[{"id":1,"username":"a"}],"meta":{"last_page":2}}`}
	})
	accs, err := c.ListAllAccounts(fuzzCtx(t), "")
	var pe *PagingError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "page=1") || !strings.Contains(err.Error(), "the page is empty, before the last page 2") {
		t.Errorf("got %d accounts, %v; want a paging error", len(accs), err)
	}
}

// A secret quoted as PHP's json_encode writes it is scrubbed: backspace and
// form feed as \b and \f, DEL as it is, non-ASCII as \uXXXX.
func TestSecrets_phpQuotedAreScrubbed(t *testing.T) {
	var s secretSet
	s.add("ü0\f", "pä\x7fss")
	for in, want := range map[string]string{
		`0\u00fc0\f0`:      "0" + Redacted + "0",
		"<p\\u00e4\x7fss>": "<" + Redacted + ">",
		`0\u00fc0f0`:       `0\u00fc0f0`, // no form feed: not the secret
	} {
		if got := s.scrub(in); got != want {
			t.Errorf("scrub(%q) = %q, want %q", in, got, want)
		}
	}
}
