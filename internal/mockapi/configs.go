package mockapi

import (
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// openvpnCA is the <ca> block of the document's OpenVPN sample, verbatim.
const openvpnCA = `<ca>
    -----BEGIN CERTIFICATE-----
    MIIE3zCCA8egAwIBAgIJAKJYeXSXJzkNMA0GCSqGSIb3DQEBCwUAMIGlMQswCQYD
    VQQGEwJVUzELMAkGA1UECBMCVVMxEDAOBgNVBAcTB1ZQTkFzaXYxEDAOBgNVBAoT
    B1ZQTkFzaWExHTAbBgNVBAsTFE15T3JnYW5pemF0aW9uYWxVbml0MREwDwYDVQQD
    EwhjaGFuZ2VtZTEQMA4GA1UEKRMHRWFzeVJTQTEhMB8GCSqGSIb3DQEJARYSbWVA
    bXlob3N0Lm15ZG9tYWluMB4XDTE2MDIxNTIwMzIzNVoXDTI2MDIxMjIwMzIzNVow
    gaUxCzAJBgNVBAYTAlVTMQswCQYDVQQIEwJVUzEQMA4GA1UEBxMHVlBOQXNpdjEQ
    MA4GA1UEChMHVlBOQXNpYTEdMBsGA1UECxMUTXlPcmdhbml6YXRpb25hbFVuaXQx
    ETAPBgNVBAMTCGNoYW5nZW1lMRAwDgYDVQQpEwdFYXN5UlNBMSEwHwYJKoZIhvcN
    AQkBFhJtZUBteWhvc3QubXlkb21haW4wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAw
    ggEKAoIBAQC3Qjh2JiLulXZkyjB9xb136o/hy3UbHA0lnIovO1RI320TeOIbgfNr
    3ZWcnNc1Fh4+SZbD4nZwe5Zk8PHdrm6dFM16CYU+vxaAnao8dbLRKnJq076zLzHr
    Wb12BI+yBr605cFqIFVYNtnPvzKYVd2vPGkA7BrZ7qUPMMPqaopQFUOfNh0QRTqp
    gcrAgexvkn3ia3IbEfd3OeFzU333buSu7/+O55yS1/lybfJyXQsxIDIPKe/ZcIoL
    M9oK2x1uIHDcNa2uCsbphXVuuhtNgKDDU3AIga4MO/5KpApFJfRLkCv7J+sAzVj1
    UwCcuqqNoY3CgKKsHwWlWgpN++KVGvLbAgMBAAGjggEOMIIBCjAdBgNVHQ4EFgQU
    QN6oOLM0U3kbaL/y8Z2ZTZOJ7W4wgdoGA1UdIwSB0jCBz4AUQN6oOLM0U3kbaL/y
    8Z2ZTZOJ7W6hgaukgagwgaUxCzAJBgNVBAYTAlVTMQswCQYDVQQIEwJVUzEQMA4G
    A1UEBxMHVlBOQXNpdjEQMA4GA1UEChMHVlBOQXNpYTEdMBsGA1UECxMUTXlPcmdh
    bml6YXRpb25hbFVuaXQxETAPBgNVBAMTCGNoYW5nZW1lMRAwDgYDVQQpEwdFYXN5
    UlNBMSEwHwYJKoZIhvcNAQkBFhJtZUBteWhvc3QubXlkb21haW6CCQCiWHl0lyc5
    DTAMBgNVHRMEBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQCFE5WZ5M0yid0ow/7Z
    /X4UIGvgvLwMK8JXkomcleRpVCXz2s55C6Huo0/v/UyOjP/VU+MhKQrAgNmDPHwL
    2Q+b6m3hxLiQ96C3j7nhqnRNsuU3Dm8KEOXC45QPFJZx5tCeqTCBPb874RdY/vWg
    ZafdHFiCYxjiMnLk00I2DInVG5GDnwjQt6hqAN/t+i/q+Gl9fZXOP5CLIp7pxAmQ
    5IAQSz4jnNHBtggS3h0055coNSMfGPS3z4jX8MMdEkXCGuLQW01mTZ+KuluWCo/4
    PUuYbrMZW/gQ/T4hVgxYgraL0scjXidJhEJSgj4k3niJHcF/j0mjZAYInv+d5UCv
    FjHt
    -----END CERTIFICATE-----

</ca>`

// openvpnTemplate follows the document's sample; %s/%d/%s are the server
// name, the port number and the port protocol.
const openvpnTemplate = "client\ndev tun\nremote %s\nport %d\nproto %s\npersist-key\npersist-tun\ncomp-lzo\n" +
	"auth-user-pass\nnobind\nca ca.crt\nauth SHA256\ncipher AES-256-CBC\nkeysize 256\nfloat\ntun-mtu 48000\n" +
	"fragment 0\nmssfix 0\n\n"

// wireguardTemplate: account private key, account wg_ip, server public key,
// server name.
const wireguardTemplate = "[Interface]\nPrivateKey = %s\nAddress = %s\nDNS = 172.16.0.1\n\n" +
	"[Peer]\nPublicKey = %s\nAllowedIPs = 0.0.0.0/0,::/0\nEndpoint = %s:51820\n"

type configView struct {
	Content string `json:"content"`
	Name    string `json:"name"`
}

// wantsFile reports whether the Accept header asks for the file
// (text/html) rather than JSON: the first of text/html and
// application/json listed wins; JSON is the default.
func wantsFile(r *http.Request) bool {
	for _, part := range strings.Split(strings.Join(r.Header.Values("Accept"), ","), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/html":
			return true
		case "application/json":
			return false
		}
	}
	return false
}

// configResponse answers {"data":{"content","name"},"code":200}, or the raw
// file as an attachment when the caller asked for text/html.
func configResponse(r *http.Request, content, name string) response {
	if !wantsFile(r) {
		return okData(http.StatusOK, configView{Content: content, Name: name})
	}
	h := http.Header{}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	return response{status: http.StatusOK, raw: []byte(content), header: h}
}

// GET /configuration/openvpn?server_id=&port_id=
func (s *Server) openvpnConfig(rc *reqCtx) response {
	in := queryInput(rc.r.URL.Query())
	fe := fieldErrors{}
	var sv server
	var pt port
	if id, ok := checkInt(fe, in, "server_id", "server_id"); ok {
		if sv, ok = s.serverByID(id); !ok {
			fe.add("server_id", msgInvalid("server_id"))
		}
	}
	if id, ok := checkInt(fe, in, "port_id", "port_id"); ok {
		if pt, ok = s.portByID(id); !ok {
			fe.add("port_id", msgInvalid("port_id"))
		}
	}
	if len(fe) > 0 {
		return invalid(fe)
	}
	content := fmt.Sprintf(openvpnTemplate, sv.name, pt.Number, pt.Protocol) + openvpnCA
	return configResponse(rc.r, content, fmt.Sprintf("%s-%d.ovpn", sv.countryCode, pt.Number))
}

// GET /configuration/wireguard?server_id=&account_id=
func (s *Server) wireguardConfig(rc *reqCtx) response {
	in := queryInput(rc.r.URL.Query())
	fe := fieldErrors{}
	var sv server
	if id, ok := checkInt(fe, in, "server_id", "server_id"); ok {
		if sv, ok = s.serverByID(id); !ok {
			fe.add("server_id", msgInvalid("server_id"))
		}
	}
	s.mu.Lock()
	var priv, ip string
	if id, ok := checkInt(fe, in, "account_id", "account_id"); ok {
		if a := s.accounts[id]; a == nil {
			fe.add("account_id", msgInvalid("account_id"))
		} else {
			priv, ip = a.wgPrivate, a.wgIP
		}
	}
	s.mu.Unlock()
	if len(fe) > 0 {
		return invalid(fe)
	}
	content := fmt.Sprintf(wireguardTemplate, priv, ip, sv.wgPublic, sv.name)
	return configResponse(rc.r, content, "wg0.conf")
}
