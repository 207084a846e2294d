package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRun_servesAndShutsDown(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-url-file", urlFile, "-token", "tok-123", "-balance", "9.99"}, &logs)
	}()

	var base string
	for deadline := time.Now().Add(10 * time.Second); ; {
		data, err := os.ReadFile(urlFile)
		if err == nil && strings.HasSuffix(string(data), "\n") {
			base = strings.TrimSuffix(string(data), "\n")
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("url file not written")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/v4_1") {
		t.Fatalf("base URL %q", base)
	}

	req, _ := http.NewRequest(http.MethodGet, base+"/profile", nil)
	req.Header.Set("Authorization", "Bearer tok-123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"balance":"9.99"`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	resp, err = http.Post(base+"/accounts", "application/json", strings.NewReader(`{"username":"u","password":"p4ssword"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("unauthenticated create: %d", resp.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no shutdown")
	}
	out := logs.String()
	for _, want := range []string{"GET /v4_1/profile 200", "POST /v4_1/accounts 401", "stopped"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{"tok-123", "p4ssword", "Bearer"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}

func TestRun_rejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-balance", "lots"},
		{"-price", "1.234"},
		{"-failure-rate", "2"},
		{"-rps", "-1"},
		{"-seed-accounts", "-1"},
		{"-nope"},
		{"extra"},
	} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("run(%v) succeeded", args)
		}
	}
}

func TestControlEndpoints_countAndReset(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-url-file", urlFile, "-quiet", "-seed-accounts", "3", "-rps", "2"}, &logs)
	}()
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; time.Sleep(10 * time.Millisecond) {
		if data, err := os.ReadFile(urlFile); err == nil && strings.HasSuffix(string(data), "\n") {
			base = strings.TrimSuffix(string(data), "\n")
		} else if time.Now().After(deadline) {
			t.Fatal("url file not written")
		}
	}
	root := strings.TrimSuffix(base, "/v4_1")

	get := func(url string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer test-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	// -rps 2: a bucket of two requests, then 429s.
	if got := get(base + "/accounts"); !strings.Contains(got, `"total":3`) {
		t.Errorf("-seed-accounts 3: the account list is %s", got)
	}
	get(base + "/profile")
	get(base + "/profile")
	if got := get(root + "/_mock/counts"); !strings.Contains(got, `"GET /profile":2`) {
		t.Errorf("counts after two profile reads: %s", got)
	}
	if got := strings.TrimSpace(get(root + "/_mock/limited")); got != `{"429":1}` {
		t.Errorf("limited after three requests at -rps 2: %s", got)
	}
	resp, err := http.Post(root+"/_mock/counts/reset", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("reset: %d", resp.StatusCode)
	}
	if got := strings.TrimSpace(get(root + "/_mock/counts")); got != "{}" {
		t.Errorf("counts after reset: %s", got)
	}
	if got := strings.TrimSpace(get(root + "/_mock/limited")); got != `{"429":0}` {
		t.Errorf("limited after reset: %s", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if out := logs.String(); strings.Contains(out, "/profile") {
		t.Errorf("-quiet still logs requests:\n%s", out)
	}
}
