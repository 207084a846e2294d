package client

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Fuzz targets for the parsers of this package that have no way in from
// outside but a server: Retry-After values, redaction, the keys of a
// WireGuard configuration. `go test` runs their seeds (f.Add and
// testdata/fuzz/FuzzX); `make fuzz` fuzzes them.

// FuzzRetryAfter: a Retry-After value, in seconds or as an HTTP-date, is
// never a negative wait nor one above maxRetryAfter; digits are always
// read (as seconds, capped); a date is its distance from now. secs is
// also written both ways, which must read back as the same wait.
func FuzzRetryAfter(f *testing.F) {
	for _, v := range []string{
		"0", "1", "120", " 30 ", "86400", "86401", "99999999999999999999", "-1", "+5", "1.5", "",
		"Wed, 21 Oct 2015 07:28:00 GMT", "Sun, 01 Jun 2025 12:00:30 GMT", "Sunday, 01-Jun-25 12:01:00 GMT",
		"Sun Jun  1 12:02:00 2025", "Fri, 31 Dec 9999 23:59:59 GMT", "soon",
	} {
		f.Add(v, int64(30))
	}
	f.Add("", int64(-5))
	f.Add("", int64(1)<<40)
	f.Fuzz(func(t *testing.T, v string, secs int64) {
		d, ok := parseRetryAfterAt(v, fuzzNow)
		if !ok && d != 0 {
			t.Errorf("%q: not read, but a wait of %s", v, d)
		}
		if d < 0 || d > maxRetryAfter {
			t.Errorf("%q: wait %s, outside [0, %s]", v, d, maxRetryAfter)
		}
		if digits := strings.TrimSpace(v); digits != "" && strings.Trim(digits, "0123456789") == "" && !ok {
			t.Errorf("%q: delay-seconds not read", v)
		}
		if again, ok2 := parseRetryAfterAt(" "+v+"\t", fuzzNow); again != d || ok2 != ok {
			t.Errorf("%q: surrounding space changes the wait from %s to %s", v, d, again)
		}

		// secs written as delay-seconds and as the HTTP-date that far
		// from now (both ways the same wait, capped; a past date is none).
		secs %= 400 * 365 * 24 * 3600 // the dates stay within years 1625-2425
		want := min(max(time.Duration(secs)*time.Second, 0), maxRetryAfter)
		if secs >= 0 {
			if got, ok := parseRetryAfterAt(fmt.Sprint(secs), fuzzNow); !ok || got != want {
				t.Errorf("Retry-After: %d reads as %s (%v), want %s", secs, got, ok, want)
			}
		}
		date := fuzzNow.Add(time.Duration(secs) * time.Second).Format(http.TimeFormat)
		if got, ok := parseRetryAfterAt(date, fuzzNow); !ok || got != want {
			t.Errorf("Retry-After: %s (%d s from now) reads as %s (%v), want %s", date, secs, got, ok, want)
		}
	})
}

// promisedForms are the forms of a secret that redact.go promises to
// scrub, computed here independently of it: as sent, JSON-escaped as Go and
// PHP write it (once and twice), URL-encoded, HTML-escaped.
func promisedForms(secret string) []string {
	goJSON := func(s string, escapeHTML bool) string {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		_ = enc.Encode(s)
		return strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), `"`)[1:]
	}
	php := func(s string) string { // json_encode's defaults: \/ and \uXXXX beyond ASCII
		var b strings.Builder
		for _, u := range utf16.Encode([]rune(goJSON(s, false))) {
			switch {
			case u == '/':
				b.WriteString(`\/`)
			case u > 0x7f:
				fmt.Fprintf(&b, `\u%04x`, u)
			default:
				b.WriteRune(rune(u))
			}
		}
		return b.String()
	}
	forms := []string{
		secret, goJSON(secret, true), goJSON(secret, false), php(secret),
		strings.ReplaceAll(goJSON(secret, false), "/", `\/`),
		goJSON(goJSON(secret, true), true), php(php(secret)),
		url.QueryEscape(secret), url.PathEscape(secret), url.QueryEscape(goJSON(secret, true)),
		html.EscapeString(secret),
	}
	return forms
}

// passwordForms are promisedForms of a password sent with Basic auth as
// user, and the header value.
func passwordForms(user, password string) []string {
	return append(promisedForms(password), base64.StdEncoding.EncodeToString([]byte(user+":"+password)))
}

// markers are what the client writes in place of what it removed or cut.
var markers = []string{Redacted, "... (truncated, "}

// survivors returns the forms that occur in text outside the markers the
// client writes: a form that overlaps a marker is an artifact of the
// marker's own letters ("[redacted]abX" holds "d]abX"), not a secret.
func survivors(text string, forms []string) []string {
	var spans [][2]int
	for _, m := range markers {
		for i := 0; ; {
			j := strings.Index(text[i:], m)
			if j < 0 {
				break
			}
			spans = append(spans, [2]int{i + j, i + j + len(m)})
			i += j + 1
		}
	}
	var out []string
	for _, f := range forms {
		for i := 0; f != "" && i <= len(text); {
			j := strings.Index(text[i:], f)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(f)
			inMarker := false
			for _, s := range spans {
				if start < s[1] && s[0] < end {
					inMarker = true
					break
				}
			}
			if !inMarker {
				out = append(out, f)
				break
			}
			i = start + 1
		}
	}
	return out
}

// maxAPITextLen is the longest text apiText returns.
var maxAPITextLen = MaxAPIText + len(fmt.Sprintf("... (truncated, %d bytes in all)", int64(1)<<62))

// checkAPIText fails t unless out is what apiText may return: printable,
// within its length, and holding none of forms.
func checkAPIText(t *testing.T, in, out string, forms []string) {
	t.Helper()
	if Printable(out) != out {
		t.Errorf("apiText(%q) = %q holds characters a terminal acts on", in, out)
	}
	if len(out) > maxAPITextLen {
		t.Errorf("apiText(%q) is %d bytes long, more than %d", in, len(out), maxAPITextLen)
	}
	if left := survivors(out, forms); len(left) > 0 {
		t.Errorf("apiText(%q) = %q still holds the secret as %q", in, out, left)
	}
}

// FuzzRedact: a password registered with addBasic never survives apiText in
// any form redact.go promises, wherever it is quoted in the text; what
// apiText returns is printable and cut to MaxAPIText. Secrets are valid
// UTF-8: every one comes from a Terraform string or a decoded JSON string.
func FuzzRedact(f *testing.F) {
	f.Add(`Pa"ss/w\ord-71`, "alice", "Server Error. Body: ", `"}`, uint8(3))
	f.Add("plain-password-1", "bob", `{"message":"The password `, ` is invalid"}`, uint8(0))
	f.Add(`<ü&ber>/"x"`, "carol", "<pre>", "</pre>", uint8(10))
	f.Add("with space+plus%", "dave", "GET /x?password=", "&y=1", uint8(7))
	f.Add("tab\there\x1bnow", "eve", "Authorization: Basic ", "\r\n", uint8(11))
	f.Add("🔑 emoji pass", "frank", strings.Repeat("x", 490), strings.Repeat("y", 30), uint8(4))
	f.Add(`pass\nword`, "u", "quoted: ", "", uint8(0x80)) // a real line break, escaped again by Printable
	f.Fuzz(func(t *testing.T, secret, user, before, after string, how uint8) {
		if len(secret) < minSecretLen || !utf8.ValidString(secret) || !utf8.ValidString(user) {
			t.Skip("not a secret the client registers")
		}
		var s secretSet
		s.addBasic(user, secret)
		forms := passwordForms(user, secret)
		quoted := forms[int(how&0x7f)%len(forms)]
		if how&0x80 != 0 {
			// A page that decoded what it quotes once more than it was
			// encoded: "pass\\nword" shown with a real line break.
			if decoded, err := strconv.Unquote(`"` + quoted + `"`); err == nil {
				quoted = decoded
			}
		}
		text := before + quoted + after
		checkAPIText(t, text, s.apiText(text), forms)
		// The same through the path an error of the transport takes.
		if err := s.wrap(fmt.Errorf("%s", text)); err != nil {
			checkAPIText(t, text, err.Error(), forms)
		}
	})
}

// FuzzWireGuardKeys: once the client has read a WireGuard configuration,
// none of its PrivateKey and PresharedKey values survives apiText of a text
// quoting the configuration, as it is or as a JSON string.
func FuzzWireGuardKeys(f *testing.F) {
	f.Add("[Interface]\nPrivateKey = XE1pI01BnHB1EmidlHdm55r2qHKBSWCCJtXeS9gC+WU=\nAddress = 10.250.121.219/32\nDNS = 10.255.255.1\n\n" +
		"[Peer]\nPublicKey = w4oWBcymg+W+24NTb7FolqW9sumDnO0vhXXP19iQomM=\nPresharedKey = abcd/efgh+ijkl=\n" +
		"AllowedIPs = 0.0.0.0/0\nEndpoint = 1.2.3.4:51820\n")
	f.Add("[Interface]\r\nprivatekey=k3y/with/slashes==\r\n")
	f.Add("PrivateKey = \nPresharedKey = x\nPrivateKey=  spaced key value  \n")
	f.Fuzz(func(t *testing.T, content string) {
		if !utf8.ValidString(content) {
			t.Skip("a decoded JSON string is valid UTF-8")
		}
		var s secretSet
		s.learn(&VPNConfig{Name: "wg.conf", Content: content})
		var forms []string
		for _, key := range configKeys(content) {
			if len(key) >= minSecretLen {
				forms = append(forms, promisedForms(key)...)
			}
		}
		checkAPIText(t, content, s.apiText(content), forms)
		quoted, _ := json.Marshal(map[string]string{"content": content})
		checkAPIText(t, string(quoted), s.apiText(string(quoted)), forms)
	})
}
