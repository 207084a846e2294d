package client

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Sentinel errors a caller can branch on with errors.Is. Every error returned
// for an HTTP error answer is an *APIError that matches exactly one of them.
var (
	ErrBadRequest          = errors.New("bad request")
	ErrUnauthorized        = errors.New("unauthorized")
	ErrInsufficientBalance = errors.New("insufficient balance")
	ErrForbidden           = errors.New("forbidden")
	ErrNotFound            = errors.New("not found")
	ErrMethodNotAllowed    = errors.New("method not allowed")
	ErrValidation          = errors.New("validation failed")
	ErrRateLimited         = errors.New("rate limited")
	ErrServer              = errors.New("server error")
	ErrUsernameNotFound    = errors.New("username not found")
	ErrWrongPassword       = errors.New("username not validated")
	ErrUnexpectedStatus    = errors.New("unexpected status")
)

// APIError is an error answer of the API: `{"message": "...", "code": N}`,
// with per-field messages for 422 answers.
type APIError struct {
	StatusCode int
	Method     string
	Path       string // request path below the base URL, without the query
	Message    string
	// Errors holds the per-field validation messages of a 422 answer, keyed
	// by the API's field name (for example "email" or "customer.project_id").
	Errors map[string][]string
	// RetryAfter is the wait the server asked for (429 and 503 answers).
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if len(e.Errors) > 0 {
		fields := make([]string, 0, len(e.Errors))
		for f := range e.Errors {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			fmt.Fprintf(&b, "; %s: %s", f, strings.Join(e.Errors[f], " "))
		}
	}
	return b.String()
}

// Is maps the status code to one of the sentinel errors.
func (e *APIError) Is(target error) bool {
	return errors.Is(kindOf(e.StatusCode), target)
}

func kindOf(status int) error {
	switch {
	case status == http.StatusBadRequest:
		return ErrBadRequest
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusPaymentRequired:
		return ErrInsufficientBalance
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusMethodNotAllowed:
		return ErrMethodNotAllowed
	case status == http.StatusUnprocessableEntity:
		return ErrValidation
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status == 460:
		return ErrUsernameNotFound
	case status == 461:
		return ErrWrongPassword
	case status >= 500:
		return ErrServer
	default:
		return ErrUnexpectedStatus
	}
}

// FieldErrors returns the per-field messages of a validation error, or nil.
func FieldErrors(err error) map[string][]string {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Errors
	}
	return nil
}

// IsNotFound reports whether err is a 404 answer.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// UnknownOutcomeError reports a create whose result the client could not
// learn (the connection broke or the server failed after the request was
// sent) and could not settle by looking the object up afterwards.
type UnknownOutcomeError struct {
	Object string // "account", "customer", "project"
	Key    string // what identifies it to a person, e.g. `username "alice"`
	Hint   string
	Err    error
}

func (e *UnknownOutcomeError) Error() string {
	// The API's messages end with a full stop ("Server Error."): do not double it.
	msg := fmt.Sprintf("the API did not confirm whether %s %s was created: %s", e.Object, e.Key,
		strings.TrimRight(e.Err.Error(), "."))
	if e.Hint != "" {
		msg += ". " + e.Hint
	}
	return msg
}

func (e *UnknownOutcomeError) Unwrap() error { return e.Err }

// IsGone reports whether err is the API's own, documented answer that the
// object of the given kind ("account", "customer" or "project") does not
// exist: a 404 whose JSON message is "Account not found.", "Customer not
// found." or "Project not found.". Any other 404 (a proxy's page, a wrong
// base URL, an unknown route) is not: it says nothing about the object, and
// a caller must never forget an object because of it.
func IsGone(err error, kind string) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || kind == "" {
		return false
	}
	want := strings.ToUpper(kind[:1]) + kind[1:] + " not found."
	return strings.EqualFold(strings.TrimSpace(apiErr.Message), want)
}
