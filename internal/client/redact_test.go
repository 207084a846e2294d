package client_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// quoting is how a debug page writes the request it quotes.
var quoting = map[string]func(string) string{
	"as sent": func(s string) string { return s },
	// PHP's json_encode writes "/" as "\/".
	"PHP JSON string": func(s string) string {
		b, _ := json.Marshal(s)
		return strings.ReplaceAll(string(b), "/", `\/`)
	},
	// The body as a JSON string inside the JSON answer, escaped twice.
	"JSON string twice": func(s string) string {
		b, _ := json.Marshal(s)
		b, _ = json.Marshal(string(b))
		return string(b)
	},
	"URL-encoded": url.QueryEscape,
}

// echo answers status with the API's JSON error whose message, and for a
// 422 a field error, quote the request the way a framework's debug page
// does (Laravel's shows the method, URL, headers and body), the body written
// by quote.
func echo(status int, quote func(string) string) mockapi.Interceptor {
	return func(_ http.Handler, w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		names := make([]string, 0, len(r.Header))
		for name := range r.Header {
			names = append(names, name)
		}
		sort.Strings(names)
		var headers strings.Builder
		for _, name := range names {
			fmt.Fprintf(&headers, "%s: %s\n", name, strings.Join(r.Header[name], ", "))
		}
		page := map[string]any{
			"message": fmt.Sprintf("Server Error in %s %s\nHeaders:\n%sBody: %s", r.Method, r.URL, headers.String(), quote(string(body))),
			"code":    status,
		}
		if status == http.StatusUnprocessableEntity {
			page["message"] = "The given data was invalid. Request: " + quote(string(body))
			page["errors"] = map[string][]string{"password": {"The password in " + quote(string(body)) + " is not valid."}}
		}
		b, _ := json.Marshal(page)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(b)
	}
}

// logSink collects a client's log lines as text.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (s *logSink) log(_ context.Context, _ client.Level, msg string, fields map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = append(s.lines, fmt.Sprintf("%s %v", msg, fields))
}

func (s *logSink) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.lines, "\n")
}

// forms are the ways a secret may be written in an answer, computed here
// independently of the client.
func forms(secret string) []string {
	inner := func(s string) string {
		j, _ := json.Marshal(s)
		return strings.Trim(string(j), `"`)
	}
	out := []string{secret, inner(secret), strings.ReplaceAll(inner(secret), "/", `\/`), inner(inner(secret))}
	for _, f := range out[:4] {
		out = append(out, url.QueryEscape(f), url.PathEscape(f))
	}
	return out
}

// leaks returns the secrets of which some form is in text.
func leaks(text string, secrets map[string]string) []string {
	var out []string
	for what, secret := range secrets {
		for _, f := range forms(secret) {
			if strings.Contains(text, f) {
				out = append(out, fmt.Sprintf("%s (as %q)", what, f))
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// An answer that quotes the request (body or headers) leaves no password,
// token or Basic credential in the error or in a log line, whatever the
// form the page writes them in; the rest of the text is kept.
func TestRedact_answersQuotingTheRequestLeaveNoSecret(t *testing.T) {
	passwords := []string{`Pa"ss/w\ord-71`, "plain-password-1", `<ü&ber>/"x"`, "with space+plus%"}
	for qname, quote := range quoting {
		for _, password := range passwords {
			fx := newFixture(t)
			sink := &logSink{}
			c := fx.another(t, func(c *client.Config) { c.Log = sink.log })
			secrets := map[string]string{
				"password": password, "token": fx.mock.Token(),
				"Basic credential": base64.StdEncoding.EncodeToString([]byte("echo-user:" + password)),
			}
			acc := must[*client.Account](t)(c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "echo-user", Password: "first-" + password}))
			secrets["first password"] = "first-" + password
			id := fmt.Sprint(acc.ID)
			calls := []struct {
				name, route string
				f           mockapi.Interceptor
				call        func() error
			}{
				{"create 422", "POST /accounts", echo(422, quote), func() error {
					_, err := c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "echo-user-2", Password: password})
					return err
				}},
				{"create 500", "POST /accounts", echo(500, quote), func() error {
					_, err := c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "echo-user-3", Password: password})
					return err
				}},
				{"change password 422", "PUT /accounts/" + id + "/change_password", echo(422, quote), func() error {
					_, err := c.ChangePassword(ctx(t), acc.ID, password)
					return err
				}},
				{"validate 500", "POST /accounts/" + id + "/validate", echo(500, quote), func() error {
					_, err := c.ValidateAccount(ctx(t), acc.ID, "echo-user", password)
					return err
				}},
				{"Basic auth 500", "GET /un/accounts/show", echo(500, quote), func() error {
					_, err := c.SettleAccount(ctx(t), "echo-user", password, 0)
					return err
				}},
				{"token 500", "GET /profile", echo(500, quote), func() error {
					_, err := c.GetProfile(ctx(t))
					return err
				}},
			}
			for _, tc := range calls {
				// Every attempt (retries included) gets the page.
				fx.mock.InterceptNext(tc.route, tc.f, echo(500, quote), echo(500, quote), echo(500, quote), echo(500, quote), echo(500, quote))
				err := tc.call()
				fx.mock.InterceptNext(tc.route) // what the retries did not use
				if err == nil {
					t.Fatalf("%s, %s: no error", qname, tc.name)
				}
				if l := leaks(err.Error(), secrets); len(l) > 0 {
					t.Errorf("%s, %s, password %q: the error shows the %s:\n%v", qname, tc.name, password, strings.Join(l, ", "), err)
				}
				if !strings.Contains(err.Error(), client.Redacted) {
					t.Errorf("%s, %s: the error does not show where a secret was taken out:\n%v", qname, tc.name, err)
				}
				// The page's own words survive.
				if !strings.Contains(err.Error(), "Request") && !strings.Contains(err.Error(), "Server Error") {
					t.Errorf("%s, %s: the API's message is gone:\n%v", qname, tc.name, err)
				}
				for _, fe := range client.FieldErrors(err) {
					if l := leaks(strings.Join(fe, " "), secrets); len(l) > 0 {
						t.Errorf("%s, %s: a field error shows the %s", qname, tc.name, strings.Join(l, ", "))
					}
				}
			}
			if l := leaks(sink.text(), secrets); len(l) > 0 {
				t.Errorf("%s, password %q: the log lines show the %s", qname, password, strings.Join(l, ", "))
			}
		}
	}
}

// A private key the client has received (an account's wg_private_key, a
// WireGuard configuration's PrivateKey) is scrubbed from a later error page
// that quotes it; one it has not seen is scrubbed by its shape.
func TestRedact_answersQuotingAPrivateKeyLeaveNoKey(t *testing.T) {
	fx := newFixture(t)
	sink := &logSink{}
	c := fx.another(t, func(c *client.Config) { c.Log = sink.log; c.MaxRetries = -1 })
	acc := must[*client.Account](t)(c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "keyed", Password: "keyed-password"}))
	servers := must[[]client.Server](t)(c.ListServers(ctx(t)))
	conf := must[*client.VPNConfig](t)(c.GetWireGuardConfig(ctx(t), servers[0].ID, acc.ID))
	if acc.WgPrivateKey == "" || !strings.Contains(conf.Content, acc.WgPrivateKey) {
		t.Fatal("the mock gave no private key")
	}
	secrets := map[string]string{"private key": acc.WgPrivateKey}
	id := fmt.Sprint(acc.ID)
	// The page quotes the object the mock answers with, key included, in a
	// form it was not received in.
	quotePage := func(mangle func(string) string) mockapi.Interceptor {
		return actThenMangle(500, func(body string) string {
			b, _ := json.Marshal(map[string]any{"message": "Server Error. Last answer: " + mangle(body), "code": 500})
			return string(b)
		})
	}
	for qname, quote := range quoting {
		for name, fresh := range map[string]bool{"seen": false, "not seen": true} {
			cl := c
			if fresh {
				cl = fx.another(t, func(c *client.Config) { c.Log = sink.log; c.MaxRetries = -1 })
			}
			fx.mock.InterceptNext("PUT /accounts/"+id+"/disable", quotePage(quote))
			_, err := cl.DisableAccount(ctx(t), acc.ID)
			if err == nil || !strings.Contains(err.Error(), "Server Error") {
				t.Fatalf("%s, %s: %v", qname, name, err)
			}
			if l := leaks(err.Error(), secrets); len(l) > 0 {
				t.Errorf("%s, key %s: the error shows the %s:\n%v", qname, name, strings.Join(l, ", "), err)
			}
			fx.mock.InterceptNext("GET /configuration/wireguard", quotePage(quote))
			_, err = cl.GetWireGuardConfig(ctx(t), servers[0].ID, acc.ID)
			if err == nil {
				t.Fatalf("%s, %s: no error", qname, name)
			}
			if l := leaks(err.Error(), secrets); len(l) > 0 {
				t.Errorf("%s, configuration, key %s: the error shows the %s:\n%v", qname, name, strings.Join(l, ", "), err)
			}
		}
	}
	if l := leaks(sink.text(), secrets); len(l) > 0 {
		t.Errorf("the log lines show the %s", strings.Join(l, ", "))
	}
}

// The API's text in an error is cut to client.MaxAPIText bytes, saying so:
// the message, each field error, and a malformed answer's reason.
func TestAPIText_isCapped(t *testing.T) {
	fx := newFixture(t)
	c := fx.another(t, func(c *client.Config) { c.MaxRetries = -1 })
	long := strings.Repeat("très long message ", 2000)
	page, _ := json.Marshal(map[string]any{"message": long, "errors": map[string][]string{"name": {long}}})
	fx.mock.InterceptNext("POST /projects", answer(422, "application/json", string(page)))
	_, err := c.CreateProject(ctx(t), client.ProjectRequest{Name: "p", Description: "d"})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("want an API error, got %v", err)
	}
	for what, text := range map[string]string{"message": apiErr.Message, "field error": apiErr.Errors["name"][0]} {
		if len(text) > client.MaxAPIText+50 || !strings.Contains(text, "(truncated") || !strings.HasPrefix(text, "très long") {
			t.Errorf("%s: %d bytes: %.80q", what, len(text), text)
		}
	}
	if n := len(err.Error()); n > 3*client.MaxAPIText {
		t.Errorf("the error is %d bytes", n)
	}
}

// A broken answer whose bytes Go's HTTP client quotes in its error
// ("malformed HTTP response ...") is scrubbed as well.
func TestRedact_brokenAnswerQuotingTheTokenLeavesNoToken(t *testing.T) {
	fx := newFixture(t)
	c := fx.another(t, func(c *client.Config) { c.MaxRetries = -1 })
	fx.mock.InterceptNext("GET /profile", func(_ http.Handler, w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = io.WriteString(conn, r.Header.Get("Authorization")+" was sent\r\n\r\n")
	})
	_, err := c.GetProfile(ctx(t))
	if !errors.Is(err, client.ErrTransport) {
		t.Fatalf("want a transport error, got %v", err)
	}
	if strings.Contains(err.Error(), fx.mock.Token()) || !strings.Contains(err.Error(), client.Redacted) {
		t.Errorf("the error shows the token: %v", err)
	}
}
