package client_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

func TestRedactURL_dropsUserInfo(t *testing.T) {
	for raw, want := range map[string]string{
		"https://user:pass@h.example/v4_1":       "https://h.example/v4_1",
		"http://token@127.0.0.1:8080/v4_1/x?y=1": "http://127.0.0.1:8080/v4_1/x?y=1",
		"https://h.example/v4_1":                 "https://h.example/v4_1",
		// Not URLs: what stands where user info would still goes.
		"http://us er:pa ss@h:port/v4_1": "http://h:port/v4_1",
		"user:pass@h.example/v4_1":       "h.example/v4_1",
		"http://u:p@ss@h/v4_1":           "http://h/v4_1",
		"not a url":                      "not a url",
	} {
		if got := client.RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

// Credentials in the base URL appear in no error, are not sent (the API
// takes the token), and an answer quoting them is scrubbed.
func TestBaseURL_credentialsAreIgnoredAndScrubbed(t *testing.T) {
	const user, pass = "urluser", "Url-Secret-99"
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	m := mockapi.New(mockapi.Options{})
	var (
		mu    sync.Mutex
		auths []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Path == "/v4_1/profile" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"message":"quoting ` + pass + ` and ` + basic + ` and ` + user + ":" + pass + `","code":500}`))
			return
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	base := strings.Replace(srv.URL, "http://", "http://"+user+":"+pass+"@", 1) + "/v4_1"
	log := &logRecorder{}
	c, err := client.New(client.Config{BaseURL: base, Token: m.Token(), MaxRetries: -1, Log: log.record})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GeoIP(ctx(t)); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetProfile(ctx(t))
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.URL != srv.URL+"/v4_1/profile" {
		t.Fatalf("GetProfile: %v, want a 500 naming %s/v4_1/profile", err, srv.URL)
	}
	_, badErr := client.New(client.Config{BaseURL: "http://" + user + ":" + pass + "@h:port/v4_1"})
	for what, text := range map[string]string{"error": err.Error(), "invalid-URL error": badErr.Error(), "log": log.all()} {
		for _, s := range []string{pass, user, basic} {
			if strings.Contains(text, s) {
				t.Errorf("the %s shows %q: %s", what, s, text)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, a := range auths {
		if strings.HasPrefix(a, "Basic") {
			t.Errorf("the URL's credentials were sent: %q", a)
		}
	}
}

func TestCheckToken_saysWhyWithoutQuoting(t *testing.T) {
	for tok, why := range map[string]string{
		"abc\ndef":     "line break at character 4 of 7",
		"abc def":      "white space at character 4",
		"abc\x00def":   "control",
		"abcé":         "non-ASCII character at character 4",
		"abc\u200bdef": "invisible",
	} {
		err := client.CheckToken(tok)
		if err == nil || !strings.Contains(err.Error(), why) || strings.Contains(err.Error(), "abc") {
			t.Errorf("CheckToken(%q) = %v, want %q without the token", tok, err, why)
		}
		if _, err := client.New(client.Config{Token: tok}); err == nil {
			t.Errorf("New accepted the token %q", tok)
		}
	}
	for _, tok := range []string{"", "1|Abc.def-ghi_jkl~MNO+/=="} {
		if err := client.CheckToken(tok); err != nil {
			t.Errorf("CheckToken(%q) = %v", tok, err)
		}
	}
}
