package mockapi

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"time"
)

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
