package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// dataCall is one call whose success answer FuzzDataAnswer fuzzes.
type dataCall struct {
	name string
	call func(context.Context, *Client) (any, error)
}

var dataCalls = []dataCall{
	{"GetAccount", func(ctx context.Context, c *Client) (any, error) { return c.GetAccount(ctx, 7) }},
	{"EnableAccount", func(ctx context.Context, c *Client) (any, error) { return c.EnableAccount(ctx, 7) }},
	{"GetCustomer", func(ctx context.Context, c *Client) (any, error) { return c.GetCustomer(ctx, 7) }},
	{"GetProject", func(ctx context.Context, c *Client) (any, error) { return c.GetProject(ctx, 7) }},
	{"GetProfile", func(ctx context.Context, c *Client) (any, error) { return c.GetProfile(ctx) }},
	{"ListServers", func(ctx context.Context, c *Client) (any, error) { return c.ListServers(ctx) }},
	{"ListPorts", func(ctx context.Context, c *Client) (any, error) { return c.ListPorts(ctx) }},
	{"GetWireGuardConfig", func(ctx context.Context, c *Client) (any, error) { return c.GetWireGuardConfig(ctx, 1, 7) }},
	{"GeoIP", func(ctx context.Context, c *Client) (any, error) { return c.GeoIP(ctx) }},
	{"ValidateAccount", func(ctx context.Context, c *Client) (any, error) {
		return c.ValidateAccount(ctx, 7, fuzzUser, fuzzPassword)
	}},
}

// FuzzDataAnswer: a 2xx answer (any body and Content-Type) to a call that
// reads an object or a whole list is taken only when it is the API's JSON
// envelope with a `data` of the object asked for (its id, an account's
// username, no item without an id); anything else is a
// *MalformedAnswerError whose text is printable and holds no secret. The
// secrets a taken answer holds (an account's private key, a WireGuard
// configuration's keys) are scrubbed from a later error answer quoting it.
func FuzzDataAnswer(f *testing.F) {
	const js = "application/json"
	for _, s := range []struct {
		call       uint8
		status     uint8
		ctype, raw string
	}{
		{0, 0, js, `{"data":{"id":7,"username":"alice","status":"Active","wg_ip":"10.250.121.219","wg_private_key":"XE1pI01BnHB1EmidlHdm55r2qHKBSWCCJtXeS9gC+WU=","wg_public_key":"w4oW","expired_at":"2023-04-18T00:00:00.000000Z","updated":"2017-03-28 17:44:21","created":"2017-03-24 19:26:24"},"code":200}`},
		{0, 0, js, `{"data":{"id":7},"code":200}`},
		{0, 0, js, `{"data":{"data":{"id":7,"username":"alice"},"code":200},"code":200}`},
		{0, 0, js, `{"data":{"id":8,"username":"bob"},"code":200}`},
		{0, 0, "text/html", `<!DOCTYPE html><html><body>Sign in</body></html>`},
		{0, 0, js, ` {"data":null,"code":200}`},
		{1, 1, js, `{"data":{"id":7,"username":"alice","status":"Disabled","wg_private_key":"k3y\/with\/slashes=="},"code":201}`},
		{2, 0, js, `{"data":{"id":7,"first_name":"Zoë","last_name":"\u202eevil","email":"z@example.com","user_id":1,"project_id":3},"code":200}`},
		{3, 0, js, `{"data":{"id":7,"name":"Acme","description":"x","user_id":1},"code":200}`},
		{4, 0, js, `{"data":{"balance":"253.70"},"code":200}`},
		{4, 0, js, `{"data":{"balance":253.7},"code":200}`},
		{4, 0, js, `{"data":{"balance":1e999},"code":200}`},
		{5, 0, js, `{"data":[{"id":1,"name":"nl1","ip":"1.2.3.4","country_code":"NL","city":"Amsterdam","capacity":100}],"code":200}`},
		{5, 0, js, `{"data":[{}],"code":200}`},
		{6, 0, js, `{"data":[{"id":1,"protocol":"udp","number":1194,"default":1},{"id":2,"protocol":"tcp","number":443,"default":"0"}],"code":200}`},
		{6, 0, js, `{"data":[{"id":1,"default":"yes"}],"code":200}`},
		{7, 0, js, `{"data":{"name":"wg.conf","content":"[Interface]\nPrivateKey = XE1pI01BnHB1EmidlHdm55r2qHKBSWCCJtXeS9gC+WU=\nAddress = 10.0.0.2/32\n\n[Peer]\nPresharedKey = psk\/with+slash=\nEndpoint = 1.2.3.4:51820\nAllowedIPs = 0.0.0.0/0\n"},"code":200}`},
		{8, 0, "", `{"data":{"ip":"1.2.3.4","country":"Netherlands","iso_code":"NL","city":"Amsterdam","lat":52.3,"lon":4.9,"continent":"EU"}}`},
		{9, 0, js, `{"id":7,"success":true,"message":"Username has been successfully validated.","code":200}`},
		{9, 0, js, `[1,2]`},
	} {
		f.Add(s.call, s.status, s.ctype, s.raw)
	}
	f.Fuzz(func(t *testing.T, which, status uint8, contentType, body string) {
		dc := dataCalls[int(which)%len(dataCalls)]
		st := 200 + int(status%10)
		calls := 0
		c := fuzzClient(t, 1, func(*http.Request) canned {
			calls++
			if calls == 1 {
				return canned{st, http.Header{"Content-Type": {contentType}}, body}
			}
			// A later error page quoting the first answer whole.
			page, _ := json.Marshal(map[string]any{"message": "Server Error. Last answer: " + body, "code": 500})
			return canned{500, http.Header{"Content-Type": {"application/json"}}, string(page)}
		})
		ctx := fuzzCtx(t)
		got, err := dc.call(ctx, c)
		secrets := knownSecrets(dc.name == "ValidateAccount", false)
		if err != nil {
			var bad *MalformedAnswerError
			if !errors.As(err, &bad) || !errors.Is(err, ErrMalformed) || bad.StatusCode < 200 || bad.StatusCode > 299 {
				t.Fatalf("%s: a 2xx answer fails as %T %v, not as a malformed answer", dc.name, err, err)
			}
			checkErrorText(t, err, secrets)
			return
		}
		if looksHTML(contentType, body) {
			t.Errorf("%s: an HTML page is taken: %v", dc.name, got)
		}
		var env map[string]json.RawMessage
		if json.Unmarshal([]byte(body), &env) != nil {
			t.Fatalf("%s: an answer that is not a JSON object is taken: %q", dc.name, body)
		}
		if dc.name != "ValidateAccount" {
			if d := strings.TrimSpace(string(env["data"])); d == "" || d == "null" {
				t.Errorf("%s: an answer without data is taken", dc.name)
			}
		}
		checkData(t, dc.name, got)
		// What the answer taught the client stays out of a later error.
		var keys []string
		switch v := got.(type) {
		case *Account:
			keys = []string{v.WgPrivateKey}
		case *VPNConfig:
			keys = configKeys(v.Content)
		}
		for _, k := range keys {
			if len(k) >= minSecretLen {
				secrets = append(secrets, promisedForms(k)...)
			}
		}
		_, err = c.GetAccount(ctx, 8)
		if err == nil {
			t.Fatal("an error answer is taken")
		}
		checkErrorText(t, err, secrets)
	})
}

// checkData: an object read by id has that id (an account a username), a
// list no item without an id.
func checkData(t *testing.T, call string, got any) {
	t.Helper()
	var id int64 = 7
	switch v := got.(type) {
	case *Account:
		if v.ID != id || v.Username == "" {
			t.Errorf("%s: account %d %q taken for account %d", call, v.ID, v.Username, id)
		}
	case *Customer:
		if v.ID != id {
			t.Errorf("%s: customer %d taken for %d", call, v.ID, id)
		}
	case *Project:
		if v.ID != id {
			t.Errorf("%s: project %d taken for %d", call, v.ID, id)
		}
	case []Server:
		for i, s := range v {
			if s.ID <= 0 {
				t.Errorf("%s: item %d has id %d", call, i+1, s.ID)
			}
		}
	case []Port:
		for i, p := range v {
			if p.ID <= 0 {
				t.Errorf("%s: item %d has id %d", call, i+1, p.ID)
			}
		}
	case *Profile, *VPNConfig, *GeoIP, *ValidateResult:
	default:
		t.Errorf("%s: unexpected result %T", call, got)
	}
}

// configKeys are the PrivateKey and PresharedKey values of a WireGuard
// configuration, as wg(8) reads them.
func configKeys(content string) []string {
	var keys []string
	for _, line := range strings.Split(content, "\n") {
		if i := strings.IndexByte(line, '='); i >= 0 {
			switch strings.ToLower(strings.TrimSpace(line[:i])) {
			case "privatekey", "presharedkey":
				keys = append(keys, strings.TrimSpace(line[i+1:]))
			}
		}
	}
	return keys
}
