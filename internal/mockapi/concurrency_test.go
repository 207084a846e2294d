package mockapi

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
)

func TestCreates_concurrent(t *testing.T) {
	s, c := newAPI(t, Options{Balance: "1000000"})
	const workers, perWorker = 16, 12
	var wg sync.WaitGroup
	var mu sync.Mutex
	usernames := map[string]int{}
	ips := map[string]int{}
	var created, conflicts atomic.Int64

	pid := c.createProject("shared")
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				// Every worker also races for one shared name per round.
				for _, name := range []string{fmt.Sprintf("w%d_%d", w, i), fmt.Sprintf("shared_%d", i)} {
					r := c.post("/accounts", map[string]any{"username": name, "password": "secret1",
						"customer": map[string]any{"first_name": "F", "last_name": "L", "email": name + "@example.com", "project_id": pid}})
					switch r.status {
					case http.StatusCreated:
						created.Add(1)
						d := r.data(t)
						mu.Lock()
						usernames[d["username"].(string)]++
						ips[d["wg_ip"].(string)]++
						mu.Unlock()
					case http.StatusUnprocessableEntity:
						conflicts.Add(1)
					default:
						t.Errorf("unexpected %d %s", r.status, r.raw)
					}
				}
				c.get("/accounts?per_page=5").mustStatus(t, 200)
				c.get(path("/projects/%d/accounts", pid)).mustStatus(t, 200)
			}
		})
	}
	// Knobs and introspection change concurrently with the traffic.
	wg.Go(func() {
		for i := range 200 {
			s.SetLatency(0)
			s.SetFailureRate(0)
			s.SetRateLimit(0)
			s.SetAccountPrice(fmt.Sprintf("0.0%d", i%10))
			s.FailNext("GET /nothing", 1, FailBefore)
			_ = s.Counts()
			_ = s.Count("POST /accounts")
			s.Len()
			_ = s.Balance()
		}
	})
	wg.Wait()

	wantCreated := int64(workers*perWorker + perWorker)
	if created.Load() != wantCreated || conflicts.Load() != int64(workers*perWorker*2)-wantCreated {
		t.Errorf("created %d (want %d), conflicts %d", created.Load(), wantCreated, conflicts.Load())
	}
	for name, n := range usernames {
		if n != 1 {
			t.Errorf("username %s created %d times", name, n)
		}
	}
	for ip, n := range ips {
		if n != 1 {
			t.Errorf("wg_ip %s given %d times", ip, n)
		}
	}
	_, customers, accounts := s.Len()
	if accounts != int(wantCreated) || customers != int(wantCreated) || len(ips) != int(wantCreated) {
		t.Errorf("Len: %d customers %d accounts, %d ips", customers, accounts, len(ips))
	}
	if got := s.Count("POST /accounts"); got != workers*perWorker*2 {
		t.Errorf("POST /accounts counted %d", got)
	}
	// Every account is listed exactly once across pages.
	seen := map[int]bool{}
	for page := 1; ; page++ {
		r := c.get(path("/accounts?per_page=50&page=%d", page)).mustStatus(t, 200)
		items := r.list(t)
		if len(items) == 0 {
			break
		}
		for _, id := range ids(t, items) {
			if seen[id] {
				t.Fatalf("account %d listed twice", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != int(wantCreated) {
		t.Errorf("listed %d accounts", len(seen))
	}
}
