package vpnconfig

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// apiOpenVPNSample is the configuration the API documents (its CA shortened).
const apiOpenVPNSample = "client\ndev tun\nremote bkk-s02.321inter.net\nport 123\nproto udp\npersist-key\npersist-tun\ncomp-lzo\n" +
	"auth-user-pass\nnobind\nca ca.crt\nauth SHA256\ncipher AES-256-CBC\nkeysize 256\nfloat\ntun-mtu 48000\nfragment 0\nmssfix 0\n\n" +
	"<ca>\n    -----BEGIN CERTIFICATE-----\n    MIIE3zCCA8egAwIBAgIJAKJYeXSXJzkNMA0GCSqGSIb3DQEBCwUAMIGlMQswCQYD\n" +
	"    FjHt\n    -----END CERTIFICATE-----\n\n</ca>"

func TestDecodeOpenVPN_apiSample(t *testing.T) {
	got, err := DecodeOpenVPN(apiOpenVPNSample)
	if err != nil {
		t.Fatal(err)
	}
	if want := []OpenVPNRemote{{Host: "bkk-s02.321inter.net", Port: 123, Proto: "udp"}}; !reflect.DeepEqual(got.Remotes, want) {
		t.Errorf("remotes: got %#v, want %#v", got.Remotes, want)
	}
	if got.Proto != "udp" || got.Dev != "tun" || got.Cipher == nil || *got.Cipher != "AES-256-CBC" {
		t.Errorf("proto %q dev %q cipher %v", got.Proto, got.Dev, got.Cipher)
	}
	wantCA := "    -----BEGIN CERTIFICATE-----\n    MIIE3zCCA8egAwIBAgIJAKJYeXSXJzkNMA0GCSqGSIb3DQEBCwUAMIGlMQswCQYD\n" +
		"    FjHt\n    -----END CERTIFICATE-----\n\n"
	if !reflect.DeepEqual(got.Inline, map[string]string{"ca": wantCA}) {
		t.Errorf("inline: %#v", got.Inline)
	}
	if len(got.Options) != 18 || !reflect.DeepEqual(got.Options[10], OpenVPNOption{Name: "ca", Args: []string{"ca.crt"}}) ||
		!reflect.DeepEqual(got.Options[0], OpenVPNOption{Name: "client", Args: []string{}}) {
		t.Errorf("options: %#v", got.Options)
	}

	// CRLF line ends read the same, block contents included.
	crlf, err := DecodeOpenVPN(strings.ReplaceAll(apiOpenVPNSample, "\n", "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(crlf, got) {
		t.Errorf("CRLF: got %#v", crlf)
	}
}

func TestDecodeOpenVPN_remotes(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []OpenVPNRemote
		proto      string
	}{
		{"defaults", "dev tun\nremote a.example\n", []OpenVPNRemote{{"a.example", 1194, "udp"}}, "udp"},
		{
			"own port and protocol, then the file's",
			"dev tun\nremote a.example 443 tcp-client\nremote b.example 1195\nremote c.example\nproto tcp\nport 8443\n",
			[]OpenVPNRemote{{"a.example", 443, "tcp-client"}, {"b.example", 1195, "tcp"}, {"c.example", 8443, "tcp"}},
			"tcp",
		},
		{"rport after port", "dev tun\nport 1000\nrport 2000\nremote a\n", []OpenVPNRemote{{"a", 2000, "udp"}}, "udp"},
		{"port after rport", "dev tun\nrport 2000\nport 1000\nremote a\n", []OpenVPNRemote{{"a", 1000, "udp"}}, "udp"},
		{"none", "dev tap\n", []OpenVPNRemote{}, "udp"},
		{
			// A <connection> block starts from the settings in force where
			// it opens; the remote directives outside blocks are ignored.
			"connection blocks",
			"dev tun\nproto tcp\nremote ignored.example\n<connection>\nremote a.example 443\n</connection>\n" +
				"port 1195\n<connection>\n  remote b.example\n  proto udp6\n</connection>\nproto udp\n",
			[]OpenVPNRemote{{"a.example", 443, "tcp"}, {"b.example", 1195, "udp6"}},
			"udp",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeOpenVPN(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Remotes, tc.want) || got.Proto != tc.proto {
				t.Fatalf("got %#v proto %q, want %#v proto %q", got.Remotes, got.Proto, tc.want, tc.proto)
			}
			if _, ok := got.Inline["connection"]; ok {
				t.Error("a <connection> block is in Inline")
			}
		})
	}
}

// Comments, quoting, escapes, "--" and the inline blocks of a client with
// its own certificate.
func TestDecodeOpenVPN_syntax(t *testing.T) {
	text := strings.Join([]string{
		"# OpenVPN client",
		"; another comment",
		"   --dev   tun0   # inline comment",
		"remote 'vpn.example' \"443\" tcp ;comment",
		`auth-user-pass "C:\\Program Files\\creds.txt"`,
		`setenv FRIENDLY_NAME My\ VPN "a \"quoted\" word" #x`,
		"verb 3#not-a-comment",
		"cipher AES-256-GCM",
		"cipher CHACHA20-POLY1305",
		"<ca>",
		"-----BEGIN CERTIFICATE-----",
		"# not a comment in a block",
		"-----END CERTIFICATE-----",
		"</ca>",
		"  <cert>  ",
		"CERT",
		"  </cert> trailing text is ignored",
		"<key>",
		"KEY",
		"</key>",
		"<tls-auth>",
		"STATIC",
		"</tls-auth>",
		"key-direction 1",
		"<tls-crypt>",
		"</tls-crypt>",
		"<ca>",
		"SECOND CA",
		"</ca>",
	}, "\n")
	got, err := DecodeOpenVPN(text)
	if err != nil {
		t.Fatal(err)
	}
	want := &OpenVPN{
		Remotes: []OpenVPNRemote{{"vpn.example", 443, "tcp"}},
		Proto:   "udp",
		Dev:     "tun0",
		Cipher:  ptr("CHACHA20-POLY1305"),
		Inline: map[string]string{
			"ca": "SECOND CA\n", "cert": "CERT\n", "key": "KEY\n", "tls-auth": "STATIC\n", "tls-crypt": "",
		},
		Options: []OpenVPNOption{
			{"dev", []string{"tun0"}},
			{"remote", []string{"vpn.example", "443", "tcp"}},
			{"auth-user-pass", []string{`C:\Program Files\creds.txt`}},
			{"setenv", []string{"FRIENDLY_NAME", "My VPN", `a "quoted" word`}},
			{"verb", []string{"3#not-a-comment"}},
			{"cipher", []string{"AES-256-GCM"}},
			{"cipher", []string{"CHACHA20-POLY1305"}},
			{"key-direction", []string{"1"}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}

func TestDecodeOpenVPN_errors(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		msg        string
	}{
		{"empty", "", 0, "no dev directive"},
		{"wireguard", "[Interface]\nPrivateKey = " + testPrivateKey + "\n", 0, "no dev directive"},
		{"remote without host", "dev tun\nremote\n", 2, "remote takes a host"},
		{"remote with too much", "dev tun\nremote a 1 udp x\n", 2, "remote takes a host"},
		{"empty host", "dev tun\nremote ''\n", 2, "the host of remote is empty"},
		{"remote port", "dev tun\nremote a 0\n", 2, "the port of remote must be a whole number from 1 to 65535"},
		{"remote proto", "dev tun\nremote a 1194 sctp\n", 2, "the protocol of remote must be one of"},
		{"port", "dev tun\nport https\n", 2, "port must be a whole number"},
		{"rport", "dev tun\nrport 70000\n", 2, "rport must be a whole number"},
		{"proto", "dev tun\nproto UDP\n", 2, "proto must be one of"},
		{"proto twice", "dev tun\nproto udp tcp\n", 2, "proto takes one value"},
		{"dev", "dev\n", 1, "dev takes one value"},
		{"cipher", "dev tun\ncipher\n", 2, "cipher takes one value"},
		{"open block", "dev tun\n<key>\n" + testPrivateKey + "\n", 2, `the inline block "key" has no closing tag`},
		{"wrong closing tag", "dev tun\n<key>\nx\n</ca>\n", 2, `the inline block "key" has no closing tag`},
		{"closing tag alone", "dev tun\n</ca>\n", 2, "a closing tag without an opening one"},
		{"nameless tag", "dev tun\n<>\n</>\n", 2, "an inline block tag has no name"},
		{"open quote", "dev tun\nremote \"a b\n", 2, `a quotation mark (") is not closed`},
		{"open single quote", "dev 'tun\n", 1, "a quotation mark (') is not closed"},
		{"backslash", "dev tun\nca C:\\ca.crt\n", 2, "a backslash may only escape"},
		{"connection without remote", "dev tun\n\n<connection>\nport 1\n</connection>\n", 3, "a <connection> block needs a remote directive"},
		{"connection error", "dev tun\n<connection>\nremote a\nproto x\n</connection>\n", 4, "proto must be one of"},
		{"nested block", "dev tun\n<connection>\nremote a\n<ca>\n</ca>\n</connection>\n", 4, "inline blocks cannot be nested"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeOpenVPN(tc.text)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want an *Error, got %v", err)
			}
			if e.Line != tc.line || !strings.Contains(e.Msg, tc.msg) {
				t.Fatalf("got line %d: %q\nwant line %d: ...%q...", e.Line, e.Msg, tc.line, tc.msg)
			}
			if strings.Contains(e.Msg, testPrivateKey[:12]) {
				t.Fatalf("the error holds the key: %q", e.Msg)
			}
		})
	}
}
