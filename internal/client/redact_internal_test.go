package client

import (
	"fmt"
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
