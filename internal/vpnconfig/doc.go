// Package vpnconfig reads and writes VPN client configuration files: the
// wg-quick(8) format of WireGuard ([Interface] and [Peer] sections of
// Key = Value lines) and OpenVPN's configuration files (one directive per
// line, inline <tag>…</tag> blocks). It knows nothing of Terraform: the
// provider's functions wrap it.
//
// The parsers follow the formats, not one producer of them: CRLF or LF line
// ends, comments, surrounding whitespace, repeated keys and sections are
// handled as wg(8)/wg-quick(8) and openvpn(8) handle them, and every
// departure from that is documented where it is made.
//
// Secrets: a WireGuard configuration holds a private key and maybe
// preshared keys, an OpenVPN one may hold a private key or a static key in
// an inline block. Errors therefore name a line number and a key or
// directive name, never the text of a value (see safeName).
package vpnconfig

import (
	"fmt"
	"strings"
)

// Error is a problem with a configuration text: Line is 1-based, 0 when it
// is about the text as a whole.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

func lineErr(line int, format string, args ...any) *Error {
	return &Error{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// FieldError is a problem with one field of a configuration given to an
// encoder: Path names it, such as "peers[1].allowed_ips[0]".
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string { return e.Path + " " + e.Msg }

// isSpace is C's isspace in the "C" locale, which wg(8) and openvpn(8) use.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// lines splits text into lines without their line ends (LF, CRLF, or a lone
// CR at the end of the text), dropping a UTF-8 byte order mark at the start.
func lines(text string) []string {
	text = strings.TrimPrefix(text, "\ufeff")
	if text == "" {
		return nil
	}
	ls := strings.Split(text, "\n")
	if ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	for i, l := range ls {
		ls[i] = strings.TrimSuffix(l, "\r")
	}
	return ls
}

// safeName is name quoted when it can be shown in an error, else a
// note that it is withheld: a name is shown only when it is short and made of
// the characters of key and directive names. A pasted key or a line of a
// certificate is neither (WireGuard keys are 44 base64 characters), so no
// secret reaches an error through a name.
func safeName(name string) string {
	const withheld = "(name withheld: it may be a secret)"
	if len(name) == 0 || len(name) > 24 {
		return withheld
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		other := c >= '0' && c <= '9' || c == '-' || c == '_'
		if !letter && (i == 0 || !other) {
			return withheld
		}
	}
	return fmt.Sprintf("%q", name)
}
