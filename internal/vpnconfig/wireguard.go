package vpnconfig

import (
	"fmt"
	"strconv"
	"strings"
)

// WireGuard is a wg-quick(8) configuration: one interface and its peers.
type WireGuard struct {
	Interface WireGuardInterface
	Peers     []WireGuardPeer
}

// WireGuardInterface is the [Interface] section. Lists are never nil.
type WireGuardInterface struct {
	PrivateKey string
	Addresses  []string
	DNS        []string
	ListenPort *int64 // nil: not set
	MTU        *int64 // nil: not set
}

// WireGuardPeer is one [Peer] section. Lists are never nil.
type WireGuardPeer struct {
	PublicKey           string
	PresharedKey        *string // nil: not set
	Endpoint            *string // nil: not set (a peer that only connects in)
	AllowedIPs          []string
	PersistentKeepalive *int64 // nil: not set, or "off"
}

// Ranges of the numbers: a port, an MTU, a keepalive interval in seconds.
const (
	maxPort      = 65535
	maxMTU       = 65535
	maxKeepalive = 65535
)

// wgIgnoredKeys are the keys of wg(8) and wg-quick(8) that the model has no
// field for: they are accepted and left out of the result (so an encode of
// a decode drops them). Any other unknown key is an error, so that a typo
// such as "AllowedIP" (for AllowedIPs) does not silently lose a route.
var wgIgnoredKeys = map[string]bool{
	"table": true, "fwmark": true, "saveconfig": true,
	"preup": true, "postup": true, "predown": true, "postdown": true,
}

// wgPeerKeys and wgInterfaceKeys are the modelled keys of each section, by
// their lower-case name: keys are case-insensitive in wg and wg-quick.
var (
	wgInterfaceKeys = map[string]string{
		"privatekey": "PrivateKey", "address": "Address", "dns": "DNS", "listenport": "ListenPort", "mtu": "MTU",
	}
	wgPeerKeys = map[string]string{
		"publickey": "PublicKey", "presharedkey": "PresharedKey", "endpoint": "Endpoint",
		"allowedips": "AllowedIPs", "persistentkeepalive": "PersistentKeepalive",
	}
)

// DecodeWireGuard parses a wg-quick(8) configuration.
//
// As in wg(8) and wg-quick(8): lines end in LF or CRLF; "#" starts a
// comment anywhere on a line (";" is not a comment); section names and keys
// are case-insensitive and whitespace around them and around values is
// ignored; Address, DNS and AllowedIPs take comma-separated lists (spaces
// separate items too, as in wg-quick) and add up over repeated lines; for
// the other keys a repeated line replaces the earlier one; a second
// [Interface] section continues the first; each [Peer] section is a peer.
//
// Stricter than wg: a [Peer] repeating the PublicKey of an earlier one is
// an error (wg would apply one over the other); a value with whitespace
// inside is an error (wg would remove it); an unknown key is an error.
// Known wg-quick keys without a field (Table, FwMark, SaveConfig, PreUp,
// PostUp, PreDown, PostDown) are accepted and dropped. PersistentKeepalive
// "off" is nil. PrivateKey is required, Endpoint is not.
func DecodeWireGuard(text string) (*WireGuard, error) {
	var (
		cfg           = &WireGuard{Interface: WireGuardInterface{Addresses: []string{}, DNS: []string{}}, Peers: []WireGuardPeer{}}
		interfaceLine int // line of the first [Interface], 0 if none
		peerLines     []int
		inPeer        bool
		inSection     bool
	)
	for i, raw := range lines(text) {
		n := i + 1
		l := raw
		if c := strings.IndexByte(l, '#'); c >= 0 {
			l = l[:c]
		}
		l = trimSpace(l)
		if l == "" {
			continue
		}
		if l[0] == '[' {
			if l[len(l)-1] != ']' {
				return nil, lineErr(n, "a section header must end with ]")
			}
			switch name := trimSpace(l[1 : len(l)-1]); strings.ToLower(name) {
			case "interface":
				inPeer, inSection = false, true
				if interfaceLine == 0 {
					interfaceLine = n
				}
			case "peer":
				inPeer, inSection = true, true
				cfg.Peers = append(cfg.Peers, WireGuardPeer{AllowedIPs: []string{}})
				peerLines = append(peerLines, n)
			default:
				return nil, lineErr(n, "unknown section %s: WireGuard has [Interface] and [Peer]", safeName(name))
			}
			continue
		}
		eq := strings.IndexByte(l, '=')
		if eq < 0 {
			return nil, lineErr(n, "not a [Section] header, a Key = Value line or a comment (comments start with #)")
		}
		key, val := trimSpace(l[:eq]), trimSpace(l[eq+1:])
		lower := strings.ToLower(key)
		if key == "" {
			return nil, lineErr(n, "a Key = Value line has no key")
		}
		if !inSection {
			return nil, lineErr(n, "%s comes before the first section: start with [Interface] or [Peer]", safeName(key))
		}
		if wgIgnoredKeys[lower] {
			if inPeer {
				return nil, lineErr(n, "%s belongs in the [Interface] section", safeName(key))
			}
			continue
		}
		if inPeer {
			if name, ok := wgInterfaceKeys[lower]; ok {
				return nil, lineErr(n, "%s belongs in the [Interface] section, not in a [Peer]", name)
			}
			if err := decodePeerKey(&cfg.Peers[len(cfg.Peers)-1], n, key, val); err != nil {
				return nil, err
			}
			continue
		}
		if name, ok := wgPeerKeys[lower]; ok {
			return nil, lineErr(n, "%s belongs in a [Peer] section, not in [Interface]", name)
		}
		if err := decodeInterfaceKey(&cfg.Interface, n, key, val); err != nil {
			return nil, err
		}
	}
	if interfaceLine == 0 {
		return nil, &Error{Msg: "no [Interface] section"}
	}
	if cfg.Interface.PrivateKey == "" {
		return nil, lineErr(interfaceLine, "the [Interface] section has no PrivateKey")
	}
	seen := map[string]int{}
	for i, p := range cfg.Peers {
		if p.PublicKey == "" {
			return nil, lineErr(peerLines[i], "this [Peer] section has no PublicKey")
		}
		if first, dup := seen[p.PublicKey]; dup {
			return nil, lineErr(peerLines[i], "this [Peer] section has the PublicKey of the [Peer] at line %d: write each peer once", first)
		}
		seen[p.PublicKey] = peerLines[i]
	}
	return cfg, nil
}

func decodeInterfaceKey(iface *WireGuardInterface, n int, key, val string) error {
	lower := strings.ToLower(key)
	name := wgInterfaceKeys[lower]
	var err error
	switch lower {
	case "privatekey":
		iface.PrivateKey, err = scalar(n, name, val)
	case "address":
		iface.Addresses = append(iface.Addresses, listItems(val)...)
	case "dns":
		iface.DNS = append(iface.DNS, listItems(val)...)
	case "listenport":
		iface.ListenPort, err = number(n, name, val, 0, maxPort)
	case "mtu":
		iface.MTU, err = number(n, name, val, 1, maxMTU)
	default:
		return lineErr(n, "unknown key %s in [Interface]", safeName(key))
	}
	return err
}

func decodePeerKey(p *WireGuardPeer, n int, key, val string) error {
	lower := strings.ToLower(key)
	name := wgPeerKeys[lower]
	var err error
	var s string
	switch lower {
	case "publickey":
		p.PublicKey, err = scalar(n, name, val)
	case "presharedkey":
		if s, err = scalar(n, name, val); err == nil {
			p.PresharedKey = &s
		}
	case "endpoint":
		if s, err = scalar(n, name, val); err == nil {
			p.Endpoint = &s
		}
	case "allowedips":
		p.AllowedIPs = append(p.AllowedIPs, listItems(val)...)
	case "persistentkeepalive":
		if strings.EqualFold(val, "off") {
			p.PersistentKeepalive = nil
			return nil
		}
		p.PersistentKeepalive, err = number(n, name, val, 0, maxKeepalive)
	default:
		return lineErr(n, "unknown key %s in [Peer]", safeName(key))
	}
	return err
}

// scalar checks a one-word value. Its text is never part of an error.
func scalar(n int, name, val string) (string, error) {
	if val == "" {
		return "", lineErr(n, "%s has no value", name)
	}
	for i := 0; i < len(val); i++ {
		if isSpace(val[i]) {
			return "", lineErr(n, "the value of %s has whitespace inside it", name)
		}
	}
	return val, nil
}

func number(n int, name, val string, lo, hi int64) (*int64, error) {
	v, err := strconv.ParseInt(val, 10, 64)
	if err != nil || v < lo || v > hi || val[0] == '+' || val[0] == '-' {
		return nil, lineErr(n, "%s must be a whole number from %d to %d", name, lo, hi)
	}
	return &v, nil
}

// listItems splits a list value at commas and whitespace, dropping empty
// items.
func listItems(val string) []string {
	return strings.FieldsFunc(val, func(r rune) bool { return r == ',' || r < 0x80 && isSpace(byte(r)) })
}

// EncodeWireGuard writes c as a wg-quick(8) configuration that
// DecodeWireGuard reads back as c. It refuses what could not be read back
// as written: an empty or missing PrivateKey or PublicKey, empty strings
// (leave the field nil instead), whitespace or "#" in a value, commas in a
// list item, numbers out of range, two peers with one public key. Errors
// name the field (such as "peers[1].endpoint"), never its value.
func EncodeWireGuard(c *WireGuard) (string, error) {
	if err := checkWireGuard(c); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("[Interface]\n")
	line(&b, "PrivateKey", c.Interface.PrivateKey)
	listLine(&b, "Address", c.Interface.Addresses)
	listLine(&b, "DNS", c.Interface.DNS)
	numberLine(&b, "ListenPort", c.Interface.ListenPort)
	numberLine(&b, "MTU", c.Interface.MTU)
	for _, p := range c.Peers {
		b.WriteString("\n[Peer]\n")
		line(&b, "PublicKey", p.PublicKey)
		if p.PresharedKey != nil {
			line(&b, "PresharedKey", *p.PresharedKey)
		}
		listLine(&b, "AllowedIPs", p.AllowedIPs)
		if p.Endpoint != nil {
			line(&b, "Endpoint", *p.Endpoint)
		}
		numberLine(&b, "PersistentKeepalive", p.PersistentKeepalive)
	}
	return b.String(), nil
}

func line(b *strings.Builder, key, val string) {
	b.WriteString(key)
	b.WriteString(" = ")
	b.WriteString(val)
	b.WriteByte('\n')
}

func listLine(b *strings.Builder, key string, items []string) {
	if len(items) > 0 {
		line(b, key, strings.Join(items, ", "))
	}
}

func numberLine(b *strings.Builder, key string, v *int64) {
	if v != nil {
		line(b, key, strconv.FormatInt(*v, 10))
	}
}

func checkWireGuard(c *WireGuard) error {
	if c == nil {
		return &FieldError{Path: "config", Msg: "must be set"}
	}
	iface := c.Interface
	if err := checkWord("interface.private_key", iface.PrivateKey, false); err != nil {
		return err
	}
	if err := checkList("interface.addresses", iface.Addresses); err != nil {
		return err
	}
	if err := checkList("interface.dns", iface.DNS); err != nil {
		return err
	}
	if err := checkNumber("interface.listen_port", iface.ListenPort, 0, maxPort); err != nil {
		return err
	}
	if err := checkNumber("interface.mtu", iface.MTU, 1, maxMTU); err != nil {
		return err
	}
	seen := map[string]int{}
	for i, p := range c.Peers {
		at := fmt.Sprintf("peers[%d].", i)
		if err := checkWord(at+"public_key", p.PublicKey, false); err != nil {
			return err
		}
		if first, dup := seen[p.PublicKey]; dup {
			return &FieldError{Path: at + "public_key", Msg: fmt.Sprintf("is the public key of peers[%d]: write each peer once", first)}
		}
		seen[p.PublicKey] = i
		if p.PresharedKey != nil {
			if err := checkWord(at+"preshared_key", *p.PresharedKey, false); err != nil {
				return err
			}
		}
		if p.Endpoint != nil {
			if err := checkWord(at+"endpoint", *p.Endpoint, false); err != nil {
				return err
			}
		}
		if err := checkList(at+"allowed_ips", p.AllowedIPs); err != nil {
			return err
		}
		if err := checkNumber(at+"persistent_keepalive", p.PersistentKeepalive, 0, maxKeepalive); err != nil {
			return err
		}
	}
	return nil
}

// checkWord refuses what DecodeWireGuard would not read back unchanged.
func checkWord(path, v string, item bool) error {
	if v == "" {
		return &FieldError{Path: path, Msg: "must not be empty (leave out an optional value with null)"}
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case isSpace(c):
			return &FieldError{Path: path, Msg: "must not contain whitespace"}
		case c == '#':
			return &FieldError{Path: path, Msg: `must not contain "#", which starts a comment`}
		case c == ',' && item:
			return &FieldError{Path: path, Msg: "must not contain a comma, which separates list items"}
		}
	}
	return nil
}

func checkList(path string, items []string) error {
	for i, v := range items {
		if err := checkWord(fmt.Sprintf("%s[%d]", path, i), v, true); err != nil {
			return err
		}
	}
	return nil
}

func checkNumber(path string, v *int64, lo, hi int64) error {
	if v != nil && (*v < lo || *v > hi) {
		return &FieldError{Path: path, Msg: fmt.Sprintf("must be a whole number from %d to %d", lo, hi)}
	}
	return nil
}
