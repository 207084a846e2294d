package client_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// Reads of single objects are served by pages once that is cheaper
// (ReadAccount, ReadCustomer, ReadProject): the costs the issue names, the
// answers the same as GETs', and a GET wherever a page could be wrong.

// readAll reads ids through read with the given number of callers at once,
// as Terraform refreshes resources side by side, and fails on any error.
func readAll(t *testing.T, ids []int64, callers int, read func(context.Context, int64) (int64, error)) {
	t.Helper()
	var wg sync.WaitGroup
	next := make(chan int64)
	errs := make(chan error, len(ids))
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				got, err := read(context.Background(), id)
				if err == nil && got != id {
					err = fmt.Errorf("read %d answered %d", id, got)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func int64s(ids []int) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return out
}

func readAccountID(c *client.Client) func(context.Context, int64) (int64, error) {
	return func(ctx context.Context, id int64) (int64, error) {
		a, err := c.ReadAccount(ctx, id)
		if err != nil {
			return 0, err
		}
		return a.ID, nil
	}
}

func apiCalls(m *mockapi.Server) int {
	n := 0
	for _, c := range m.Counts() {
		n += c
	}
	return n
}

func TestReadAccount_manyAmongFewCostPages(t *testing.T) {
	for _, callers := range []int{1, 10} {
		t.Run(fmt.Sprintf("%d at once", callers), func(t *testing.T) {
			f := newFixture(t)
			ids := int64s(f.mock.SeedAccounts(1000, "u"))
			f.mock.ResetCounts()
			readAll(t, ids[300:500], callers, readAccountID(f.client))
			if n := apiCalls(f.mock); n > 30 {
				t.Errorf("200 reads among 1,000 accounts made %d API calls, want at most 30: %v", n, f.mock.Counts())
			}
			// Later reads cost nothing more.
			f.mock.ResetCounts()
			readAll(t, ids[:100], callers, readAccountID(f.client))
			if n := apiCalls(f.mock); n != 0 {
				t.Errorf("reads after the walk made %d API calls: %v", n, f.mock.Counts())
			}
		})
	}
}

func TestReadAccount_fewAmongManyCostGETs(t *testing.T) {
	f := newFixture(t)
	ids := int64s(f.mock.SeedAccounts(20000, "u"))
	f.mock.ResetCounts()
	readAll(t, []int64{ids[5], ids[9000], ids[12000], ids[19999], ids[42]}, 1, readAccountID(f.client))
	if n := apiCalls(f.mock); n > 10 {
		t.Errorf("5 reads among 20,000 accounts made %d API calls, want at most 10: %v", n, f.mock.Counts())
	}
	if n := f.mock.Count("GET /accounts"); n > 1 {
		t.Errorf("5 reads among 20,000 accounts fetched %d pages of the list, want at most the first", n)
	}
}

func TestReadAccount_fewNeverList(t *testing.T) {
	f := newFixture(t)
	ids := int64s(f.mock.SeedAccounts(30, "u"))
	f.mock.ResetCounts()
	readAll(t, ids[:4], 1, readAccountID(f.client))
	if n, pages := apiCalls(f.mock), f.mock.Count("GET /accounts"); n != 4 || pages != 0 {
		t.Errorf("4 reads made %d calls, %d of them pages; want 4 GETs", n, pages)
	}
}

// An object the walk does not show is asked for: only the API's answer
// says it is gone, and one the walk missed is found.
func TestReadAccount_notShownIsAskedFor(t *testing.T) {
	f := newFixture(t)
	ids := int64s(f.mock.SeedAccounts(50, "u"))
	readAll(t, ids[:10], 1, readAccountID(f.client)) // the first page holds all 50: walked
	gone := ids[20]
	if err := f.another(t).DeleteAccount(context.Background(), gone); err != nil {
		t.Fatal(err)
	}
	f.mock.ResetCounts()
	// Shown by the walk, though deleted since by someone else: as a GET
	// made when the walk was would have said.
	if _, err := f.client.ReadAccount(context.Background(), gone); err != nil {
		t.Fatalf("an account the walk showed: %v", err)
	}
	// Made since by someone else: not shown, asked for.
	made, err := f.another(t).CreateAccount(context.Background(), client.CreateAccountRequest{Username: "later", Password: "pass-word-1"})
	if err != nil {
		t.Fatal(err)
	}
	f.mock.ResetCounts()
	if a, err := f.client.ReadAccount(context.Background(), made.ID); err != nil || a.Username != "later" {
		t.Fatalf("an account made after the walk: %+v, %v", a, err)
	}
	// Never existed: the API's own answer.
	_, err = f.client.ReadAccount(context.Background(), 999999)
	if !client.IsGone(err, client.KindAccount) {
		t.Fatalf("an account that does not exist: %v, want the API's not found", err)
	}
	if n := f.mock.Count("GET /accounts/{id}"); n != 2 {
		t.Errorf("GET /accounts/{id} %d times, want 2 (the accounts the walk did not show)", n)
	}
}

// A write of this client makes the walk's copy of that object stale: it is
// read again, and the others still come from the walk.
func TestReadAccount_staleAfterItsWrites(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ids := int64s(f.mock.SeedAccounts(50, "u"))
	readAll(t, ids[:10], 1, readAccountID(f.client))
	if _, err := f.client.DisableAccount(ctx, ids[30]); err != nil {
		t.Fatal(err)
	}
	f.mock.ResetCounts()
	a, err := f.client.ReadAccount(ctx, ids[30])
	if err != nil || a.Status != "Disabled" {
		t.Fatalf("an account disabled after the walk: %+v, %v; want Disabled", a, err)
	}
	if b, err := f.client.ReadAccount(ctx, ids[31]); err != nil || b.Status != "Active" {
		t.Fatalf("another account: %+v, %v", b, err)
	}
	if n := apiCalls(f.mock); n != 1 || f.mock.Count("GET /accounts/{id}") != 1 {
		t.Errorf("after a write: %v, want one GET of the written account", f.mock.Counts())
	}
}

// A list that cannot be walked costs nothing but its attempt: the reads go
// on as GETs, and answer.
func TestReadAccount_failedWalkFallsBackToGETs(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.MaxRetries = -1 })
	ids := int64s(f.mock.SeedAccounts(1000, "u"))
	f.mock.FailNext("GET /accounts", 1000, mockapi.FailServerError)
	f.mock.ResetCounts()
	readAll(t, ids[:100], 4, readAccountID(f.client))
	if n := f.mock.Count("GET /accounts"); n > 1 {
		t.Errorf("the list was asked for %d times after it failed, want once", n)
	}
	if n := f.mock.Count("GET /accounts/{id}"); n != 100 {
		t.Errorf("GET /accounts/{id} %d times, want every read", n)
	}
}

func TestReadCustomerAndProject_servedByPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var projects, customers []int64
	for i := range 30 {
		p, err := f.client.CreateProject(ctx, client.ProjectRequest{Name: fmt.Sprintf("p%d", i), Description: "d"})
		if err != nil {
			t.Fatal(err)
		}
		projects = append(projects, p.ID)
		cu, err := f.client.CreateCustomer(ctx, client.CreateCustomerRequest{FirstName: "F", LastName: "L", Email: fmt.Sprintf("c%d@example.com", i), ProjectID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		customers = append(customers, cu.ID)
	}
	c := f.another(t)
	f.mock.ResetCounts()
	readAll(t, projects, 1, func(ctx context.Context, id int64) (int64, error) {
		p, err := c.ReadProject(ctx, id)
		if err != nil {
			return 0, err
		}
		return p.ID, nil
	})
	readAll(t, customers, 1, func(ctx context.Context, id int64) (int64, error) {
		cu, err := c.ReadCustomer(ctx, id)
		if err != nil {
			return 0, err
		}
		return cu.ID, nil
	})
	if n := apiCalls(f.mock); n != 10 {
		t.Errorf("30 projects and 30 customers (one page each) made %d calls: %v; want 4 GETs and the first page, each", n, f.mock.Counts())
	}
}
