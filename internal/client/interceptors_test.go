package client_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// The faults below are mockapi.Interceptors that the mock's own FailMode
// knobs have no name for: the tests queue them with
// f.mock.InterceptNext(route, ...) on a fixture, and count requests with
// f.mock.Count.

// act lets the mock carry the request out and returns its answer.
func act(m http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, r)
	return rec
}

// actTwice carries the request out twice (as if a second, identical
// request had come from elsewhere), then answers 500.
func actTwice(m http.Handler, w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	for range 2 {
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		act(m, r2)
	}
	answer(500, "application/json", `{"message":"Server Error.","code":500}`)(m, w, r)
}

// answer answers without acting.
func answer(status int, contentType, body string, headers ...string) mockapi.Interceptor {
	return func(_ http.Handler, w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// actThen carries the request out, then hides the answer with how.
func actThen(how mockapi.Interceptor) mockapi.Interceptor {
	return func(m http.Handler, w http.ResponseWriter, r *http.Request) {
		act(m, r)
		how(m, w, r)
	}
}

// actThenMangle carries the request out, then answers status with the
// mock's own JSON answer changed by mangle.
func actThenMangle(status int, mangle func(string) string) mockapi.Interceptor {
	return func(m http.Handler, w http.ResponseWriter, r *http.Request) {
		rec := act(m, r)
		answer(status, "application/json", mangle(rec.Body.String()))(m, w, r)
	}
}

// drop closes the connection without an answer (the client reads EOF).
func drop(_ http.Handler, w http.ResponseWriter, _ *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

// reset resets the connection (the client reads "connection reset").
func reset(_ http.Handler, w http.ResponseWriter, _ *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	conn.Close()
}

// stall holds the request until the client gives up on it. It reads the
// body first: only then does the server notice a client going away.
func stall(_ http.Handler, _ http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

const htmlPage = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in</body></html>"
