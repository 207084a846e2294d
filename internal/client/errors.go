package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
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

	// ErrTransport matches a *TransportError: the API could not be reached.
	ErrTransport = errors.New("API not reachable")
	// ErrTimeout matches a *TimeoutError: no answer within RequestTimeout.
	ErrTimeout = errors.New("API request timed out")
	// ErrMalformed matches a *MalformedAnswerError: an answer arrived but is
	// not a valid answer to the request.
	ErrMalformed = errors.New("malformed API answer")
	// ErrRetryWaitTooLong matches a *RetryWaitError.
	ErrRetryWaitTooLong = errors.New("retry wait too long")
	// ErrUnknownOutcome matches an *UnknownOutcomeError.
	ErrUnknownOutcome = errors.New("create outcome unknown")
	// ErrAlreadyExists matches an *ExistingObjectError.
	ErrAlreadyExists = errors.New("object already exists")
)

// APIError is an error answer of the API: `{"message": "...", "code": N}`,
// with per-field messages for 422 answers.
type APIError struct {
	StatusCode int
	Method     string
	Path       string // request path below the base URL, without the query
	URL        string // full request URL, without the query
	Message    string
	// Errors holds the per-field validation messages of a 422 answer, keyed
	// by the API's field name (for example "email" or "customer.project_id").
	Errors map[string][]string
	// RetryAfter is the wait the server asked for (429 and 503 answers).
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	where := e.URL
	if where == "" {
		where = e.Path
	}
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, where, e.StatusCode)
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

// HasDependents reports whether err is the API's documented refusal to
// delete an object of the given kind only because others still depend on
// it: a 422 "Unable to delete a customer that has accounts." (kind
// "customer") or "Unable to delete a project that has customers." (kind
// "project"). Such a refusal ends once the dependents are deleted.
func HasDependents(err error, kind string) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	want, ok := map[string]string{
		KindCustomer: "Unable to delete a customer that has accounts.",
		KindProject:  "Unable to delete a project that has customers.",
	}[kind]
	return ok && strings.EqualFold(strings.TrimSpace(apiErr.Message), want)
}

// TransportError is a request that got no answer: the connection could not
// be made or broke.
type TransportError struct {
	Method string
	URL    string // without the query
	Err    error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("could not reach %s (%s): %v", e.URL, e.Method, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// Is matches ErrTransport.
func (e *TransportError) Is(target error) bool { return target == ErrTransport }

// TimeoutError is a request attempt that got no answer within
// RequestTimeout.
type TimeoutError struct {
	Method         string
	URL            string // without the query
	RequestTimeout time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s %s: no answer within the request timeout (%s)", e.Method, e.URL, e.RequestTimeout)
}

// Timeout reports true, as net.Error does.
func (e *TimeoutError) Timeout() bool { return true }

// Temporary reports true, as net.Error does.
func (e *TimeoutError) Temporary() bool { return true }

// Is matches ErrTimeout and context.DeadlineExceeded.
func (e *TimeoutError) Is(target error) bool {
	return target == ErrTimeout || target == context.DeadlineExceeded
}

// MalformedAnswerError is an answer that arrived but is not a valid answer
// to the request: undecodable, an HTML page, no `data`, data wrapped a level
// deeper, an object without an id, or another object than the one asked for.
// It is never taken as an object.
type MalformedAnswerError struct {
	Method     string
	URL        string // without the query
	StatusCode int
	Reason     string
	RetryAfter time.Duration // the wait a 429 or 5xx page asked for
}

func (e *MalformedAnswerError) Error() string {
	return fmt.Sprintf("the API's answer to %s %s (HTTP %d) was malformed: %s", e.Method, e.URL, e.StatusCode, e.Reason)
}

// Is matches ErrMalformed.
func (e *MalformedAnswerError) Is(target error) bool { return target == ErrMalformed }

// PagingError is a list walk that could not be completed: on every one of
// Walks walks, a page of the list contradicted the pages before it (a page
// size that changed, a short page before the last, an id seen twice, a
// total that changed, a malformed page, more pages than the client walks).
// URL is the page's, query included. It matches ErrMalformed.
type PagingError struct {
	URL    string
	Reason string
	Walks  int
}

func (e *PagingError) Error() string {
	return fmt.Sprintf("the list could not be read consistently (read %d times): at %s, %s", e.Walks, e.URL, e.Reason)
}

// Is matches ErrMalformed.
func (e *PagingError) Is(target error) bool { return target == ErrMalformed }

// RetryWaitError is an answer (429 or 503) whose Retry-After is longer than
// MaxRetryWait: the client fails at once
// instead of waiting.
type RetryWaitError struct {
	Method     string
	URL        string // without the query
	StatusCode int
	Wait       time.Duration // what the server asked for
	Max        time.Duration // MaxRetryWait
}

func (e *RetryWaitError) Error() string {
	return fmt.Sprintf("%s %s: the API answered HTTP %d and asked to wait %s before retrying, longer than the longest wait allowed (%s)",
		e.Method, e.URL, e.StatusCode, e.Wait, e.Max)
}

// Is matches ErrRetryWaitTooLong, and ErrRateLimited or ErrServer by status.
func (e *RetryWaitError) Is(target error) bool {
	return target == ErrRetryWaitTooLong || errors.Is(kindOf(e.StatusCode), target)
}

// UnknownOutcomeError reports a create that may or may not have created its
// object: the answer was lost or unusable and the evidence could not settle
// it. Pending records what a later run needs to find the object before it
// creates another (see FindPendingCreate).
type UnknownOutcomeError struct {
	Object string // "account", "customer", "project"
	Key    string // what identifies it to a person, e.g. `username "alice"`
	// Ref is what a person refers to the object by, should it exist: the
	// username of an account; "" for a customer or a project, known by an
	// id that is not known here.
	Ref string
	// Candidates are the ids of new objects that match, when several do.
	Candidates []int64
	Pending    PendingCreate
	Err        error // what went wrong with the create
}

func (e *UnknownOutcomeError) Error() string {
	msg := fmt.Sprintf("the API did not confirm whether %s %s was created (%v)", e.Object, e.Key, e.Err)
	if len(e.Candidates) > 1 {
		msg += fmt.Sprintf("; %d new %ss match it (ids %s), and none was adopted", len(e.Candidates), e.Object, JoinIDs(e.Candidates))
	}
	return msg
}

// JoinIDs lists ids for a message: "3, 5, 8".
func JoinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}

func (e *UnknownOutcomeError) Unwrap() error { return e.Err }

// Is matches ErrUnknownOutcome.
func (e *UnknownOutcomeError) Is(target error) bool { return target == ErrUnknownOutcome }

// ExistingObjectError is a create whose key (username, email) belongs to an
// object this create did not make: it existed before, or this Client made it
// for another create. The object is never adopted.
type ExistingObjectError struct {
	Object string // "account", "customer"
	Key    string // e.g. `username "alice"`
	ID     int64
	Ref    string // what a person refers to it by: its username, or its id
	Err    error  // the failure that led to the lookup
}

func (e *ExistingObjectError) Error() string {
	return fmt.Sprintf("%s %s already exists (id %d) and was not created by this request, so it is not taken over (%v)",
		e.Object, e.Key, e.ID, e.Err)
}

func (e *ExistingObjectError) Unwrap() error { return e.Err }

// Is matches ErrAlreadyExists.
func (e *ExistingObjectError) Is(target error) bool { return target == ErrAlreadyExists }

// IncompleteCreateError reports a create whose object is made and ours, but
// whose last step (setting the value its claim stood in for) failed.
type IncompleteCreateError struct {
	Object string
	ID     int64
	Err    error
}

func (e *IncompleteCreateError) Error() string {
	return fmt.Sprintf("%s %d was created, but setting its final values failed: %v", e.Object, e.ID, e.Err)
}

func (e *IncompleteCreateError) Unwrap() error { return e.Err }

// NotOursError reports an object that has the key a create needs (an
// account's username) but fails the proof of ownership: it belongs to
// someone else sharing the API account, as far as this client can tell.
type NotOursError struct {
	Object string
	Key    string
	ID     int64 // 0 when the API did not say which object it is
	// Older is true when the object accepts the password but existed
	// before the create it was looked up for was sent.
	Older bool
}

func (e *NotOursError) Error() string {
	id := ""
	if e.ID != 0 {
		id = fmt.Sprintf(" (id %d)", e.ID)
	}
	if e.Older {
		return fmt.Sprintf("%s %s exists%s, and existed before the create was sent", e.Object, e.Key, id)
	}
	return fmt.Sprintf("%s %s exists%s and does not accept the password sent", e.Object, e.Key, id)
}

// ErrNoMatch is what a search by a key (an account's username, a customer's
// email) matches when no object has that key. It also matches ErrNotFound.
var ErrNoMatch = errors.New("no object has that key")

// NoMatchError reports that a search found no object with the key: the
// answer of a walk of the lists, not of the API (IsGone is false for it).
type NoMatchError struct {
	Kind string // "account", "customer"
	Key  string // how it was searched, e.g. `username "alice"`
}

func (e *NoMatchError) Error() string { return fmt.Sprintf("no %s has the %s", e.Kind, e.Key) }

// Is makes a NoMatchError match ErrNoMatch and ErrNotFound.
func (e *NoMatchError) Is(target error) bool { return target == ErrNoMatch || target == ErrNotFound }

// ManyMatchesError reports that a search by a key that is not unique (a
// project's name) found several objects, and so none.
type ManyMatchesError struct {
	Kind string // "project"
	Key  string // how it was searched, e.g. `name "Acme"`
	IDs  []int64
}

func (e *ManyMatchesError) Error() string {
	return fmt.Sprintf("%d %ss have the %s (ids %s)", len(e.IDs), e.Kind, e.Key, JoinIDs(e.IDs))
}
