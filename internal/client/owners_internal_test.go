package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// ownersFixture is a client of a mock whose GET /customers can be held
// (hold) until release is closed.
type ownersFixture struct {
	c       *Client
	mock    *mockapi.Server
	mu      sync.Mutex
	hold    bool
	release chan struct{}
	project int64
}

func newOwnersFixture(t *testing.T) *ownersFixture {
	t.Helper()
	f := &ownersFixture{mock: mockapi.New(mockapi.Options{}), release: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		hold := f.hold
		f.mu.Unlock()
		if hold && r.Method == "GET" && r.URL.Path == "/v4_1/customers" {
			select {
			case <-f.release:
			case <-r.Context().Done():
				return
			}
		}
		f.mock.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL + "/v4_1", Token: f.mock.Token(), RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	f.c = c
	return f
}

// base makes customers with accounts each, and one account of no customer.
func (f *ownersFixture) base(t *testing.T, customers, accounts int) (custs []Customer, owned map[int64]int64, loose int64) {
	t.Helper()
	ctx := context.Background()
	owned = map[int64]int64{}
	p, err := f.c.CreateProject(ctx, ProjectRequest{Name: "Brand", Description: "owners"})
	if err != nil {
		t.Fatal(err)
	}
	f.project = p.ID
	n := 0
	for i := range customers {
		cu, err := f.c.CreateCustomer(ctx, CreateCustomerRequest{FirstName: "F", LastName: fmt.Sprint(i), Email: fmt.Sprintf("c%d@example.com", i), ProjectID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		custs = append(custs, *cu)
		for range accounts {
			n++
			a, err := f.c.CreateAccount(ctx, CreateAccountRequest{Username: fmt.Sprintf("u%03d", n), Password: "pass-word-1", Customer: &AccountCustomer{CustomerID: cu.ID}})
			if err != nil {
				t.Fatal(err)
			}
			owned[a.ID] = cu.ID
		}
	}
	a, err := f.c.CreateAccount(ctx, CreateAccountRequest{Username: "loose", Password: "pass-word-1"})
	if err != nil {
		t.Fatal(err)
	}
	return custs, owned, a.ID
}

func (f *ownersFixture) walks(t *testing.T) (customers, accountLists int) {
	t.Helper()
	n := f.mock.Counts()
	return n["GET /customers"], n["GET /customers/{id}/accounts"]
}

// Every lookup of a client shares one walk: one page of customers, one
// page of accounts per customer, however many accounts are looked up.
func TestOwners_shared(t *testing.T) {
	f := newOwnersFixture(t)
	custs, owned, loose := f.base(t, 3, 2)
	f.mock.ResetCounts()
	ctx := context.Background()
	for id, want := range owned {
		got, err := f.c.FindAccountCustomer(ctx, id)
		if err != nil || got == nil || got.ID != want {
			t.Fatalf("owner of %d: %+v, %v; want customer %d", id, got, err, want)
		}
	}
	if got, err := f.c.FindAccountCustomer(ctx, loose); err != nil || got != nil {
		t.Fatalf("owner of an account of no customer: %+v, %v", got, err)
	}
	o, err := f.c.AccountOwners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Customers()) != 3 {
		t.Errorf("customers %d, want 3", len(o.Customers()))
	}
	if accs, ok := o.Accounts(custs[1].ID); !ok || len(accs) != 2 {
		t.Errorf("accounts of customer %d: %v %v", custs[1].ID, accs, ok)
	}
	if cs, as := f.walks(t); cs != 1 || as != 3 {
		t.Errorf("%d lookups made %d GET /customers and %d GET /customers/{id}/accounts, want 1 and 3", len(owned)+2, cs, as)
	}
	// A password check is no write: the walk is still good.
	var one int64
	for id := range owned {
		one = id
		break
	}
	if _, err := f.c.ValidateAccount(ctx, one, "nobody", "x"); err == nil {
		t.Fatal("validate: want an error for an unknown username")
	}
	if _, err := f.c.FindAccountCustomer(ctx, one); err != nil {
		t.Fatal(err)
	}
	if cs, _ := f.walks(t); cs != 1 {
		t.Errorf("POST /accounts/{id}/validate made the walk stale: GET /customers %d, want 1", cs)
	}
}

// A write of this client that changes ownership makes the next lookup walk
// again, and see it.
func TestOwners_staleAfterWrites(t *testing.T) {
	f := newOwnersFixture(t)
	custs, _, loose := f.base(t, 2, 1)
	ctx := context.Background()
	f.mock.ResetCounts()
	if _, err := f.c.AccountOwners(ctx); err != nil {
		t.Fatal(err)
	}
	walks := 1
	step := func(what string, write func() error, check func(*Owners) error) {
		t.Helper()
		if err := write(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		o, err := f.c.AccountOwners(ctx)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		walks++
		if cs, _ := f.walks(t); cs != walks {
			t.Errorf("after %s: GET /customers %d times, want %d (walked again once)", what, cs, walks)
		}
		if err := check(o); err != nil {
			t.Errorf("after %s: %v", what, err)
		}
	}
	var created *Account
	step("an account create", func() (err error) {
		created, err = f.c.CreateAccount(ctx, CreateAccountRequest{Username: "new-one", Password: "pass-word-1", Customer: &AccountCustomer{CustomerID: custs[0].ID}})
		return err
	}, func(o *Owners) error {
		if c := o.CustomerOf(created.ID); c == nil || c.ID != custs[0].ID {
			return fmt.Errorf("new account's owner %+v, want %d", c, custs[0].ID)
		}
		return nil
	})
	step("an account delete", func() error { return f.c.DeleteAccount(ctx, created.ID) }, func(o *Owners) error {
		if c := o.CustomerOf(created.ID); c != nil {
			return fmt.Errorf("deleted account still owned by %d", c.ID)
		}
		return nil
	})
	var cust *Customer
	step("a customer create", func() (err error) {
		cust, err = f.c.CreateCustomer(ctx, CreateCustomerRequest{FirstName: "N", LastName: "C", Email: "new@example.com", ProjectID: f.project})
		return err
	}, func(o *Owners) error {
		if _, ok := o.Accounts(cust.ID); !ok {
			return fmt.Errorf("new customer %d not in the walk", cust.ID)
		}
		return nil
	})
	step("a customer delete", func() error { return f.c.DeleteCustomer(ctx, cust.ID) }, func(o *Owners) error {
		if _, ok := o.Accounts(cust.ID); ok {
			return fmt.Errorf("deleted customer %d still in the walk", cust.ID)
		}
		return nil
	})
	// A refused write (the customer has accounts) may still have changed
	// something as far as the client knows: stale too.
	step("a refused customer delete", func() error {
		if err := f.c.DeleteCustomer(ctx, custs[0].ID); err == nil {
			return errors.New("deleting a customer with accounts succeeded")
		}
		return nil
	}, func(o *Owners) error {
		if o.CustomerOf(loose) != nil {
			return errors.New("the account of no customer has an owner")
		}
		return nil
	})
}

// waitWaiters blocks until n callers wait on the walk in flight.
func (f *ownersFixture) waitWaiters(t *testing.T, n int) {
	t.Helper()
	for {
		f.c.owners.mu.Lock()
		got := 0
		if fl := f.c.owners.flight; fl != nil {
			got = fl.waiters
		}
		f.c.owners.mu.Unlock()
		if got == n {
			return
		}
		runtime.Gosched()
	}
}

// Callers asking at once share the one walk in flight; one whose context
// ends stops waiting without failing the others.
func TestOwners_concurrentCallers(t *testing.T) {
	f := newOwnersFixture(t)
	_, owned, _ := f.base(t, 4, 3)
	f.mock.ResetCounts()
	f.mu.Lock()
	f.hold = true
	f.mu.Unlock()

	const callers = 8
	results := make([]*Owners, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = f.c.AccountOwners(context.Background())
		}()
	}
	f.waitWaiters(t, callers)
	// One more, whose context ends while it waits.
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() {
		_, err := f.c.AccountOwners(ctx)
		gone <- err
	}()
	f.waitWaiters(t, callers+1)
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Errorf("the caller whose context ended: %v, want context.Canceled", err)
	}
	close(f.release)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || results[i] != results[0] {
			t.Fatalf("caller %d: %p, %v; want the shared walk %p", i, results[i], errs[i], results[0])
		}
	}
	for id, want := range owned {
		if c := results[0].CustomerOf(id); c == nil || c.ID != want {
			t.Errorf("owner of %d: %+v, want %d", id, c, want)
		}
	}
	if cs, as := f.walks(t); cs != 1 || as != 4 {
		t.Errorf("%d callers made %d GET /customers and %d GET /customers/{id}/accounts, want 1 and 4", callers+1, cs, as)
	}
}

// When every caller stops waiting, the walk stops and is not kept; the next
// caller walks again.
func TestOwners_abandonedWalk(t *testing.T) {
	f := newOwnersFixture(t)
	f.base(t, 2, 1)
	f.mock.ResetCounts()
	f.mu.Lock()
	f.hold = true
	f.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.c.AccountOwners(ctx)
		done <- err
	}()
	f.waitWaiters(t, 1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned caller: %v", err)
	}
	f.c.owners.mu.Lock()
	fl, have := f.c.owners.flight, f.c.owners.have
	f.c.owners.mu.Unlock()
	if fl != nil || have != nil {
		t.Fatalf("after every caller left: flight %v, kept %v; want neither", fl, have)
	}
	close(f.release)
	o, err := f.c.AccountOwners(context.Background())
	if err != nil || len(o.Customers()) != 2 {
		t.Fatalf("next caller: %v, %v", o, err)
	}
}
