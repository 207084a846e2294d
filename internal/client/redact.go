package client

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// Redaction: no secret the client knows travels back in what it builds
// from an API answer.
//
// An API error page may quote the request it answers: Laravel's debug page
// shows the body and the headers, a validation message may repeat the
// value it refuses. The client knows every secret such a page could quote:
// the token (from New), every password it sends (creates, password
// changes, validations, Basic auth) and every private key it receives
// (accounts' wg_private_key, WireGuard configurations). It registers each
// one before the request that carries it is sent, and scrubs every string
// it builds from an answer (the message and field errors of an *APIError,
// the reason of a *MalformedAnswerError, the fields of its log lines)
// before the string leaves the client. A page may quote a secret in another
// form than it was sent in, so each is also scrubbed JSON-escaped (as Go
// and PHP's json_encode write it, once and twice), URL-encoded,
// HTML-escaped, and, for Basic auth, as the base64 header value.
//
// As a backstop for secrets this client has not seen (a private key in an
// answer to a new process), a Bearer or Basic credential and the value of
// a private key or password field are scrubbed by their shape too.
//
// API text is also cut to MaxAPIText bytes.

// Redacted replaces a secret in text built from an API answer.
const Redacted = "[redacted]"

// MaxAPIText is the most bytes of one text the API sent (a message, a
// field error) that an error carries; longer ones are cut, saying so.
const MaxAPIText = 500

// minSecretLen is the shortest value scrubbed: a shorter one would garble
// every message (and the API refuses passwords under 6 characters).
const minSecretLen = 4

// secretSet is a Client's set of known secrets, in every form they are
// scrubbed in, indexed by their first minSecretLen bytes so that adding one
// costs the same however many are known (a fleet registers thousands of
// passwords), and scrubbing costs one map lookup per byte of text. It is
// safe for concurrent use.
type secretSet struct {
	mu       sync.RWMutex
	known    map[string]struct{}
	byPrefix map[string][]string
}

// add registers secrets (empty and too short ones are ignored).
func (s *secretSet) add(secrets ...string) {
	var forms []string
	for _, v := range secrets {
		if len(v) >= minSecretLen {
			forms = append(forms, secretForms(v)...)
		}
	}
	if len(forms) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.known == nil {
		s.known, s.byPrefix = map[string]struct{}{}, map[string][]string{}
	}
	for _, f := range forms {
		if _, ok := s.known[f]; ok || len(f) < minSecretLen {
			continue
		}
		s.known[f] = struct{}{}
		key := f[:minSecretLen]
		s.byPrefix[key] = append(s.byPrefix[key], f)
	}
}

// replaceKnown replaces every known form of a secret in text.
func (s *secretSet) replaceKnown(text string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.byPrefix) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for i := 0; i+minSecretLen <= len(text); {
		// The longest form wins, so one that contains another is
		// replaced whole.
		matched := 0
		for _, f := range s.byPrefix[text[i:i+minSecretLen]] {
			if len(f) > matched && strings.HasPrefix(text[i:], f) {
				matched = len(f)
			}
		}
		if matched == 0 {
			i++
			continue
		}
		b.WriteString(text[last:i])
		b.WriteString(Redacted)
		i += matched
		last = i
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// addBasic registers a password and the Basic auth header value it is
// sent in.
func (s *secretSet) addBasic(username, password string) {
	if len(password) < minSecretLen {
		return
	}
	s.add(password, base64.StdEncoding.EncodeToString([]byte(username+":"+password)))
}

// scrub replaces every known secret, and every credential recognised by
// its shape, in text.
func (s *secretSet) scrub(text string) string {
	if text == "" {
		return text
	}
	text = s.replaceKnown(text)
	for _, p := range secretShapes {
		text = p.re.ReplaceAllString(text, p.with)
	}
	return text
}

// apiText is scrub, the escape of what a terminal would act on (Printable),
// scrub again and then the cut to MaxAPIText bytes: for any text that comes
// from an API answer. The second scrub is for a secret that only the escape
// spells out: a password `pass\nword` quoted with a real line break becomes
// `pass\nword` again once Printable writes the break as \n.
func (s *secretSet) apiText(text string) string {
	return truncateText(s.scrub(Printable(s.scrub(text))), MaxAPIText)
}

// truncateText cuts text to at most n bytes (on a character boundary),
// saying so.
func truncateText(text string, n int) string {
	if len(text) <= n {
		return text
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (truncated, %d bytes in all)", text[:cut], len(text))
}

// secretShapes find credentials by their shape, for secrets the client has
// not registered. The optional backslashes match a JSON document quoted
// inside another one.
var secretShapes = []struct {
	re   *regexp.Regexp
	with string
}{
	// An Authorization header value.
	{regexp.MustCompile(`(?i)\b(bearer|basic)(\s+)[A-Za-z0-9\-._~+/]{4,}=*`), "${1}${2}" + Redacted},
	// A WireGuard key: `PrivateKey = ...`, `"wg_private_key":"..."`,
	// `'private_key' => '...'`, with `\/` for `/` in PHP's JSON.
	// Also URL-encoded (`PrivateKey+%3D+...`).
	{regexp.MustCompile(`(?i)((?:wg_)?(?:private|preshared)_?key(?:\\|"|'|\s|\+|:|=|>|%22|%27|%3A|%3D|%5C|%20){1,16})(?:[A-Za-z0-9+=]|\\?/|%2[BF]|%3D){8,}`), "${1}" + Redacted},
	// The value of a password or token field in a quoted request body.
	{regexp.MustCompile(`(?i)((?:password\w*|token)\\*["']?\s*(?:=>|:|=)\s*\\*["'])[^"'\\\s]+`), "${1}" + Redacted},
}

// secretForms returns v and the forms a page quoting it may show: JSON
// string escapes (Go's and PHP's, up to three deep, as when a JSON body is
// quoted in a JSON string), and each of those URL-encoded or HTML-escaped.
func secretForms(v string) []string {
	forms := map[string]struct{}{v: {}}
	// Most escapes leave most secrets as they are: each distinct form is
	// escaped once (a fleet learns thousands of keys in one list walk).
	for f := range distinct(jsonForms(v)) {
		forms[f] = struct{}{}
		for ff := range distinct(jsonForms(f)) {
			forms[ff] = struct{}{}
			// A third level, in the two common styles only.
			forms[jsonInner(ff, false)] = struct{}{}
			forms[phpJSON(ff, true, false)] = struct{}{}
		}
	}
	escaped := make([]string, 0, len(forms))
	for f := range forms {
		escaped = append(escaped, f)
	}
	for _, f := range escaped {
		for _, enc := range []string{url.QueryEscape(f), url.PathEscape(f), percentAll(f), html.EscapeString(f)} {
			forms[enc] = struct{}{}
		}
	}
	out := make([]string, 0, len(forms))
	for f := range forms {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// jsonForms are the ways a JSON encoder may write v inside a string.
func jsonForms(v string) []string {
	return []string{jsonInner(v, true), jsonInner(v, false), phpJSON(v, true, true), phpJSON(v, true, false), phpJSON(v, false, true)}
}

// distinct is the set of forms.
func distinct(forms []string) map[string]struct{} {
	out := make(map[string]struct{}, len(forms))
	for _, f := range forms {
		out[f] = struct{}{}
	}
	return out
}

// plainIn reports whether v holds only printable ASCII other than the bytes
// in special: then no JSON encoder changes it.
func plainIn(v, special string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c > 0x7e || strings.IndexByte(special, c) >= 0 {
			return false
		}
	}
	return true
}

// jsonInner is v as Go's encoding/json writes it in a string, without the
// quotes.
func jsonInner(v string, escapeHTML bool) string {
	if plainIn(v, `"\<>&`) {
		return v
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(v)
	out := strings.TrimSuffix(b.String(), "\n")
	return strings.TrimSuffix(strings.TrimPrefix(out, `"`), `"`)
}

// phpJSON is v as PHP's json_encode writes it in a string, without the
// quotes: by default with `\/` for `/` and `\uXXXX` for every non-ASCII
// character (JSON_UNESCAPED_SLASHES and JSON_UNESCAPED_UNICODE turn those
// off); backspace and form feed as `\b` and `\f`, the other controls below
// 0x20 as `\u00XX`, DEL as it is.
func phpJSON(v string, escapeSlash, escapeUnicode bool) string {
	if plainIn(v, `"\/`) {
		return v
	}
	var b strings.Builder
	for _, r := range v {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '/' && escapeSlash:
			b.WriteString(`\/`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (r > 0x7f && escapeUnicode):
			if r > 0xffff {
				r -= 0x10000
				fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

const upperHex = "0123456789ABCDEF"

// percentAll percent-encodes every byte but the unreserved ones (as PHP's
// rawurlencode does).
func percentAll(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

// wireGuardSecrets returns the keys of a WireGuard configuration: its
// PrivateKey and any PresharedKey.
func wireGuardSecrets(content string) []string {
	var out []string
	for _, line := range strings.Split(content, "\n") {
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "privatekey", "presharedkey":
			out = append(out, strings.TrimSpace(value))
		}
	}
	return out
}

// learn registers the secrets an answer holds: an account's private key,
// a WireGuard configuration's keys.
func (s *secretSet) learn(v any) {
	switch x := v.(type) {
	case *Account:
		s.add(x.WgPrivateKey)
	case *[]Account:
		for i := range *x {
			s.add((*x)[i].WgPrivateKey)
		}
	case *VPNConfig:
		s.add(wireGuardSecrets(x.Content)...)
	}
}

// scrubFields scrubs the string values of log fields.
func (s *secretSet) scrubFields(fields map[string]any) map[string]any {
	for k, v := range fields {
		switch x := v.(type) {
		case string:
			fields[k] = s.scrub(x)
		case error:
			fields[k] = s.scrub(x.Error())
		case fmt.Stringer:
			fields[k] = s.scrub(x.String())
		}
	}
	return fields
}

// redactedError is an error whose text is scrubbed; it unwraps to the
// original, so errors.As still finds what it wraps.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// wrap returns err with its text scrubbed and cut, or err itself when it
// holds nothing to scrub.
func (s *secretSet) wrap(err error) error {
	if err == nil {
		return nil
	}
	msg := s.apiText(err.Error())
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

// RedactURL is how a URL is written into a message, an error or a log
// line: without its user info (user name and password), which is dropped,
// not masked, so that not even the user name shows. A string that does not
// parse as a URL loses whatever stands where user info would (up to the
// last "@" before the path).
func RedactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		u.User = nil
		return u.String()
	}
	start := 0
	if i := strings.Index(raw, "//"); i >= 0 {
		start = i + 2
	}
	rest := raw[start:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		return raw[:start] + rest[at+1:]
	}
	return raw
}

// URLUserinfo returns the user info of u in the forms a message may show it
// in (the password, the user name when it stands alone, as a token does,
// and user:password, raw and percent-encoded), or nil when u has none. New
// registers them as secrets.
func URLUserinfo(u *url.URL) []string {
	if u == nil || u.User == nil {
		return nil
	}
	name := u.User.Username()
	pass, hasPass := u.User.Password()
	out := []string{u.User.String()}
	if hasPass {
		out = append(out, pass, name+":"+pass, base64.StdEncoding.EncodeToString([]byte(name+":"+pass)))
	} else {
		out = append(out, name)
	}
	return out
}

// userinfoCandidates is what may be user info in a string that does not
// parse as a URL: the text before the last "@" of its authority, and its
// parts around ":".
func userinfoCandidates(raw string) []string {
	start := 0
	if i := strings.Index(raw, "//"); i >= 0 {
		start = i + 2
	}
	rest := raw[start:]
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		rest = rest[:end]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return nil
	}
	info := rest[:at]
	return append([]string{info}, strings.Split(info, ":")...)
}
