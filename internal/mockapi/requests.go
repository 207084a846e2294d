package mockapi

// What a handler is given: the request, its authenticated caller and its
// parsed body.

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// withObject runs fn, holding s.mu, on the object of m (stored by its id)
// that the request's {id} names, or answers notFound when the {id} is not
// an id or names none.
func withObject[T any](s *Server, m map[int]*T, rc *reqCtx, notFound response, fn func(*T) response) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := parseID(rc.id)
	if !ok || m[id] == nil {
		return notFound
	}
	return fn(m[id])
}

// reqCtx is what a handler sees.
type reqCtx struct {
	r        *http.Request
	id       string // raw {id} path segment
	body     input  // parsed JSON object body (empty for GET/DELETE or no body)
	authID   int    // account id authenticated by Basic auth
	authPass string // the password it authenticated with
}

func (s *Server) bearerOK(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	tok = strings.TrimSpace(tok)
	return subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) == 1
}

// basicAccount authenticates an account by its own username and password.
func (s *Server) basicAccount(r *http.Request) (int, string, bool) {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return 0, "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountByUsernameLocked(user)
	if a == nil || subtle.ConstantTimeCompare([]byte(a.password), []byte(pass)) != 1 {
		return 0, "", false
	}
	return a.id, pass, true
}

var errBadBody = errors.New("malformed JSON body")

// receiveBody reads a POST/PUT body (at most 1 MiB); other methods' bodies
// are ignored.
func receiveBody(r *http.Request) ([]byte, error) {
	if r.Method != http.MethodPost && r.Method != http.MethodPut || r.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil || len(data) > maxBodyBytes {
		return nil, errBadBody
	}
	return data, nil
}

// parseBody parses a body as a JSON object. An absent or blank body is an
// empty object; anything that is not a single JSON object is an error.
func parseBody(data []byte, readErr error) (input, error) {
	if readErr != nil {
		return nil, readErr
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return input{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errBadBody
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errBadBody
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errBadBody
	}
	return input(obj), nil
}
