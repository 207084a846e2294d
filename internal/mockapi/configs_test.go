package mockapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// docOpenVPNSample is data.content of the document's OpenVPN example
// (server bkk-s02.321inter.net, port 123/udp), as a JSON string literal.
const docOpenVPNSample = `"client\ndev tun\nremote bkk-s02.321inter.net\nport 123\nproto udp\npersist-key\npersist-tun\ncomp-lzo\nauth-user-pass\nnobind\nca ca.crt\nauth SHA256\ncipher AES-256-CBC\nkeysize 256\nfloat\ntun-mtu 48000\nfragment 0\nmssfix 0\n\n<ca>\n    -----BEGIN CERTIFICATE-----\n    MIIE3zCCA8egAwIBAgIJAKJYeXSXJzkNMA0GCSqGSIb3DQEBCwUAMIGlMQswCQYD\n    VQQGEwJVUzELMAkGA1UECBMCVVMxEDAOBgNVBAcTB1ZQTkFzaXYxEDAOBgNVBAoT\n    B1ZQTkFzaWExHTAbBgNVBAsTFE15T3JnYW5pemF0aW9uYWxVbml0MREwDwYDVQQD\n    EwhjaGFuZ2VtZTEQMA4GA1UEKRMHRWFzeVJTQTEhMB8GCSqGSIb3DQEJARYSbWVA\n    bXlob3N0Lm15ZG9tYWluMB4XDTE2MDIxNTIwMzIzNVoXDTI2MDIxMjIwMzIzNVow\n    gaUxCzAJBgNVBAYTAlVTMQswCQYDVQQIEwJVUzEQMA4GA1UEBxMHVlBOQXNpdjEQ\n    MA4GA1UEChMHVlBOQXNpYTEdMBsGA1UECxMUTXlPcmdhbml6YXRpb25hbFVuaXQx\n    ETAPBgNVBAMTCGNoYW5nZW1lMRAwDgYDVQQpEwdFYXN5UlNBMSEwHwYJKoZIhvcN\n    AQkBFhJtZUBteWhvc3QubXlkb21haW4wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAw\n    ggEKAoIBAQC3Qjh2JiLulXZkyjB9xb136o\/hy3UbHA0lnIovO1RI320TeOIbgfNr\n    3ZWcnNc1Fh4+SZbD4nZwe5Zk8PHdrm6dFM16CYU+vxaAnao8dbLRKnJq076zLzHr\n    Wb12BI+yBr605cFqIFVYNtnPvzKYVd2vPGkA7BrZ7qUPMMPqaopQFUOfNh0QRTqp\n    gcrAgexvkn3ia3IbEfd3OeFzU333buSu7\/+O55yS1\/lybfJyXQsxIDIPKe\/ZcIoL\n    M9oK2x1uIHDcNa2uCsbphXVuuhtNgKDDU3AIga4MO\/5KpApFJfRLkCv7J+sAzVj1\n    UwCcuqqNoY3CgKKsHwWlWgpN++KVGvLbAgMBAAGjggEOMIIBCjAdBgNVHQ4EFgQU\n    QN6oOLM0U3kbaL\/y8Z2ZTZOJ7W4wgdoGA1UdIwSB0jCBz4AUQN6oOLM0U3kbaL\/y\n    8Z2ZTZOJ7W6hgaukgagwgaUxCzAJBgNVBAYTAlVTMQswCQYDVQQIEwJVUzEQMA4G\n    A1UEBxMHVlBOQXNpdjEQMA4GA1UEChMHVlBOQXNpYTEdMBsGA1UECxMUTXlPcmdh\n    bml6YXRpb25hbFVuaXQxETAPBgNVBAMTCGNoYW5nZW1lMRAwDgYDVQQpEwdFYXN5\n    UlNBMSEwHwYJKoZIhvcNAQkBFhJtZUBteWhvc3QubXlkb21haW6CCQCiWHl0lyc5\n    DTAMBgNVHRMEBTADAQH\/MA0GCSqGSIb3DQEBCwUAA4IBAQCFE5WZ5M0yid0ow\/7Z\n    \/X4UIGvgvLwMK8JXkomcleRpVCXz2s55C6Huo0\/v\/UyOjP\/VU+MhKQrAgNmDPHwL\n    2Q+b6m3hxLiQ96C3j7nhqnRNsuU3Dm8KEOXC45QPFJZx5tCeqTCBPb874RdY\/vWg\n    ZafdHFiCYxjiMnLk00I2DInVG5GDnwjQt6hqAN\/t+i\/q+Gl9fZXOP5CLIp7pxAmQ\n    5IAQSz4jnNHBtggS3h0055coNSMfGPS3z4jX8MMdEkXCGuLQW01mTZ+KuluWCo\/4\n    PUuYbrMZW\/gQ\/T4hVgxYgraL0scjXidJhEJSgj4k3niJHcF\/j0mjZAYInv+d5UCv\n    FjHt\n    -----END CERTIFICATE-----\n\n<\/ca>"`

func TestOpenVPNConfig_matchesTheDocumentSample(t *testing.T) {
	_, c := newAPI(t, Options{})
	var want string
	if err := json.Unmarshal([]byte(docOpenVPNSample), &want); err != nil {
		t.Fatal(err)
	}
	r := c.get("/configuration/openvpn?server_id=3&port_id=3").mustStatus(t, 200)
	mustKeys(t, r.body, "data", "code")
	d := r.data(t)
	mustKeys(t, d, "content", "name")
	if d["name"] != "TH-123.ovpn" {
		t.Errorf("name %v", d["name"])
	}
	if d["content"] != want {
		t.Errorf("content differs from the document's sample:\n%q\n%q", d["content"], want)
	}
}

func TestOpenVPNConfig(t *testing.T) {
	_, c := newAPI(t, Options{})
	tests := []struct {
		server, port int
		name         string
		lines        []string
	}{
		{1, 1, "NL-1194.ovpn", []string{"remote ams-s02.321inter.net", "port 1194", "proto udp"}},
		{2, 2, "NL-118.ovpn", []string{"remote rtm-s01.321inter.net", "port 118"}},
		{4, 1, "CA-1194.ovpn", []string{"remote yvr-s01.321inter.net", "port 1194"}},
	}
	for _, tc := range tests {
		d := c.get(path("/configuration/openvpn?server_id=%d&port_id=%d", tc.server, tc.port)).mustStatus(t, 200).data(t)
		content := d["content"].(string)
		if d["name"] != tc.name || !strings.HasPrefix(content, "client\ndev tun\n") || !strings.Contains(content, "<ca>") || !strings.HasSuffix(content, "</ca>") {
			t.Errorf("%d/%d: %v", tc.server, tc.port, d["name"])
		}
		for _, l := range tc.lines {
			if !strings.Contains(content, "\n"+l+"\n") {
				t.Errorf("%d/%d: missing line %q", tc.server, tc.port, l)
			}
		}
	}
	errs := []struct {
		query string
		want  map[string][]string
	}{
		{"", map[string][]string{"server_id": {"The server id field is required."}, "port_id": {"The port id field is required."}}},
		{"?port_id=9", map[string][]string{"server_id": {"The server id field is required."}, "port_id": {"The selected port id is invalid."}}},
		{"?server_id=9&port_id=1", map[string][]string{"server_id": {"The selected server id is invalid."}}},
		{"?server_id=x&port_id=y", map[string][]string{"server_id": {"The server id must be an integer."}, "port_id": {"The port id must be an integer."}}},
		{"?server_id=1&port_id=", map[string][]string{"port_id": {"The port id field is required."}}},
	}
	for _, e := range errs {
		c.get("/configuration/openvpn"+e.query).mustInvalid(t, e.want)
	}
}

func TestWireGuardConfig(t *testing.T) {
	s, c := newAPI(t, Options{})
	a := c.createAccount("wguser", "secret1")
	id := intOf(t, a["id"])
	for _, sv := range s.servers {
		r := c.get(path("/configuration/wireguard?server_id=%d&account_id=%d", sv.id, id)).mustStatus(t, 200)
		d := r.data(t)
		mustKeys(t, d, "content", "name")
		want := fmt.Sprintf("[Interface]\nPrivateKey = %s\nAddress = %s\nDNS = 172.16.0.1\n\n[Peer]\nPublicKey = %s\nAllowedIPs = 0.0.0.0/0,::/0\nEndpoint = %s:51820\n",
			a["wg_private_key"], a["wg_ip"], sv.wgPublic, sv.name)
		if d["content"] != want || d["name"] != "wg0.conf" {
			t.Errorf("server %d: %q %v", sv.id, d["content"], d["name"])
		}
		checkAccountObject(t, map[string]any{ // the server key pair is a real X25519 pair too
			"id": 1.0, "username": "x", "status": "Active", "wg_ip": "10.250.0.1", "wg_private_key": sv.wgPrivate,
			"wg_public_key": sv.wgPublic, "expired_at": nil, "updated": a["updated"], "created": a["created"]})
	}
	if s.servers[0].wgPublic == s.servers[1].wgPublic {
		t.Error("servers share a key")
	}
	errs := []struct {
		query string
		want  map[string][]string
	}{
		{"", map[string][]string{"server_id": {"The server id field is required."}, "account_id": {"The account id field is required."}}},
		{"?server_id=1", map[string][]string{"account_id": {"The account id field is required."}}},
		{"?server_id=5&account_id=1", map[string][]string{"server_id": {"The selected server id is invalid."}}},
		{"?server_id=1&account_id=2", map[string][]string{"account_id": {"The selected account id is invalid."}}},
		{"?server_id=a&account_id=b", map[string][]string{"server_id": {"The server id must be an integer."}, "account_id": {"The account id must be an integer."}}},
	}
	for _, e := range errs {
		c.get("/configuration/wireguard"+e.query).mustInvalid(t, e.want)
	}
	c.del(path("/accounts/%d", id)).mustStatus(t, 200)
	c.get(path("/configuration/wireguard?server_id=1&account_id=%d", id)).
		mustInvalid(t, map[string][]string{"account_id": {"The selected account id is invalid."}})
}

func TestConfigs_downloads(t *testing.T) {
	_, c := newAPI(t, Options{})
	a := c.createAccount("dl", "secret1")
	tests := []struct {
		name, path, accept string
		file               bool
		filename           string
	}{
		{"openvpn html", "/configuration/openvpn?server_id=3&port_id=3", "text/html; charset=UTF-8", true, "TH-123.ovpn"},
		{"openvpn browser", "/configuration/openvpn?server_id=1&port_id=1", "text/html,application/xhtml+xml,*/*;q=0.8", true, "NL-1194.ovpn"},
		{"wireguard html", path("/configuration/wireguard?server_id=1&account_id=%d", intOf(t, a["id"])), "text/html", true, "wg0.conf"},
		{"json", "/configuration/openvpn?server_id=3&port_id=3", "application/json", false, ""},
		{"json first", "/configuration/openvpn?server_id=3&port_id=3", "application/json, text/html", false, ""},
		{"no accept", "/configuration/openvpn?server_id=3&port_id=3", "", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			jsonR := c.get(tc.path).mustStatus(t, 200)
			r := c.get(tc.path, withHeader("Accept", tc.accept))
			if tc.accept == "" {
				r = c.get(tc.path, func(r *http.Request) { r.Header.Del("Accept") })
			}
			if !tc.file {
				r.mustStatus(t, 200)
				if r.data(t)["content"] != jsonR.data(t)["content"] {
					t.Error("JSON content differs")
				}
				return
			}
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
				t.Fatalf("%d %s", r.status, r.header.Get("Content-Type"))
			}
			if cd := r.header.Get("Content-Disposition"); cd != "attachment; filename="+tc.filename {
				t.Errorf("Content-Disposition %q", cd)
			}
			if string(r.raw) != jsonR.data(t)["content"] {
				t.Errorf("file body differs from JSON content")
			}
		})
	}
	// Errors stay JSON.
	c.get("/configuration/openvpn?server_id=99&port_id=1", withHeader("Accept", "text/html")).
		mustInvalid(t, map[string][]string{"server_id": {"The selected server id is invalid."}})
}
