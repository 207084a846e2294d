package client_test

import (
	"strings"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"alice", "alice"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"one\ntwo", `one\ntwo`},
		{"over\rwrite", `over\rwrite`},
		{"tab\there", `tab\there`},
		{"evil\u202etxt.exe", `evil\u202etxt.exe`},
		{"rtl\u200fmark\u200e", `rtl\u200fmark\u200e`},
		{"\u2066iso\u2069 \u202aemb\u202c \u061c", `\u2066iso\u2069 \u202aemb\u202c \u061c`},
		{"line\u2028sep\u2029", `line\u2028sep\u2029`},
		{"nul\x00bel\x07del\x7f", `nul\x00bel\x07del\x7f`},
		{"c1 csi \u009b31m nel \u0085", `c1 csi \u009b31m nel \u0085`},
		{"\x1b]0;owned\x07title", `\x1b]0;owned\x07title`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
		// Valid Unicode is kept: scripts, combining marks, emoji with
		// zero-width joiners, U+FFFD itself.
		{"Zoë Ñandú 東京 مرحبا 👩‍👩‍👧 \ufffd", "Zoë Ñandú 東京 مرحبا 👩‍👩‍👧 \ufffd"},
		{"", ""},
	} {
		if got := client.Printable(tc.in); got != tc.want {
			t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
		got := client.Printable(tc.in)
		for _, raw := range []string{"\x1b", "\n", "\r", "\u202e", "\u200f", "\u009b"} {
			if strings.Contains(got, raw) {
				t.Errorf("Printable(%q) = %q still holds %q", tc.in, got, raw)
			}
		}
	}
}
