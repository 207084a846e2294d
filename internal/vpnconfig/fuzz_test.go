package vpnconfig

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// The fuzz targets' seeds (f.Add, and the regression inputs under
// testdata/fuzz/<target>/) run in every `go test`; to explore from them:
//
//	go test ./internal/vpnconfig -run '^$' -fuzz '^FuzzWireGuardDecode$' -fuzztime 10m

// wireGuardSeeds are well-formed and broken wg-quick texts.
var wireGuardSeeds = []string{
	"[Interface]\nPrivateKey = zUv7atadVRGOx58h\nAddress = 240.170.225.79\nDNS = 172.16.0.1\n\n" +
		"[Peer]\nPublicKey = WxwZf+b2RTA0ixXq/j6z9oVdnS75HxXDVadM1nC36BY=\nAllowedIPs = 0.0.0.0/0,::/0\nEndpoint = eu-de-fra.321inter.net:55888\n",
	"# comment\r\n[interface]\r\nprivatekey=" + testPrivateKey + " # key\r\nAddress = 10.0.0.2/32, fd00::2/128\r\nListenPort = 51820\r\nMTU = 1420\r\n" +
		"PostUp = echo a=b\r\n[Peer]\r\nPublicKey = " + testPublicKey + "\r\nPresharedKey = " + testPSK + "\r\nAllowedIPs = 0.0.0.0/0\r\n" +
		"AllowedIPs = ::/0\r\nPersistentKeepalive = off\r\n[PEER]\r\nPUBLICKEY = " + testPublicKey2 + "\r\nEndpoint = [::1]:1\r\nPersistentKeepalive = 0",
	"\ufeff[Interface]\nPrivateKey = a\n[Interface]\nPrivateKey = b\nDNS =\n",
	"[Interface]\nPrivateKey = " + testPrivateKey + "\n[Peer]\nPublicKey = a\n[Peer]\nPublicKey = a\n",
	"[Interface]\nPrivateKey = a b\n",
	"; no\n[Interface]\n",
	"[Peer\n",
	"",
}

// openVPNSeeds are well-formed and broken OpenVPN texts.
var openVPNSeeds = []string{
	apiOpenVPNSample,
	"client\r\n--dev tun\r\nremote 'a b' \"443\" tcp ;c\r\nport 1195\r\nproto tcp\r\n<ca>\r\n  X\r\n  </ca>\r\n<key>\r\nK\r\n</key>\r\n",
	"dev tun\nproto tcp\nremote x\n<connection>\nremote a 443\n</connection>\nport 1\n<connection>\nremote b\nproto udp6\n</connection>\n",
	`dev tun` + "\n" + `setenv A My\ VPN "a \"b\" c" 'd\e'` + "\n",
	"dev tun\nca C:\\x\n",
	"dev tun\n<key>\nno end\n",
	"dev tun\n</ca>\n<>\n",
	"remote a 0\n",
	"dev \"tun\x00\"\n",
	"",
}

func FuzzWireGuardDecode(f *testing.F) {
	for _, s := range wireGuardSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cfg, err := DecodeWireGuard(text)
		if !strings.Contains(text, "\r") {
			// CRLF line ends change nothing, errors included.
			cfg2, err2 := DecodeWireGuard(strings.ReplaceAll(text, "\n", "\r\n"))
			if !reflect.DeepEqual(cfg, cfg2) || !sameError(err, err2) {
				t.Fatalf("CRLF changes the result:\n LF   %#v, %v\n CRLF %#v, %v", cfg, err, cfg2, err2)
			}
		}
		if err != nil {
			checkDecodeError(t, text, err)
			return
		}
		// The round trip: encode accepts every decoded configuration, and
		// decode(encode(x)) == x; encoding is then stable.
		out, err := EncodeWireGuard(cfg)
		if err != nil {
			t.Fatalf("encode refuses a decoded configuration: %v\n%#v", err, cfg)
		}
		back, err := DecodeWireGuard(out)
		if err != nil {
			t.Fatalf("decode refuses what encode wrote: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(back, cfg) {
			t.Fatalf("decode(encode(x)) != x:\n x    %#v\n back %#v\n text %q", cfg, back, out)
		}
		if again, _ := EncodeWireGuard(back); again != out {
			t.Fatalf("encode is not stable:\n%q\n%q", out, again)
		}
	})
}

// FuzzWireGuardEncode starts from the other side: any configuration encode
// accepts decodes back to itself. Lists are given as "|"-separated items.
func FuzzWireGuardEncode(f *testing.F) {
	f.Add(testPrivateKey, "10.0.0.2/32|fd00::2/128", "10.0.0.1", int64(51820), int64(1420),
		testPublicKey, testPSK, "vpn.example:51820", "0.0.0.0/0|::/0", int64(25), testPublicKey2)
	f.Add("k", "", "", int64(-1), int64(-1), "p", "", "", "", int64(-1), "")
	f.Add("k#", "a,b", " ", int64(70000), int64(0), "p", "x y", "\n", "|", int64(0), "p")
	f.Fuzz(func(t *testing.T, priv, addrs, dns string, port, mtu int64, pub, psk, endpoint, allowed string, keepalive int64, pub2 string) {
		cfg := &WireGuard{
			Interface: WireGuardInterface{PrivateKey: priv, Addresses: items(addrs), DNS: items(dns), ListenPort: optional(port), MTU: optional(mtu)},
			Peers: []WireGuardPeer{{
				PublicKey: pub, PresharedKey: optionalString(psk), Endpoint: optionalString(endpoint),
				AllowedIPs: items(allowed), PersistentKeepalive: optional(keepalive),
			}},
		}
		if pub2 != "" {
			cfg.Peers = append(cfg.Peers, WireGuardPeer{PublicKey: pub2, AllowedIPs: []string{}})
		}
		out, err := EncodeWireGuard(cfg)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Path == "" {
				t.Fatalf("not a FieldError: %v", err)
			}
			for _, secret := range []string{priv, psk} {
				if len(secret) >= 8 && strings.Contains(err.Error(), secret) {
					t.Fatalf("the error %q holds a key", err)
				}
			}
			return
		}
		back, err := DecodeWireGuard(out)
		if err != nil {
			t.Fatalf("decode refuses what encode wrote: %v\n%q", err, out)
		}
		if !reflect.DeepEqual(back, cfg) {
			t.Fatalf("decode(encode(x)) != x:\n x    %#v\n back %#v\n text %q", cfg, back, out)
		}
	})
}

func FuzzOpenVPNDecode(f *testing.F) {
	for _, s := range openVPNSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cfg, err := DecodeOpenVPN(text)
		if !strings.Contains(text, "\r") {
			cfg2, err2 := DecodeOpenVPN(strings.ReplaceAll(text, "\n", "\r\n"))
			if !reflect.DeepEqual(cfg, cfg2) || !sameError(err, err2) {
				t.Fatalf("CRLF changes the result:\n LF   %#v, %v\n CRLF %#v, %v", cfg, err, cfg2, err2)
			}
		}
		if err != nil {
			checkDecodeError(t, text, err)
			return
		}
		if cfg.Dev == "" || !openVPNProtos[cfg.Proto] || cfg.Remotes == nil || cfg.Inline == nil || cfg.Options == nil {
			t.Fatalf("incomplete result %#v", cfg)
		}
		for _, r := range cfg.Remotes {
			if r.Host == "" || r.Port < 1 || r.Port > 65535 || !openVPNProtos[r.Proto] {
				t.Fatalf("bad remote %#v", r)
			}
		}
		if _, ok := cfg.Inline["connection"]; ok {
			t.Fatal("a <connection> block is in Inline")
		}
		for name, body := range cfg.Inline {
			if name == "" || strings.HasPrefix(name, "/") || body != "" && !strings.HasSuffix(body, "\n") {
				t.Fatalf("bad inline block %q: %q", name, body)
			}
		}
		for _, o := range cfg.Options {
			if o.Args == nil || strings.HasPrefix(o.Name, "#") || strings.HasPrefix(o.Name, ";") {
				t.Fatalf("bad option %#v", o)
			}
		}
	})
}

// checkDecodeError: a decode error is an *Error on a line of the text (or
// on none) and repeats no long word of the text, where keys would be.
func checkDecodeError(t *testing.T, text string, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("not an *Error: %v", err)
	}
	if e.Line < 0 || e.Line > strings.Count(text, "\n")+1 {
		t.Fatalf("line %d is not in the text", e.Line)
	}
	for _, word := range strings.FieldsFunc(text, func(r rune) bool { return r < 0x80 && (isSpace(byte(r)) || r == '=' || r == ',') }) {
		if len(word) > 24 && strings.Contains(e.Msg, word) {
			t.Fatalf("the error %q repeats a word of the text", e.Msg)
		}
	}
}

func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Error() == b.Error()
}

func items(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "|")
}

func optional(n int64) *int64 {
	if n < 0 {
		return nil
	}
	return &n
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
