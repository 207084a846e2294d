package mockapi

// What a handler answers: the response type, the documented error answers,
// and how a response is written.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// response is a handler's answer, written by ServeHTTP (or replaced by an
// acting FailNext fault).
type response struct {
	status int
	body   any    // JSON-encoded when raw is nil
	raw    []byte // verbatim body (configuration downloads)
	header http.Header
}

type errorBody struct {
	Message string              `json:"message"`
	Errors  map[string][]string `json:"errors,omitempty"`
	Code    int                 `json:"code"`
}

type dataBody struct {
	Data any `json:"data"`
	Code int `json:"code"`
}

type codeBody struct {
	Code int `json:"code"`
}

func errResp(status int, msg string) response {
	return response{status: status, body: errorBody{Message: msg, Code: status}}
}

func okData(status int, data any) response {
	return response{status: status, body: dataBody{Data: data, Code: status}}
}

func okCode() response {
	return response{status: http.StatusOK, body: codeBody{Code: http.StatusOK}}
}

func invalid(fe fieldErrors) response {
	return response{status: http.StatusUnprocessableEntity, body: errorBody{
		Message: "The given data was invalid.", Errors: fe, Code: http.StatusUnprocessableEntity}}
}

// unprocessable is a business-rule 422 whose message is also its only error.
func unprocessable(field, msg string) response {
	return response{status: http.StatusUnprocessableEntity, body: errorBody{
		Message: msg, Errors: map[string][]string{field: {msg}}, Code: http.StatusUnprocessableEntity}}
}

var (
	notFound         = errResp(http.StatusNotFound, "Not Found.")
	accountNotFound  = errResp(http.StatusNotFound, "Account not found.")
	customerNotFound = errResp(http.StatusNotFound, "Customer not found.")
	projectNotFound  = errResp(http.StatusNotFound, "Project not found.")
	badRequest       = errResp(http.StatusBadRequest, "Bad Request.")
	forbidden        = errResp(http.StatusForbidden, "Forbidden.")
	serverError      = errResp(http.StatusInternalServerError, "Server Error.")
	unavailable      = errResp(http.StatusServiceUnavailable, "Service Unavailable.")
)

func unauthorized(kind authKind) response {
	r := errResp(http.StatusUnauthorized, "Unauthorized.")
	r.header = http.Header{}
	if kind == authBasic {
		r.header.Set("WWW-Authenticate", `Basic realm="VPNresellers"`)
	} else {
		r.header.Set("WWW-Authenticate", "Bearer")
	}
	return r
}

func tooManyAttempts(retryAfter int) response {
	r := errResp(http.StatusTooManyRequests, "Too Many Attempts.")
	r.header = http.Header{}
	r.header.Set("Retry-After", fmt.Sprint(retryAfter))
	return r
}

func writeResponse(w http.ResponseWriter, resp response) {
	h := w.Header()
	for k, vs := range resp.header {
		h[k] = vs
	}
	if resp.raw != nil {
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "text/plain; charset=utf-8")
		}
		w.WriteHeader(resp.status)
		_, _ = w.Write(resp.raw)
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(resp.body); err != nil {
		buf.Reset()
		resp.status = http.StatusInternalServerError
		_ = enc.Encode(errorBody{Message: "Server Error.", Code: http.StatusInternalServerError})
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	_, _ = w.Write(buf.Bytes())
}
