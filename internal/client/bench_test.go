package client_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// BenchmarkListAllAccounts walks 5,000 accounts (50 pages of 100) from a
// server that takes 2ms a request, with pages fetched one at a time and
// side by side. Compare ns/op between the sub-benchmarks.
func BenchmarkListAllAccounts(b *testing.B) {
	m := mockapi.New(mockapi.Options{})
	m.SeedAccounts(5000, "user")
	m.SetLatency(2 * time.Millisecond)
	srv := httptest.NewServer(m)
	defer srv.Close()
	for _, bc := range []struct {
		name    string
		workers int
	}{{"sequential", 1}, {"workers=4", 4}, {"workers=8", 8}} {
		b.Run(bc.name, func(b *testing.B) {
			c, err := client.New(client.Config{BaseURL: srv.URL + "/v4_1", Token: m.Token(), MaxInFlight: bc.workers})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				accs, err := c.ListAllAccounts(context.Background(), "")
				if err != nil || len(accs) != 5000 {
					b.Fatalf("%d accounts, %v", len(accs), err)
				}
			}
		})
	}
}

// BenchmarkGetAccount measures one request's client-side overhead against
// the in-process mock.
func BenchmarkGetAccount(b *testing.B) {
	m := mockapi.New(mockapi.Options{})
	ids := m.SeedAccounts(1, "user")
	srv := httptest.NewServer(m)
	defer srv.Close()
	c, err := client.New(client.Config{BaseURL: srv.URL + "/v4_1", Token: m.Token()})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetAccount(context.Background(), int64(ids[0])); err != nil {
			b.Fatal(err)
		}
	}
}
