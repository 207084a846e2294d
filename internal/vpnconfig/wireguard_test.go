package vpnconfig

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// Keys of the examples: well-formed WireGuard keys (44 base64 characters),
// not used anywhere.
const (
	testPrivateKey = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
	testPublicKey  = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
	testPublicKey2 = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0="
	testPSK        = "7Kd2mF0zqQe8rLk3Vx9pN1sT4uW6yA5bC2dE3fG4hJ0="
)

func ptr[T any](v T) *T { return &v }

func TestDecodeWireGuard_apiSample(t *testing.T) {
	// The configuration the API documents, as its JSON carries it.
	const text = "[Interface]\nPrivateKey = zUv7atadVRGOx58h\nAddress = 240.170.225.79\nDNS = 172.16.0.1\n\n" +
		"[Peer]\nPublicKey = WxwZf+b2RTA0ixXq/j6z9oVdnS75HxXDVadM1nC36BY=\nAllowedIPs = 0.0.0.0/0,::/0\n" +
		"Endpoint = eu-de-fra.321inter.net:55888\n"
	got, err := DecodeWireGuard(text)
	if err != nil {
		t.Fatal(err)
	}
	want := &WireGuard{
		Interface: WireGuardInterface{PrivateKey: "zUv7atadVRGOx58h", Addresses: []string{"240.170.225.79"}, DNS: []string{"172.16.0.1"}},
		Peers: []WireGuardPeer{{
			PublicKey:  "WxwZf+b2RTA0ixXq/j6z9oVdnS75HxXDVadM1nC36BY=",
			Endpoint:   ptr("eu-de-fra.321inter.net:55888"),
			AllowedIPs: []string{"0.0.0.0/0", "::/0"},
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}

// Everything the format allows at once: comments, odd spacing and case,
// repeated list keys, ignored wg-quick keys, two peers, "off".
func TestDecodeWireGuard_everything(t *testing.T) {
	text := strings.Join([]string{
		"# a client of the office network",
		"  [interface]  ",
		"privatekey=" + testPrivateKey + "   # the secret",
		"Address = 10.0.0.2/32, fd00::2/128",
		"Address=10.0.1.2/32",
		"DNS = 10.0.0.1 ,corp.example",
		"ListenPort = 51820",
		"MTU = 1420",
		"Table = off",
		"PostUp = iptables -A FORWARD -i %i -j ACCEPT; echo up=1",
		"SaveConfig = false",
		"",
		"\t[Peer]",
		"PublicKey = " + testPublicKey,
		"PresharedKey = " + testPSK,
		"AllowedIPs = 0.0.0.0/0",
		"AllowedIPs = ::/0",
		"Endpoint = [2001:db8::1]:51820",
		"PersistentKeepalive = 25",
		"",
		"[PEER]",
		"PUBLICKEY = " + testPublicKey2,
		"AllowedIPs =",
		"PersistentKeepalive = off",
	}, "\n")
	got, err := DecodeWireGuard(text)
	if err != nil {
		t.Fatal(err)
	}
	want := &WireGuard{
		Interface: WireGuardInterface{
			PrivateKey: testPrivateKey,
			Addresses:  []string{"10.0.0.2/32", "fd00::2/128", "10.0.1.2/32"},
			DNS:        []string{"10.0.0.1", "corp.example"},
			ListenPort: ptr[int64](51820),
			MTU:        ptr[int64](1420),
		},
		Peers: []WireGuardPeer{
			{
				PublicKey: testPublicKey, PresharedKey: ptr(testPSK), Endpoint: ptr("[2001:db8::1]:51820"),
				AllowedIPs: []string{"0.0.0.0/0", "::/0"}, PersistentKeepalive: ptr[int64](25),
			},
			{PublicKey: testPublicKey2, AllowedIPs: []string{}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}

	// CRLF line ends, a byte order mark and no final line end read the same.
	crlf, err := DecodeWireGuard("\ufeff" + strings.ReplaceAll(text, "\n", "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(crlf, want) {
		t.Fatalf("CRLF: got %#v", crlf)
	}
}

// A second [Interface] continues the first; a repeated key replaces the
// earlier value, a repeated list key adds to it (as in wg and wg-quick).
func TestDecodeWireGuard_repeats(t *testing.T) {
	got, err := DecodeWireGuard("[Interface]\nPrivateKey = old\nAddress = 10.0.0.2/32\nListenPort = 1\n" +
		"[Peer]\nPublicKey = " + testPublicKey + "\nEndpoint = a:1\nEndpoint = b:2\n" +
		"[Interface]\nPrivateKey = " + testPrivateKey + "\nAddress = 10.0.0.3/32\n")
	if err != nil {
		t.Fatal(err)
	}
	if got.Interface.PrivateKey != testPrivateKey || *got.Interface.ListenPort != 1 ||
		!reflect.DeepEqual(got.Interface.Addresses, []string{"10.0.0.2/32", "10.0.0.3/32"}) {
		t.Errorf("interface: %#v", got.Interface)
	}
	if len(got.Peers) != 1 || *got.Peers[0].Endpoint != "b:2" {
		t.Errorf("peers: %#v", got.Peers)
	}
}

func TestDecodeWireGuard_errors(t *testing.T) {
	iface := "[Interface]\nPrivateKey = " + testPrivateKey + "\n"
	peer := "[Peer]\nPublicKey = " + testPublicKey + "\n"
	for _, tc := range []struct {
		name, text string
		line       int
		msg        string
	}{
		{"empty", "", 0, "no [Interface] section"},
		{"only comments", "# nothing\n\n", 0, "no [Interface] section"},
		{"not a config", "client\ndev tun\n", 1, "not a [Section] header, a Key = Value line or a comment"},
		{"no private key", "# x\n[Interface]\nAddress = 10.0.0.2/32\n", 2, "the [Interface] section has no PrivateKey"},
		{"empty private key", "[Interface]\nPrivateKey =\n", 2, "PrivateKey has no value"},
		{"space in a key", "[Interface]\nPrivateKey = yAnz5TF+lXXJte14 tji3zlMNq+hd2rYUIgJBgB3fBmk=\n", 2, "the value of PrivateKey has whitespace inside it"},
		{"peer without key", iface + "[Peer]\nEndpoint = a:1\n", 3, "this [Peer] section has no PublicKey"},
		{"same peer twice", iface + peer + "\n" + peer, 6, "this [Peer] section has the PublicKey of the [Peer] at line 3"},
		{"unknown section", iface + "[Peers]\n", 3, `unknown section "Peers"`},
		{"open header", "[Interface\n", 1, "a section header must end with ]"},
		{"typo", iface + "Addresses = 10.0.0.2/32\n", 3, `unknown key "Addresses" in [Interface]`},
		{"peer typo", iface + peer + "Endpiont = a:1\n", 5, `unknown key "Endpiont" in [Peer]`},
		{"key before section", "PrivateKey = " + testPrivateKey + "\n" + iface, 1, `"PrivateKey" comes before the first section`},
		{"peer key in interface", iface + "PublicKey = " + testPublicKey + "\n", 3, "PublicKey belongs in a [Peer] section"},
		{"interface key in peer", iface + peer + "DNS = 1.1.1.1\n", 5, "DNS belongs in the [Interface] section"},
		{"hook in peer", iface + peer + "PostUp = true\n", 5, `"PostUp" belongs in the [Interface] section`},
		{"port", iface + "ListenPort = 65536\n", 3, "ListenPort must be a whole number from 0 to 65535"},
		{"signed port", iface + "ListenPort = +5\n", 3, "ListenPort must be a whole number"},
		{"mtu", iface + "MTU = 0\n", 3, "MTU must be a whole number from 1 to 65535"},
		{"keepalive", iface + peer + "PersistentKeepalive = 25s\n", 5, "PersistentKeepalive must be a whole number"},
		{"no key", iface + "= 1\n", 3, "a Key = Value line has no key"},
		{"semicolon comment", "; not a comment for wg\n" + iface, 1, "comments start with #"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeWireGuard(tc.text)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want an *Error, got %v", err)
			}
			if e.Line != tc.line || !strings.Contains(e.Msg, tc.msg) {
				t.Fatalf("got line %d: %q\nwant line %d: ...%q...", e.Line, e.Msg, tc.line, tc.msg)
			}
		})
	}
}

// No error repeats a value: a key pasted where a name goes, or a line of
// key material, is described, not quoted.
func TestDecodeWireGuard_errorsHoldNoSecret(t *testing.T) {
	secret := testPrivateKey
	for _, text := range []string{
		"[Interface]\n" + secret + "\n",                                       // a key alone on a line: no "="
		"[Interface]\n" + strings.TrimSuffix(secret, "=") + "==\n",            // ...ending in "=": a key named like the secret
		"[Interface]\nPrivateKey " + secret + "\n",                            // no "="
		"[Interface]\nPrivateKey = " + secret[:20] + " " + secret[20:] + "\n", // whitespace inside
		"[" + secret + "]\n",                                                  // a section
		"[Interface]\nPrivateKey = " + secret + "\nListenPort = " + secret + "\n",
		secret + " = 1\n[Interface]\n",
	} {
		_, err := DecodeWireGuard(text)
		if err == nil {
			t.Fatalf("no error for %q", text)
		}
		for _, part := range []string{secret, secret[:12], secret[20:32]} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("the error %q holds part of the key", err)
			}
		}
	}
}

func TestEncodeWireGuard(t *testing.T) {
	cfg := &WireGuard{
		Interface: WireGuardInterface{
			PrivateKey: testPrivateKey,
			Addresses:  []string{"10.0.0.2/32", "fd00::2/128"},
			DNS:        []string{"10.0.0.1"},
			ListenPort: ptr[int64](0),
			MTU:        ptr[int64](1420),
		},
		Peers: []WireGuardPeer{
			{PublicKey: testPublicKey, PresharedKey: ptr(testPSK), Endpoint: ptr("vpn.example:51820"),
				AllowedIPs: []string{"0.0.0.0/0", "::/0"}, PersistentKeepalive: ptr[int64](25)},
			{PublicKey: testPublicKey2, AllowedIPs: []string{}},
		},
	}
	got, err := EncodeWireGuard(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := "[Interface]\nPrivateKey = " + testPrivateKey + "\nAddress = 10.0.0.2/32, fd00::2/128\nDNS = 10.0.0.1\n" +
		"ListenPort = 0\nMTU = 1420\n\n" +
		"[Peer]\nPublicKey = " + testPublicKey + "\nPresharedKey = " + testPSK + "\nAllowedIPs = 0.0.0.0/0, ::/0\n" +
		"Endpoint = vpn.example:51820\nPersistentKeepalive = 25\n\n" +
		"[Peer]\nPublicKey = " + testPublicKey2 + "\n"
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	back, err := DecodeWireGuard(got)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, cfg) {
		t.Fatalf("decode(encode(x)) != x:\n got  %#v\n want %#v", back, cfg)
	}
}

func TestEncodeWireGuard_errors(t *testing.T) {
	good := func() *WireGuard {
		return &WireGuard{
			Interface: WireGuardInterface{PrivateKey: testPrivateKey, Addresses: []string{"10.0.0.2/32"}, DNS: []string{}},
			Peers: []WireGuardPeer{
				{PublicKey: testPublicKey, AllowedIPs: []string{"0.0.0.0/0"}},
				{PublicKey: testPublicKey2, AllowedIPs: []string{}},
			},
		}
	}
	if _, err := EncodeWireGuard(good()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, msg string
		edit      func(*WireGuard)
	}{
		{"interface.private_key", "must not be empty", func(c *WireGuard) { c.Interface.PrivateKey = "" }},
		{"interface.private_key", "must not contain whitespace", func(c *WireGuard) { c.Interface.PrivateKey = testPrivateKey + "\nPostUp = x" }},
		{"interface.addresses[1]", "must not contain a comma", func(c *WireGuard) { c.Interface.Addresses = append(c.Interface.Addresses, "a,b") }},
		{"interface.dns[0]", "must not be empty", func(c *WireGuard) { c.Interface.DNS = []string{""} }},
		{"interface.listen_port", "from 0 to 65535", func(c *WireGuard) { c.Interface.ListenPort = ptr[int64](-1) }},
		{"interface.mtu", "from 1 to 65535", func(c *WireGuard) { c.Interface.MTU = ptr[int64](70000) }},
		{"peers[1].public_key", "is the public key of peers[0]", func(c *WireGuard) { c.Peers[1].PublicKey = testPublicKey }},
		{"peers[0].preshared_key", `must not contain "#"`, func(c *WireGuard) { c.Peers[0].PresharedKey = ptr("abc#def") }},
		{"peers[1].endpoint", "must not be empty", func(c *WireGuard) { c.Peers[1].Endpoint = ptr("") }},
		{"peers[0].allowed_ips[0]", "must not contain whitespace", func(c *WireGuard) { c.Peers[0].AllowedIPs[0] = " 0.0.0.0/0" }},
		{"peers[1].persistent_keepalive", "from 0 to 65535", func(c *WireGuard) { c.Peers[1].PersistentKeepalive = ptr[int64](65536) }},
	} {
		c := good()
		tc.edit(c)
		_, err := EncodeWireGuard(c)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Path != tc.path || !strings.Contains(fe.Msg, tc.msg) {
			t.Errorf("%s: got %v, want %s %s", tc.path, err, tc.path, tc.msg)
		}
		if err != nil && strings.Contains(err.Error(), testPrivateKey) {
			t.Errorf("%s: the error holds the key", tc.path)
		}
	}
}
