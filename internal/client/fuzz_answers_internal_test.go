package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// Fuzz targets for the API's answers, read through the whole client (send,
// answerError, do, getPage, walk) with a transport that answers what the
// fuzzer wrote: no server, no socket.

// sentinels are the kinds an error answer may have; wantKind is the one a
// status has, as errors.go documents it.
var sentinels = []error{ErrBadRequest, ErrUnauthorized, ErrInsufficientBalance, ErrForbidden, ErrNotFound,
	ErrMethodNotAllowed, ErrValidation, ErrRateLimited, ErrServer, ErrUsernameNotFound, ErrWrongPassword, ErrUnexpectedStatus}

func wantKind(status int) error {
	if k, ok := map[int]error{400: ErrBadRequest, 401: ErrUnauthorized, 402: ErrInsufficientBalance, 403: ErrForbidden,
		404: ErrNotFound, 405: ErrMethodNotAllowed, 422: ErrValidation, 429: ErrRateLimited,
		460: ErrUsernameNotFound, 461: ErrWrongPassword}[status]; ok {
		return k
	}
	if status >= 500 {
		return ErrServer
	}
	return ErrUnexpectedStatus
}

// looksHTML is what is an HTML page whatever else it says: a body that
// starts with "<", or one of the HTML media types.
func looksHTML(contentType, body string) bool {
	ct := strings.ToLower(strings.TrimSpace(contentType))
	return strings.HasPrefix(strings.TrimSpace(body), "<") || ct == "text/html" || ct == "text/html; charset=utf-8" || ct == "application/xhtml+xml"
}

// knownSecrets are the forms of the secrets a fuzzed client knows before
// the fuzzed answer: the token, and when asked the password of
// ValidateAccount and the private key of fuzzAccount.
func knownSecrets(password, key bool) []string {
	forms := promisedForms(fuzzToken)
	if password {
		forms = append(forms, passwordForms(fuzzUser, fuzzPassword)...)
	}
	if key {
		forms = append(forms, promisedForms(fuzzKey)...)
	}
	return forms
}

// checkErrorText fails t unless the text of err is printable and holds no
// form of secrets.
func checkErrorText(t *testing.T, err error, secrets []string) {
	t.Helper()
	msg := err.Error()
	if Printable(msg) != msg {
		t.Errorf("the error %q holds characters a terminal acts on", msg)
	}
	if left := survivors(msg, secrets); len(left) > 0 {
		t.Errorf("the error %q holds a secret as %q", msg, left)
	}
}

// FuzzErrorAnswer: an answer of status 300-599 (any body, Content-Type and
// Retry-After) becomes an *APIError of the status's one kind when it is the
// API's JSON error, else a *MalformedAnswerError (always when it is an HTML
// page); its texts are printable and cut, hold none of the secrets the
// client knows, its field errors are bounded, its Retry-After is within
// [0, 24h].
func FuzzErrorAnswer(f *testing.F) {
	const js = "application/json"
	for _, s := range []struct {
		status           int
		ctype, ra, body  string
		validate, learnt bool
	}{
		{400, js, "", `{"message":"Bad Request.","code":400}`, false, false},
		{401, js, "", `{"message":"Unauthorized.","code":401}`, false, false},
		{402, js, "", `{"message":"Insufficient Balance.","code":402}`, false, false},
		{404, js, "", `{"message":"Account not found.","code":404}`, false, false},
		{405, js, "", `{"message":"Method Not Allowed.","code":405}`, false, false},
		{422, js, "", `{"message":"The given data was invalid.","errors":{"username":["The username has already been taken."],"customer.project_id":["Bad."]},"code":422}`, false, false},
		{422, js, "", `{"message":"The given data was invalid.","errors":{"password":["The password Pa\"ss\/w\\ord-71 is too weak."]},"code":422}`, true, false},
		{429, js, "30", `{"message":"Too Many Attempts.","code":429}`, false, false},
		{429, js, "Wed, 21 Oct 2015 07:28:00 GMT", `{"message":"Too Many Attempts.","code":429}`, false, false},
		{460, js, "", `{"message":"Username has not been found.","code":460}`, true, false},
		{461, js, "", `{"message":"Username has not been validated.","code":461}`, true, false},
		{500, js, "", `{"message":"Server Error in GET /accounts/7\nHeaders:\nAuthorization: Bearer fuzz-token-0123456789abcdef\n","code":500}`, false, false},
		{500, js, "", `{"message":"Body: {\"username\":\"alice\",\"password\":\"Pa\\\"ss\/w\\\\ord-71\"}","code":500}`, true, false},
		{500, js, "", `{"message":"key XE1pI01BnHB1EmidlHdm55r2qHKBSWCCJtXeS9gC+WU= \u001b[31m","code":500}`, false, true},
		{502, "text/html", "", "<html><body>502 Bad Gateway</body></html>", false, false},
		{503, "text/plain", "120", "upstream connect error", false, false},
		{503, "", "", "", false, false},
		{301, "text/html", "", `<a href="https://login.example">Moved</a>`, false, false},
		{422, js, "", `{"message":7,"errors":[]}`, false, false},
		{422, js, "", `{"errors":{"":["x"],"a b":["y"],"fuzz-token-0123456789abcdef":["z"]}}`, false, false},
	} {
		f.Add(s.status, s.ctype, s.ra, s.body, s.validate, s.learnt)
	}
	f.Fuzz(func(t *testing.T, status int, contentType, retryAfter, body string, validate, learnt bool) {
		status = 300 + int(uint(status)%300)
		calls := 0
		c := fuzzClient(t, 1, func(*http.Request) canned {
			calls++
			if learnt && calls == 1 {
				return canned{200, http.Header{"Content-Type": {"application/json"}}, fuzzAccount}
			}
			return canned{status, http.Header{"Content-Type": {contentType}, "Retry-After": {retryAfter}}, body}
		})
		ctx := fuzzCtx(t)
		if learnt {
			if _, err := c.GetAccount(ctx, 9); err != nil {
				t.Fatal(err)
			}
		}
		var err error
		if validate {
			_, err = c.ValidateAccount(ctx, 7, fuzzUser, fuzzPassword)
		} else {
			_, err = c.GetAccount(ctx, 7)
		}
		if err == nil {
			t.Fatalf("HTTP %d taken as a success", status)
		}
		checkErrorText(t, err, knownSecrets(validate, learnt))
		var apiErr *APIError
		var bad *MalformedAnswerError
		switch {
		case errors.As(err, &apiErr):
			if looksHTML(contentType, body) {
				t.Errorf("an HTML page is an API error: %v", err)
			}
			if trimmed := bytes.TrimSpace([]byte(body)); len(trimmed) > 0 && !json.Valid(trimmed) {
				t.Errorf("a body that is not JSON is an API error: %v", err)
			}
			if apiErr.StatusCode != status {
				t.Errorf("HTTP %d is an API error of status %d", status, apiErr.StatusCode)
			}
			var kinds []error
			for _, k := range sentinels {
				if errors.Is(err, k) {
					kinds = append(kinds, k)
				}
			}
			if len(kinds) != 1 || kinds[0] != wantKind(status) {
				t.Errorf("HTTP %d matches %v, want only %v", status, kinds, wantKind(status))
			}
			if apiErr.Message == "" && http.StatusText(status) != "" {
				t.Errorf("HTTP %d: an API error without a message", status)
			}
			checkFieldErrors(t, apiErr)
			if apiErr.RetryAfter < 0 || apiErr.RetryAfter > maxRetryAfter {
				t.Errorf("Retry-After %q: the error asks to wait %s", retryAfter, apiErr.RetryAfter)
			}
		case errors.As(err, &bad):
			if bad.StatusCode != status {
				t.Errorf("HTTP %d is a malformed answer of status %d", status, bad.StatusCode)
			}
			var envelope struct {
				Message string              `json:"message"`
				Errors  map[string][]string `json:"errors"`
			}
			if !looksHTML(contentType, body) && json.Unmarshal([]byte(body), &envelope) == nil && !isHTML(http.Header{"Content-Type": {contentType}}, []byte(body)) {
				t.Errorf("the API's JSON error %q is taken as malformed: %v", body, err)
			}
			if bad.RetryAfter < 0 || bad.RetryAfter > maxRetryAfter {
				t.Errorf("Retry-After %q: the error asks to wait %s", retryAfter, bad.RetryAfter)
			}
		default:
			t.Errorf("HTTP %d: %T %v is neither an API error nor a malformed answer", status, err, err)
		}
	})
}

// checkFieldErrors: at most maxFieldErrors fields, and messages a field,
// and one line for the rest; names and messages printable and cut.
func checkFieldErrors(t *testing.T, e *APIError) {
	t.Helper()
	if len(e.Errors) > maxFieldErrors+1 {
		t.Errorf("%d fields in an API error", len(e.Errors))
	}
	for name, msgs := range e.Errors {
		if len(msgs) > maxFieldErrors+1 {
			t.Errorf("field %q: %d messages", name, len(msgs))
		}
		for _, s := range append([]string{name, e.Message}, msgs...) {
			if Printable(s) != s || len(s) > maxAPITextLen {
				t.Errorf("field %q: %q is not printable or not cut", name, s)
			}
		}
	}
}
