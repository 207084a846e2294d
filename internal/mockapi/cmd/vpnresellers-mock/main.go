// Command vpnresellers-mock serves the in-memory VPNresellers API v4.1 mock
// (package mockapi) as a standalone process.
//
//	vpnresellers-mock -addr 127.0.0.1:0 -url-file /tmp/mock.url
//
// It logs one line per request to stderr (method, path, status, duration;
// never headers, query strings or bodies) unless -quiet, and exits cleanly
// on SIGINT or SIGTERM.
//
// Outside the API's path prefix it serves control endpoints for benchmarks
// and scripts: GET /_mock/counts answers the per-route request counters as
// a JSON object ({"POST /accounts": 50, ...}), GET /_mock/limited how many
// of those requests the -rps limit answered 429 ({"429": 3}), and
// POST /_mock/counts/reset zeroes both.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "vpnresellers-mock:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, then shuts the server down gracefully.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("vpnresellers-mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (127.0.0.1:0 picks a free port)")
	token := fs.String("token", "", `bearer token accepted (default "test-token")`)
	balance := fs.String("balance", "", `initial profile balance (default "253.70")`)
	price := fs.String("price", "", `amount charged per account create (default "0.00")`)
	maxPerPage := fs.Int("max-per-page", 0, "cap on per_page (default 100)")
	latency := fs.Duration("latency", 0, "delay before handling each request")
	failureRate := fs.Float64("failure-rate", 0, "fraction (0..1) of requests answered 500")
	rps := fs.Float64("rps", 0, "rate limit in requests per second (0 = off)")
	seedAccounts := fs.Int("seed-accounts", 0, "accounts to create at start (seed-1, seed-2, ...), as if made outside Terraform")
	quiet := fs.Bool("quiet", false, "do not log each request")
	urlFile := fs.String("url-file", "", "write the base URL (http://HOST:PORT/v4_1) to this file once listening")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	for _, v := range []struct{ name, val string }{{"balance", *balance}, {"price", *price}} {
		if v.val == "" {
			continue
		}
		if err := mockapi.ValidAmount(v.val); err != nil {
			return fmt.Errorf("-%s: %w", v.name, err)
		}
	}
	if *failureRate < 0 || *failureRate > 1 {
		return fmt.Errorf("-failure-rate must be within 0..1")
	}
	if *rps < 0 {
		return fmt.Errorf("-rps must not be negative")
	}
	if *seedAccounts < 0 {
		return fmt.Errorf("-seed-accounts must not be negative")
	}

	api := mockapi.New(mockapi.Options{Token: *token, Balance: *balance, AccountPrice: *price, MaxPerPage: *maxPerPage})
	api.SetLatency(*latency)
	api.SetFailureRate(*failureRate)
	api.SetRateLimit(*rps)
	api.SeedAccounts(*seedAccounts, "seed-")

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	baseURL := "http://" + ln.Addr().String() + mockapi.PathPrefix
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(baseURL+"\n"), 0o644); err != nil {
			ln.Close()
			return err
		}
	}
	logger := log.New(stderr, "", log.LstdFlags|log.Lmicroseconds)
	logger.Printf("vpnresellers-mock listening on %s", baseURL)

	handler := withControl(api)
	if !*quiet {
		handler = logRequests(logger, handler)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	if serveErr := <-errc; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	logger.Printf("vpnresellers-mock stopped")
	return err
}

// withControl serves the control endpoints and hands every other request,
// untouched, to the API.
func withControl(api *mockapi.Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/_mock/counts" && r.Method == http.MethodGet:
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(api.Counts())
		case r.URL.Path == "/_mock/limited" && r.Method == http.MethodGet:
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]int{"429": api.RateLimited()})
		case r.URL.Path == "/_mock/counts/reset" && r.Method == http.MethodPost:
			api.ResetCounts()
			w.WriteHeader(http.StatusNoContent)
		default:
			api.ServeHTTP(w, r)
		}
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// logRequests logs method, path, status and duration of each request.
func logRequests(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := "-" // nothing written: the client went away
		if rec.status != 0 {
			status = fmt.Sprint(rec.status)
		}
		logger.Printf("%s %s %s %s", r.Method, r.URL.Path, status, time.Since(start).Round(time.Microsecond))
	})
}
