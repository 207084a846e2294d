package mockapi

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"
)

// input is a decoded JSON object body (numbers kept as json.Number) or a
// query string turned into strings.
type input map[string]any

// filled returns the value of key and whether it counts as given: present,
// not null and not a blank string (Laravel's "required" semantics, where an
// empty or whitespace-only string is treated as missing).
func (in input) filled(key string) (any, bool) {
	v, ok := in[key]
	if !ok || v == nil {
		return nil, false
	}
	if s, isStr := v.(string); isStr && strings.TrimSpace(s) == "" {
		return nil, false
	}
	return v, true
}

// has reports whether key is present at all (even as null or "").
func (in input) has(key string) bool {
	_, ok := in[key]
	return ok
}

// queryInput turns the first value of each query parameter into an input.
func queryInput(q map[string][]string) input {
	in := input{}
	for k, vs := range q {
		if len(vs) > 0 {
			in[k] = vs[0]
		}
	}
	return in
}

// fieldErrors collects Laravel-style validation messages per field.
type fieldErrors map[string][]string

func (fe fieldErrors) add(field, msg string) { fe[field] = append(fe[field], msg) }

// attr is Laravel's display name of a field: underscores become spaces
// ("project_id" -> "project id", "customer.customer_id" -> "customer.customer id").
func attr(field string) string { return strings.ReplaceAll(field, "_", " ") }

func msgRequired(field string) string { return fmt.Sprintf("The %s field is required.", attr(field)) }
func msgInvalid(field string) string  { return fmt.Sprintf("The selected %s is invalid.", attr(field)) }
func msgTaken(field string) string    { return fmt.Sprintf("The %s has already been taken.", attr(field)) }
func msgInteger(field string) string  { return fmt.Sprintf("The %s must be an integer.", attr(field)) }

// stringRule validates a string field.
type stringRule struct {
	min, max int // in characters; 0 = no bound
	email    bool
}

// checkString applies required|string|min|max|email to in[key], reporting
// errors under field. It returns the value and whether it is valid.
func checkString(fe fieldErrors, in input, key, field string, rule stringRule) (string, bool) {
	v, ok := in.filled(key)
	if !ok {
		fe.add(field, msgRequired(field))
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		fe.add(field, fmt.Sprintf("The %s must be a string.", attr(field)))
		return "", false
	}
	n := utf8.RuneCountInString(s)
	if rule.min > 0 && n < rule.min {
		fe.add(field, fmt.Sprintf("The %s must be at least %d characters.", attr(field), rule.min))
		return "", false
	}
	if rule.max > 0 && n > rule.max {
		fe.add(field, fmt.Sprintf("The %s must not be greater than %d characters.", attr(field), rule.max))
		return "", false
	}
	if rule.email && !validEmail(s) {
		fe.add(field, fmt.Sprintf("The %s must be a valid email address.", attr(field)))
		return "", false
	}
	return s, true
}

// checkInt applies required|integer to in[key]. JSON numbers and decimal
// strings ("12", as sent in query strings) are accepted.
func checkInt(fe fieldErrors, in input, key, field string) (int, bool) {
	v, ok := in.filled(key)
	if !ok {
		fe.add(field, msgRequired(field))
		return 0, false
	}
	n, ok := toInt(v)
	if !ok {
		fe.add(field, msgInteger(field))
		return 0, false
	}
	return n, true
}

func toInt(v any) (int, bool) {
	var s string
	switch t := v.(type) {
	case json.Number:
		s = t.String()
	case string:
		s = strings.TrimSpace(t)
	default:
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, false
	}
	return n, true
}

// validEmail accepts a bare RFC 5322 address such as "a.b@example.com".
func validEmail(s string) bool {
	if strings.TrimSpace(s) != s || !strings.Contains(s, "@") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// parseID parses a path id: decimal digits only, positive.
func parseID(raw string) (int, bool) {
	if raw == "" || len(raw) > 18 {
		return 0, false
	}
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(raw)
	return n, err == nil && n > 0
}
