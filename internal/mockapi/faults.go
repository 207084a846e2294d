package mockapi

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"time"
)

// FailMode selects what FailNext does to a matching request. The faults
// simulate what a network, a proxy or a struggling server does to a request;
// they never change what the API itself documents. Modes that "act" carry
// the operation out fully before the fault hides its answer, so the caller
// cannot know that it succeeded.
type FailMode int

const (
	// FailBefore answers 503 {"message":"Service Unavailable.","code":503}
	// without acting.
	FailBefore FailMode = iota
	// FailAfter performs the operation fully, then answers 500
	// {"message":"Server Error.","code":500}: the caller cannot know it
	// succeeded.
	FailAfter
	// FailRateLimited answers 429 {"message":"Too Many Attempts.","code":429}
	// with Retry-After (1 second unless SetRetryAfter says otherwise)
	// without acting.
	FailRateLimited
	// FailDropAfter acts, then closes the connection without answering:
	// the caller reads EOF.
	FailDropAfter
	// FailResetAfter acts, then resets the connection (TCP RST where the
	// connection is TCP): the caller reads "connection reset by peer".
	FailResetAfter
	// FailActLate waits SetActLateDelay (1s by default) whether or not the
	// caller is still there, then acts and answers normally. With a client
	// timeout below the delay, the object appears after the client gave up.
	FailActLate
	// FailTruncated acts, then sends the first half of its JSON answer.
	FailTruncated
	// FailNoData acts, then answers {"code":N} without `data`.
	FailNoData
	// FailEmptyData acts, then answers {"data":{},"code":N}.
	FailEmptyData
	// FailNestedData acts, then answers its `data` wrapped one level deeper:
	// {"data":{"data":...,"code":N},"code":N}.
	FailNestedData
	// FailHTMLSignIn acts, then answers 200 with an HTML sign-in page, as a
	// single-sign-on proxy that rewrites answers does.
	FailHTMLSignIn
	// FailHTMLNotFound answers a proxy's HTML 404 page without acting.
	FailHTMLNotFound
	// FailMaintenance answers a 503 HTML maintenance page with Retry-After
	// (see SetRetryAfter) without acting.
	FailMaintenance
	// FailRouteNotFound answers the route-level 404
	// {"message":"Not Found.","code":404} (what an unknown path gets)
	// without acting.
	FailRouteNotFound
	// FailServerError answers 500 {"message":"Server Error.","code":500}
	// without acting: a transient failure the caller cannot tell from
	// FailAfter.
	FailServerError
)

var failModeNames = [...]string{
	FailBefore:        "FailBefore",
	FailAfter:         "FailAfter",
	FailRateLimited:   "FailRateLimited",
	FailDropAfter:     "FailDropAfter",
	FailResetAfter:    "FailResetAfter",
	FailActLate:       "FailActLate",
	FailTruncated:     "FailTruncated",
	FailNoData:        "FailNoData",
	FailEmptyData:     "FailEmptyData",
	FailNestedData:    "FailNestedData",
	FailHTMLSignIn:    "FailHTMLSignIn",
	FailHTMLNotFound:  "FailHTMLNotFound",
	FailMaintenance:   "FailMaintenance",
	FailRouteNotFound: "FailRouteNotFound",
	FailServerError:   "FailServerError",
}

func (m FailMode) String() string {
	if m >= 0 && int(m) < len(failModeNames) {
		return failModeNames[m]
	}
	return "FailMode(?)"
}

// acts reports whether the mode carries the operation out.
func (m FailMode) acts() bool {
	switch m {
	case FailBefore, FailRateLimited, FailHTMLNotFound, FailMaintenance, FailRouteNotFound, FailServerError:
		return false
	}
	return true
}

// FailNext makes the next n requests whose route key equals route (for
// example "POST /accounts" or "GET /accounts/{id}") fail in the given mode.
// Calls accumulate: the queued faults are consumed in order. n <= 0 clears
// the faults queued for route.
func (s *Server) FailNext(route string, n int, mode FailMode) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	if n <= 0 {
		delete(s.failQueue, route)
		return
	}
	for range n {
		s.failQueue[route] = append(s.failQueue[route], mode)
	}
}

// takeFailure pops the next queued FailNext fault for key.
func (s *Server) takeFailure(key string) (FailMode, bool) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	return popQueued(s.failQueue, key)
}

// popQueued takes the first of what is queued for key, dropping the queue
// once empty; ok is false when nothing is queued.
func popQueued[T any](queues map[string][]T, key string) (first T, ok bool) {
	q := queues[key]
	if len(q) == 0 {
		return first, false
	}
	if len(q) == 1 {
		delete(queues, key)
	} else {
		queues[key] = q[1:]
	}
	return q[0], true
}

// An Interceptor takes over one request after the mock has matched it to a
// route and counted it: the faults that FailMode has no name for, written by
// a test. next is the rest of the processing order (body, latency, rate
// limit, FailNext, the handler) without counting again; the interceptor may
// answer in the mock's place, call next once or several times (on a clone of
// r with its body restored), change next's answer, or break the connection.
type Interceptor func(next http.Handler, w http.ResponseWriter, r *http.Request)

// InterceptNext queues fs for the next requests on route: a route key as for
// FailNext ("GET /accounts/{id}") or one path ("GET /accounts/7", below
// PathPrefix; it goes first). The first such request goes to fs[0], the
// next to fs[1]. Calls accumulate; a call without fs clears what is still
// queued for route.
func (s *Server) InterceptNext(route string, fs ...Interceptor) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	if len(fs) == 0 {
		delete(s.interceptQ, route)
		return
	}
	s.interceptQ[route] = append(s.interceptQ[route], fs...)
}

// Intercept hands every matched request from now on to f, unless one queued
// by InterceptNext takes it. nil removes it.
func (s *Server) Intercept(f Interceptor) {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	s.intercept = f
}

// takeInterceptor pops the next interceptor queued for the request's path
// or, failing that, its route key; else it returns the standing one (nil
// when there is none).
func (s *Server) takeInterceptor(path, key string) Interceptor {
	s.kmu.Lock()
	defer s.kmu.Unlock()
	for _, k := range []string{path, key} {
		if f, ok := popQueued(s.interceptQ, k); ok {
			return f
		}
	}
	return s.intercept
}

// Pages a proxy or gateway in front of the API might send instead of its
// JSON. They are what FailHTMLNotFound, FailMaintenance and FailHTMLSignIn
// answer.
const (
	htmlNotFound = `<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx</center>
</body>
</html>
`
	htmlMaintenance = `<!DOCTYPE html>
<html lang="en">
<head><title>Down for maintenance</title></head>
<body><h1>We'll be back soon.</h1><p>The service is down for scheduled maintenance.</p></body>
</html>
`
	htmlSignIn = `<!DOCTYPE html>
<html lang="en">
<head><title>Sign in</title></head>
<body>
<form method="post" action="/login">
<label>Email <input type="email" name="email"></label>
<label>Password <input type="password" name="password"></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`
)

func htmlPage(status int, page string) response {
	return response{status: status, raw: []byte(page),
		header: http.Header{"Content-Type": {"text/html; charset=UTF-8"}}}
}

// refusal is the answer of a fault that does not act.
func (s *Server) refusal(mode FailMode) response {
	retryAfter, _ := s.faultSettings()
	switch mode {
	case FailRateLimited:
		return tooManyAttempts(retryAfter)
	case FailHTMLNotFound:
		return htmlPage(http.StatusNotFound, htmlNotFound)
	case FailMaintenance:
		r := htmlPage(http.StatusServiceUnavailable, htmlMaintenance)
		r.header.Set("Retry-After", strconv.Itoa(retryAfter))
		return r
	case FailRouteNotFound:
		return notFound
	case FailServerError:
		return serverError
	}
	return unavailable // FailBefore
}

// actLate waits the FailActLate delay, whether or not the caller is still
// there.
func (s *Server) actLate() {
	_, d := s.faultSettings()
	time.Sleep(d)
}

// deliverFault sends what an acting fault makes of the handler's answer.
func deliverFault(w http.ResponseWriter, mode FailMode, resp response) {
	switch mode {
	case FailAfter:
		writeResponse(w, serverError)
	case FailDropAfter:
		// net/http closes the connection of an aborted handler without
		// writing anything.
		panic(http.ErrAbortHandler)
	case FailResetAfter:
		resetConnection(w)
	case FailTruncated, FailNoData, FailEmptyData, FailNestedData, FailHTMLSignIn:
		writeResponse(w, mangle(mode, resp))
	default: // FailActLate
		writeResponse(w, resp)
	}
}

// resetConnection closes the caller's connection with a TCP RST (linger 0).
// A connection that cannot be taken over is closed by aborting instead.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// mangle turns the handler's answer into the malformed 2xx of mode. The
// status is the handler's when it was a success, else 200.
func mangle(mode FailMode, resp response) response {
	status := resp.status
	if status < 200 || status > 299 {
		status = http.StatusOK
	}
	body := resp.raw
	if body == nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(resp.body)
		body = buf.Bytes()
	}
	switch mode {
	case FailTruncated:
		return response{status: status, raw: body[:len(body)/2],
			header: http.Header{"Content-Type": {"application/json"}}}
	case FailNoData:
		return response{status: status, body: codeBody{Code: status}}
	case FailEmptyData:
		return response{status: status, body: dataBody{Data: map[string]any{}, Code: status}}
	case FailNestedData:
		var orig struct {
			Data json.RawMessage `json:"data"`
		}
		_ = json.Unmarshal(body, &orig)
		if orig.Data == nil {
			orig.Data = json.RawMessage("null")
		}
		return response{status: status, body: dataBody{Data: dataBody{Data: orig.Data, Code: status}, Code: status}}
	}
	return htmlPage(http.StatusOK, htmlSignIn) // FailHTMLSignIn
}
