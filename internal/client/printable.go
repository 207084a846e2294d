package client

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable makes text from the API safe to print on a terminal: every
// character that could move the cursor, start an escape sequence, forge a
// line or reorder what is shown is written as a visible escape instead. It
// escapes
//
//   - the C0 controls and DEL (ESC as \x1b, newline as \n, carriage return
//     as \r, tab as \t),
//   - the C1 controls (U+0080 to U+009F, U+009B being a one-character CSI),
//   - the bidirectional formatting characters (U+061C, U+200E, U+200F,
//     U+202A to U+202E, U+2066 to U+2069) and the line and paragraph
//     separators (U+2028, U+2029),
//   - bytes that are not valid UTF-8 (as \xNN; a valid U+FFFD is kept).
//
// Every other character, any script and emoji included, is kept. Text
// without such characters is returned as it is. It is the one helper for
// this: display names in a listing and every message built from API
// data go through it (the client's errors do, see secretSet.apiText).
func Printable(text string) string {
	i := strings.IndexFunc(text, unsafeRune)
	if i < 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 8)
	b.WriteString(text[:i])
	for rest := text[i:]; rest != ""; {
		r, size := utf8.DecodeRuneInString(rest)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, rest[0])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r) && r != utf8.RuneError:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(rest[:size])
		}
		rest = rest[size:]
	}
	return b.String()
}

// unsafeRune reports whether r is one that Printable escapes (invalid
// UTF-8 decodes as utf8.RuneError, which is escaped too).
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r == 0x2028, r == 0x2029:
		return true
	case r == utf8.RuneError:
		return true
	}
	return false
}
