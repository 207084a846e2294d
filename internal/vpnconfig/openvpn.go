package vpnconfig

import (
	"strconv"
	"strings"
)

// OpenVPN is what an OpenVPN client configuration file says about where and
// how to connect, with every directive and inline block it holds.
type OpenVPN struct {
	// Remotes are the servers tried, in order: the remote directives, or,
	// when the file has <connection> blocks, one per block (OpenVPN then
	// ignores remote directives outside them).
	Remotes []OpenVPNRemote
	Proto   string  // the proto directive, "udp" when there is none
	Dev     string  // the dev directive, required
	Cipher  *string // the cipher directive, nil when there is none
	// Inline holds the contents of the inline blocks (<ca>…</ca> and the
	// like, every one but <connection>) by tag name: the lines between the
	// tags as they are, each ending in "\n".
	Inline map[string]string
	// Options are the directives outside inline blocks, in order, with
	// their arguments unquoted.
	Options []OpenVPNOption
}

// OpenVPNRemote is one server: a remote directive with the port and
// protocol it inherits when it does not give its own.
type OpenVPNRemote struct {
	Host  string
	Port  int64
	Proto string
}

// OpenVPNOption is one directive: its name (without a leading "--") and
// its arguments.
type OpenVPNOption struct {
	Name string
	Args []string
}

// Defaults of openvpn(8) for a remote that gives no port or protocol, and
// no port or proto directive.
const (
	defaultOpenVPNPort  = 1194
	defaultOpenVPNProto = "udp"
)

// openVPNProtos are the values proto and remote accept (openvpn(8)).
var openVPNProtos = map[string]bool{
	"udp": true, "udp4": true, "udp6": true,
	"tcp": true, "tcp4": true, "tcp6": true,
	"tcp-client": true, "tcp4-client": true, "tcp6-client": true,
	"tcp-server": true, "tcp4-server": true, "tcp6-server": true,
}

// connectionEntry is what openvpn calls a connection entry: the remote
// settings in force at some point of the file.
type connectionEntry struct {
	host  string
	port  int64
	proto string
}

// pendingRemote is a remote directive outside <connection> blocks: its own
// port and protocol, if it gives them; the rest comes from the settings in
// force at the end of the file.
type pendingRemote struct {
	host  string
	port  int64 // 0: inherited
	proto string
}

// DecodeOpenVPN parses an OpenVPN configuration file, as openvpn(8) reads
// one: lines end in LF or CRLF; a word starting with "#" or ";" starts a
// comment; arguments are separated by whitespace and may be quoted ("…"
// with \\, \" and "\ " escapes, or '…' taken literally); a leading "--" on
// a directive is dropped; a line holding only <tag> opens an inline block
// that ends at the first line starting (after whitespace) with </tag>.
//
// remote takes a host, then optionally a port and a protocol; a remote
// without them gets the last port/rport and proto directives of the file,
// else 1194 and udp. A <connection> block holds exactly one remote and takes
// the settings in force where it starts, then its own. Later directives
// and blocks replace earlier ones of the same name (remote adds a server).
// Ports must be whole numbers from 1 to 65535 and protocols those of
// openvpn(8); dev is required. Other directives are not checked: they are
// returned in Options.
func DecodeOpenVPN(text string) (*OpenVPN, error) {
	cfg := &OpenVPN{Remotes: []OpenVPNRemote{}, Inline: map[string]string{}, Options: []OpenVPNOption{}}
	global := connectionEntry{port: defaultOpenVPNPort, proto: defaultOpenVPNProto}
	var (
		remotes     []pendingRemote
		connections []OpenVPNRemote
		sawConn     bool
		dev         string
		ls          = lines(text)
	)
	for i := 0; i < len(ls); i++ {
		n := i + 1
		toks, err := tokenize(n, ls[i])
		if err != nil {
			return nil, err
		}
		if len(toks) == 0 {
			continue
		}
		if tag, ok := openTag(toks); ok {
			if err := tagName(n, tag); err != nil {
				return nil, err
			}
			end := closingLine(ls, i+1, tag)
			if end < 0 {
				return nil, lineErr(n, "the inline block %s has no closing tag", safeName(tag))
			}
			body := ls[i+1 : end]
			if tag == "connection" {
				sawConn = true
				r, err := decodeConnection(n, body, global)
				if err != nil {
					return nil, err
				}
				connections = append(connections, r)
			} else {
				var b strings.Builder
				for _, l := range body {
					b.WriteString(l)
					b.WriteByte('\n')
				}
				cfg.Inline[tag] = b.String()
			}
			i = end
			continue
		}
		name, args := strings.TrimPrefix(toks[0], "--"), toks[1:]
		cfg.Options = append(cfg.Options, OpenVPNOption{Name: name, Args: args})
		switch name {
		case "remote":
			r, err := remoteArgs(n, args)
			if err != nil {
				return nil, err
			}
			remotes = append(remotes, r)
		case "dev":
			if dev, err = oneArg(n, name, args); err != nil {
				return nil, err
			}
		case "cipher":
			c, err := oneArg(n, name, args)
			if err != nil {
				return nil, err
			}
			cfg.Cipher = &c
		default:
			if err := applyConnectionDirective(n, &global, name, args); err != nil {
				return nil, err
			}
		}
	}
	if dev == "" {
		return nil, &Error{Msg: "no dev directive (such as dev tun)"}
	}
	cfg.Dev, cfg.Proto = dev, global.proto
	if sawConn {
		cfg.Remotes = append(cfg.Remotes, connections...)
		return cfg, nil
	}
	for _, r := range remotes {
		out := OpenVPNRemote{Host: r.host, Port: global.port, Proto: global.proto}
		if r.port != 0 {
			out.Port = r.port
		}
		if r.proto != "" {
			out.Proto = r.proto
		}
		cfg.Remotes = append(cfg.Remotes, out)
	}
	return cfg, nil
}

// decodeConnection reads the body of a <connection> block whose opening
// tag is on line open, starting from the settings in force there.
func decodeConnection(open int, body []string, ce connectionEntry) (OpenVPNRemote, error) {
	ce.host = ""
	for j, l := range body {
		n := open + 1 + j
		toks, err := tokenize(n, l)
		if err != nil {
			return OpenVPNRemote{}, err
		}
		if len(toks) == 0 {
			continue
		}
		if _, ok := openTag(toks); ok {
			return OpenVPNRemote{}, lineErr(n, "inline blocks cannot be nested in a <connection> block")
		}
		name, args := strings.TrimPrefix(toks[0], "--"), toks[1:]
		if name == "remote" {
			r, err := remoteArgs(n, args)
			if err != nil {
				return OpenVPNRemote{}, err
			}
			ce.host = r.host
			if r.port != 0 {
				ce.port = r.port
			}
			if r.proto != "" {
				ce.proto = r.proto
			}
			continue
		}
		if err := applyConnectionDirective(n, &ce, name, args); err != nil {
			return OpenVPNRemote{}, err
		}
	}
	if ce.host == "" {
		return OpenVPNRemote{}, lineErr(open, "a <connection> block needs a remote directive")
	}
	return OpenVPNRemote{Host: ce.host, Port: ce.port, Proto: ce.proto}, nil
}

// applyConnectionDirective applies port, rport and proto; other directives
// are left alone.
func applyConnectionDirective(n int, ce *connectionEntry, name string, args []string) error {
	switch name {
	case "port", "rport":
		v, err := oneArg(n, name, args)
		if err != nil {
			return err
		}
		if ce.port, err = port(n, name, v); err != nil {
			return err
		}
	case "proto":
		v, err := oneArg(n, name, args)
		if err != nil {
			return err
		}
		if !openVPNProtos[v] {
			return lineErr(n, "proto must be one of udp, tcp, udp4, tcp4, udp6, tcp6 or tcp[46]-client/-server")
		}
		ce.proto = v
	}
	return nil
}

func remoteArgs(n int, args []string) (pendingRemote, error) {
	if len(args) == 0 || len(args) > 3 {
		return pendingRemote{}, lineErr(n, "remote takes a host, then optionally a port and a protocol")
	}
	r := pendingRemote{host: args[0]}
	if r.host == "" {
		return pendingRemote{}, lineErr(n, "the host of remote is empty")
	}
	if len(args) > 1 {
		p, err := port(n, "the port of remote", args[1])
		if err != nil {
			return pendingRemote{}, err
		}
		r.port = p
	}
	if len(args) > 2 {
		if !openVPNProtos[args[2]] {
			return pendingRemote{}, lineErr(n, "the protocol of remote must be one of udp, tcp, udp4, tcp4, udp6, tcp6 or tcp[46]-client/-server")
		}
		r.proto = args[2]
	}
	return r, nil
}

func oneArg(n int, name string, args []string) (string, error) {
	if len(args) != 1 || args[0] == "" {
		return "", lineErr(n, "%s takes one value", name)
	}
	return args[0], nil
}

func port(n int, what, v string) (int64, error) {
	p, err := strconv.ParseInt(v, 10, 64)
	if err != nil || p < 1 || p > maxPort || v[0] == '+' || v[0] == '-' {
		return 0, lineErr(n, "%s must be a whole number from 1 to %d", what, maxPort)
	}
	return p, nil
}

// openTag reports whether a line's words open an inline block: one word,
// <tag>.
func openTag(toks []string) (string, bool) {
	if len(toks) != 1 {
		return "", false
	}
	t := strings.TrimPrefix(toks[0], "--")
	if len(t) < 2 || t[0] != '<' || t[len(t)-1] != '>' {
		return "", false
	}
	return t[1 : len(t)-1], true
}

func tagName(n int, tag string) error {
	switch {
	case tag == "":
		return lineErr(n, "an inline block tag has no name")
	case tag[0] == '/':
		return lineErr(n, "a closing tag without an opening one")
	}
	return nil
}

// closingLine is the index of the first line from `from` on that starts,
// after whitespace, with </tag>, or -1.
func closingLine(ls []string, from int, tag string) int {
	end := "</" + tag + ">"
	for j := from; j < len(ls); j++ {
		l := ls[j]
		k := 0
		for k < len(l) && isSpace(l[k]) {
			k++
		}
		if strings.HasPrefix(l[k:], end) {
			return j
		}
	}
	return -1
}

// Tokenizer states, after openvpn's parse_line.
const (
	stInitial = iota
	stUnquoted
	stDoubleQuoted
	stSingleQuoted
)

// ovpnSpace is openvpn's space(): isspace or the end of the line.
func ovpnSpace(c byte) bool { return c == 0 || isSpace(c) }

// tokenize splits one line into words as openvpn's parse_line does. A NUL
// byte ends the line. Errors never hold the line's text.
func tokenize(n int, line string) ([]string, error) {
	var (
		toks      []string
		tok       []byte
		state     = stInitial
		backslash bool
	)
	for i := 0; ; i++ {
		var c byte
		if i < len(line) {
			c = line[i]
		}
		var out byte
		if !backslash && c == '\\' && state != stSingleQuoted {
			backslash = true
		} else {
			done := false
			switch state {
			case stInitial:
				if !ovpnSpace(c) {
					if c == ';' || c == '#' {
						return toks, nil
					}
					switch {
					case !backslash && c == '"':
						state = stDoubleQuoted
					case !backslash && c == '\'':
						state = stSingleQuoted
					default:
						out, state = c, stUnquoted
					}
				}
			case stUnquoted:
				if !backslash && ovpnSpace(c) {
					done = true
				} else {
					out = c
				}
			case stDoubleQuoted:
				if !backslash && c == '"' {
					done = true
				} else {
					out = c
				}
			case stSingleQuoted:
				if c == '\'' {
					done = true
				} else {
					out = c
				}
			}
			if done {
				toks = append(toks, string(tok))
				tok, state = tok[:0], stInitial
			}
			if backslash && out != 0 && out != '\\' && out != '"' && !isSpace(out) {
				return nil, lineErr(n, `a backslash may only escape \, " or a space (write \\ for a backslash)`)
			}
			backslash = false
		}
		if out != 0 {
			tok = append(tok, out)
		}
		if c == 0 {
			break
		}
	}
	switch state {
	case stUnquoted: // a line ending in a backslash: openvpn drops the word, this keeps it
		toks = append(toks, string(tok))
	case stDoubleQuoted:
		return nil, lineErr(n, `a quotation mark (") is not closed`)
	case stSingleQuoted:
		return nil, lineErr(n, "a quotation mark (') is not closed")
	}
	return toks, nil
}
