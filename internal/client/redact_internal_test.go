package client

import (
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"net/url"
	"strings"
	"testing"
)

// The cost of redaction with a fleet's worth of passwords known: each one
// registered, and one API message of about 2 KB scrubbed.
func BenchmarkSecretSet(b *testing.B) {
	const n = 1000
	passwords := make([]string, n)
	for i := range passwords {
		passwords[i] = fmt.Sprintf(`pw"%04d/x\y`, i)
	}
	msg := strings.Repeat("The given data was invalid: ", 70) + `{"password":"pw\"0500\/x\\y"}`
	b.Run("add 1000", func(b *testing.B) {
		for b.Loop() {
			var s secretSet
			for _, p := range passwords {
				s.add(p)
			}
		}
	})
	var s secretSet
	for _, p := range passwords {
		s.add(p)
	}
	if got := s.scrub(msg); strings.Contains(got, "0500") {
		b.Fatalf("not scrubbed: %s", got[len(got)-60:])
	}
	b.Run("scrub 2KB", func(b *testing.B) {
		for b.Loop() {
			_ = s.apiText(msg)
		}
	})
}

// secretFormsReference is secretForms before it escaped each distinct form
// once: the two must give the same forms.
func secretFormsReference(v string) map[string]bool {
	jsonInnerRef := func(v string, escapeHTML bool) string {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		_ = enc.Encode(v)
		out := strings.TrimSuffix(b.String(), "\n")
		return strings.TrimSuffix(strings.TrimPrefix(out, `"`), `"`)
	}
	jsonFormsRef := func(v string) []string {
		return []string{jsonInnerRef(v, true), jsonInnerRef(v, false), phpJSON(v, true, true), phpJSON(v, true, false), phpJSON(v, false, true)}
	}
	forms := map[string]bool{v: true}
	for _, f := range jsonFormsRef(v) {
		forms[f] = true
		for _, ff := range jsonFormsRef(f) {
			forms[ff] = true
			forms[jsonInnerRef(ff, false)] = true
			forms[phpJSON(ff, true, false)] = true
		}
	}
	for f := range maps.Clone(forms) {
		for _, enc := range []string{url.QueryEscape(f), url.PathEscape(f), percentAll(f), html.EscapeString(f)} {
			forms[enc] = true
		}
	}
	delete(forms, "")
	return forms
}

func TestSecretForms_asBefore(t *testing.T) {
	for _, v := range []string{
		"plain-password-1", "XE1pI01BnHB1EmidlHdm55r2qHKBSWCCJtXeS9gC+WU=", "a/b/c+d==", `quo"te\back`,
		"<tag>&amp;", "tab\there", "ünïcødé £", "line\u2028sep", "del\x7fete", "emoji 🔑/key",
	} {
		got := map[string]bool{}
		for _, f := range secretForms(v) {
			got[f] = true
		}
		if want := secretFormsReference(v); !maps.Equal(got, want) {
			t.Errorf("%q: forms %v, want %v", v, got, want)
		}
	}
}

func BenchmarkSecretForms(b *testing.B) {
	for b.Loop() {
		secretForms("XE1pI01BnHB1EmidlHdm55r2qHKBSWCCJtXeS9gC+WU=")
	}
}
