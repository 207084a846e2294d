package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// kindCase creates one object of a kind and counts the objects on the mock.
type kindCase struct {
	kind   string
	post   string
	create func(context.Context, *client.Client) (int64, error)
	count  func(*fixture) int
}

func kinds(t *testing.T, fx *fixture) []kindCase {
	t.Helper()
	project := int64(fx.mock.SeedProject("home", "of the customers"))
	return []kindCase{
		{"account", "POST /accounts", func(ctx context.Context, c *client.Client) (int64, error) {
			a, err := c.CreateAccount(ctx, client.CreateAccountRequest{Username: "alice", Password: "secret-1"})
			if err != nil {
				return 0, err
			}
			return a.ID, nil
		}, func(fx *fixture) int { _, _, n := fx.mock.Len(); return n }},
		{"customer", "POST /customers", func(ctx context.Context, c *client.Client) (int64, error) {
			cu, err := c.CreateCustomer(ctx, client.CreateCustomerRequest{FirstName: "J", LastName: "D", Email: "j@example.com", ProjectID: project})
			if err != nil {
				return 0, err
			}
			return cu.ID, nil
		}, func(fx *fixture) int { _, n, _ := fx.mock.Len(); return n }},
		{"project", "POST /projects", func(ctx context.Context, c *client.Client) (int64, error) {
			pr, err := c.CreateProject(ctx, client.ProjectRequest{Name: "Acme", Description: "VPN"})
			if err != nil {
				return 0, err
			}
			return pr.ID, nil
		}, func(fx *fixture) int { n, _, _ := fx.mock.Len(); return n - 1 }}, // less the seeded one
	}
}

// Every way an answer can be lost or spoiled after the API acted ends with
// exactly one object, adopted, and a single POST.
func TestCreate_afterALostOrSpoiledAnswerMakesExactlyOne(t *testing.T) {
	faults := map[string]mockapi.Interceptor{
		"EOF":            actThen(drop),
		"reset":          actThen(reset),
		"502":            actThen(answer(502, "application/json", `{"message":"Bad Gateway","code":502}`)),
		"HTML 502":       actThen(answer(502, "text/html", "<html><body>Bad Gateway</body></html>")),
		"HTML sign-in":   actThen(answer(200, "text/html", htmlPage)),
		"truncated JSON": actThenMangle(200, func(s string) string { return s[:len(s)/2] }),
		"no data":        actThen(answer(200, "application/json", `{"code":200}`)),
		"empty data":     actThen(answer(200, "application/json", `{"data":{},"code":200}`)),
		"nested data":    actThenMangle(200, func(s string) string { return `{"data":` + s + `,"code":200}` }),
		"another object": actThen(answer(200, "application/json", `{"data":{"id":99,"username":"mallory","email":"m@example.com","name":"Other"},"code":200}`)),
		"timeout":        actThen(stall),
	}
	for name, f := range faults {
		t.Run(name, func(t *testing.T) {
			fx := newFixture(t)
			for _, k := range kinds(t, fx) {
				c := fx.another(t, func(c *client.Config) { c.RequestTimeout = 300 * time.Millisecond })
				fx.mock.InterceptNext(k.post, f)
				id, err := k.create(ctx(t), c)
				if err != nil {
					t.Fatalf("%s: %v", k.kind, err)
				}
				if n := k.count(fx); n != 1 || id <= 0 {
					t.Errorf("%s: %d on the API, id %d", k.kind, n, id)
				}
				if got := fx.mock.Count(k.post); got != 1 {
					t.Errorf("%s: %d POSTs, want 1", k.kind, got)
				}
			}
		})
	}
}

// A transient failure never makes an object someone else made this
// create's own.
func TestCreate_neverTakesOverAnExistingObject(t *testing.T) {
	fx := newFixture(t)
	hand := fx.another(t)
	project := must[*client.Project](t)(hand.CreateProject(ctx(t), client.ProjectRequest{Name: "p", Description: "d"}))
	old := must[*client.Account](t)(hand.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "secret-1"}))
	oldCust := must[*client.Customer](t)(hand.CreateCustomer(ctx(t), client.CreateCustomerRequest{FirstName: "J", LastName: "D", Email: "j@example.com", ProjectID: project.ID}))

	c := fx.another(t) // a later run
	for _, post := range []string{"POST /accounts", "POST /customers"} {
		fx.mock.InterceptNext(post, answer(500, "application/json", `{"message":"Server Error.","code":500}`))
	}
	_, err := c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "secret-1"})
	var exists *client.ExistingObjectError
	if !errors.As(err, &exists) || exists.ID != old.ID || exists.Ref != "alice" || !strings.Contains(err.Error(), "not taken over") {
		t.Errorf("account: want an existing-object error naming %d, to import by its username, got %v", old.ID, err)
	}
	_, err = c.CreateCustomer(ctx(t), client.CreateCustomerRequest{FirstName: "J", LastName: "D", Email: "J@example.com", ProjectID: project.ID})
	if !errors.As(err, &exists) || exists.ID != oldCust.ID || !strings.Contains(err.Error(), "not taken over") {
		t.Errorf("customer: want an existing-object error naming %d, got %v", oldCust.ID, err)
	}
	if projects, customers, accounts := fx.mock.Len(); projects != 1 || customers != 1 || accounts != 1 {
		t.Errorf("objects %d/%d/%d, want 1/1/1", projects, customers, accounts)
	}
	if got := fx.mock.Count("POST /accounts"); got != 2 { // the hand-made one and the failed one
		t.Errorf("%d account POSTs", got)
	}
}

// Names of projects are not unique: only a project newer than the mark can
// be this create's, and when two are, neither is adopted.
func TestCreateProject_withSeveralNewCandidatesFailsLoudly(t *testing.T) {
	fx := newFixture(t)
	fx.mock.SeedProject("Acme", "VPN") // old: never a candidate
	c := fx.another(t)
	fx.mock.InterceptNext("POST /projects", actTwice)
	_, err := c.CreateProject(ctx(t), client.ProjectRequest{Name: "Acme", Description: "VPN"})
	var unknown *client.UnknownOutcomeError
	if !errors.As(err, &unknown) || len(unknown.Candidates) != 2 || !strings.Contains(err.Error(), "ids 2, 3") {
		t.Fatalf("want an unknown outcome listing ids 2 and 3, got %v", err)
	}
	if got := fx.mock.Count("POST /projects"); got != 1 {
		t.Errorf("%d POSTs, want 1", got)
	}
}

// After a timeout the server may still act: a project, which has no unique
// key, is not sent again, and the error carries what a later run needs to
// find it.
func TestCreateProject_timeoutIsNotRetriedAndCanBeSettledLater(t *testing.T) {
	fx := newFixture(t)
	release, acted := make(chan struct{}), make(chan struct{})
	fx.mock.InterceptNext("POST /projects", func(m http.Handler, w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		stall(m, w, r) // until the client gives up
		<-release
		late := r.Clone(context.WithoutCancel(r.Context()))
		late.Body = io.NopCloser(bytes.NewReader(body))
		act(m, late)
		close(acted)
	})
	c := fx.another(t, func(c *client.Config) { c.RequestTimeout = 200 * time.Millisecond })
	_, err := c.CreateProject(ctx(t), client.ProjectRequest{Name: "Acme", Description: "VPN"})
	var unknown *client.UnknownOutcomeError
	if !errors.As(err, &unknown) || !errors.Is(err, client.ErrTimeout) || !errors.Is(err, client.ErrUnknownOutcome) {
		t.Fatalf("want an unknown outcome after a timeout, got %v", err)
	}
	if !strings.Contains(err.Error(), "request timeout (200ms)") {
		t.Errorf("message lacks the timeout setting: %v", err)
	}
	if got := fx.mock.Count("POST /projects"); got != 1 {
		t.Errorf("%d POSTs, want 1", got)
	}
	pending := unknown.Pending
	if pending.Kind != client.KindProject || pending.Name != "Acme" || pending.Description != "VPN" {
		t.Errorf("pending %+v", pending)
	}
	// The server acts late; the next run finds that object before it would
	// create another.
	close(release)
	<-acted
	next := fx.another(t)
	ids := must[[]int64](t)(next.FindPendingCreate(ctx(t), pending))
	if len(ids) != 1 || ids[0] <= pending.Mark {
		t.Errorf("found %v above mark %d, want one", ids, pending.Mark)
	}
	// Nothing else is matched: an older project with the same name is not.
	pending.Mark = ids[0]
	if ids := must[[]int64](t)(next.FindPendingCreate(ctx(t), pending)); len(ids) != 0 {
		t.Errorf("found %v above the newest id", ids)
	}
}

// A 422 "already taken" after an attempt that may have acted is an unknown
// outcome with the import command, never a plain validation error.
func TestCreate_alreadyTakenAfterAPossiblyActedCreateIsAnUnknownOutcome(t *testing.T) {
	fx := newFixture(t)
	c := fx.another(t)
	other := fx.another(t)
	fx.mock.InterceptNext("POST /accounts", answer(503, "application/json", `{"message":"Service Unavailable.","code":503}`))
	// While the client looks, someone else takes the username (with another
	// password, so the lookup does not see it).
	fx.mock.InterceptNext("GET /un/accounts/show", func(m http.Handler, w http.ResponseWriter, r *http.Request) {
		if _, err := other.CreateAccount(r.Context(), client.CreateAccountRequest{Username: "alice", Password: "other-pw-1"}); err != nil {
			t.Error(err)
		}
		m.ServeHTTP(w, r)
	})
	_, err := c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "secret-1"})
	var unknown *client.UnknownOutcomeError
	if !errors.As(err, &unknown) || errors.Is(err, client.ErrValidation) || !strings.Contains(err.Error(), `username "alice"`) {
		t.Fatalf("want an unknown outcome naming the username, got %v", err)
	}
	if got := fx.mock.Count("POST /accounts"); got != 3 { // ours twice, the other's once
		t.Errorf("%d POSTs", got)
	}
}

// The POSTs of a create and the lookups that settle them share one budget:
// with MaxRetries 4, never more than 5 POSTs, and fewer when lookups fail.
func TestCreate_hasOneRetryBudget(t *testing.T) {
	unavailable := answer(503, "application/json", `{"message":"Service Unavailable.","code":503}`)
	fx := newFixture(t)
	c := fx.another(t)
	for range 30 {
		fx.mock.InterceptNext("POST /accounts", unavailable)
	}
	_, err := c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "secret-1"})
	if !errors.Is(err, client.ErrUnknownOutcome) {
		t.Fatalf("want an unknown outcome, got %v", err)
	}
	if posts, looks := fx.mock.Count("POST /accounts"), fx.mock.Count("GET /un/accounts/show"); posts != 5 || looks != 5 {
		t.Errorf("%d POSTs and %d lookups, want 5 and 5", posts, looks)
	}

	fx2 := newFixture(t)
	c = fx2.another(t)
	for range 30 {
		fx2.mock.InterceptNext("POST /accounts", unavailable)
	}
	for range 3 {
		fx2.mock.InterceptNext("GET /un/accounts/show", unavailable)
	}
	_, err = c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "secret-1"})
	if !errors.Is(err, client.ErrUnknownOutcome) {
		t.Fatalf("want an unknown outcome, got %v", err)
	}
	// 3 lookup retries + 1 POST retry = the budget of 4.
	if posts, looks := fx2.mock.Count("POST /accounts"), fx2.mock.Count("GET /un/accounts/show"); posts != 2 || looks != 5 {
		t.Errorf("%d POSTs and %d lookups, want 2 and 5", posts, looks)
	}
}

// Ctrl-C: a create already sent is waited for and its object returned; a
// create not yet sent is not sent.
func TestCreate_cancelledIsNotAbandoned(t *testing.T) {
	fx := newFixture(t)
	received, cancelled := make(chan struct{}), make(chan struct{})
	fx.mock.InterceptNext("POST /accounts", func(m http.Handler, w http.ResponseWriter, r *http.Request) {
		close(received)
		<-cancelled
		m.ServeHTTP(w, r)
	})
	c := fx.another(t)
	cctx, cancel := context.WithCancel(ctx(t))
	done := make(chan error)
	var acc *client.Account
	go func() {
		var err error
		acc, err = c.CreateAccount(cctx, client.CreateAccountRequest{Username: "alice", Password: "secret-1"})
		done <- err
	}()
	<-received
	cancel()
	close(cancelled)
	if err := <-done; err != nil || acc == nil || acc.Username != "alice" {
		t.Fatalf("cancelled create: %v %v", acc, err)
	}
	if _, _, n := fx.mock.Len(); n != 1 {
		t.Errorf("%d accounts", n)
	}
	if _, err := c.CreateAccount(cctx, client.CreateAccountRequest{Username: "bob", Password: "secret-1"}); !errors.Is(err, context.Canceled) {
		t.Errorf("create after cancel: %v", err)
	}
	if got := fx.mock.Count("POST /accounts"); got != 1 {
		t.Errorf("%d POSTs, want 1", got)
	}
}

// The detached context of a create is bounded: an API that never answers
// cannot hold a cancelled run for ever.
func TestCreate_cancelledIsBounded(t *testing.T) {
	fx := newFixture(t)
	received := make(chan struct{})
	fx.mock.InterceptNext("POST /projects", func(m http.Handler, w http.ResponseWriter, r *http.Request) {
		close(received)
		stall(m, w, r)
	})
	c := fx.another(t, func(c *client.Config) { c.RequestTimeout = time.Hour; c.CancelGrace = 50 * time.Millisecond })
	cctx, cancel := context.WithCancel(ctx(t))
	go func() { <-received; cancel() }()
	_, err := c.CreateProject(cctx, client.ProjectRequest{Name: "Acme", Description: "VPN"})
	if !errors.Is(err, client.ErrUnknownOutcome) {
		t.Fatalf("want an unknown outcome, got %v", err)
	}
}

// A server that acts shortly after the client gave up is caught by a second
// look one request_timeout later: one project, adopted, one POST.
func TestCreateProject_actingLateIsFoundByASecondLook(t *testing.T) {
	fx := newFixture(t)
	fx.mock.InterceptNext("POST /projects", func(m http.Handler, w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		stall(m, w, r)
		late := r.Clone(context.WithoutCancel(r.Context()))
		late.Body = io.NopCloser(bytes.NewReader(body))
		act(m, late)
	})
	c := fx.another(t, func(c *client.Config) { c.RequestTimeout = 300 * time.Millisecond })
	pr, err := c.CreateProject(ctx(t), client.ProjectRequest{Name: "Acme", Description: "VPN"})
	if err != nil {
		t.Fatal(err)
	}
	if n, _, _ := fx.mock.Len(); n != 1 || pr.ID != 1 || fx.mock.Count("POST /projects") != 1 {
		t.Errorf("%d projects, adopted %d, %d POSTs", n, pr.ID, fx.mock.Count("POST /projects"))
	}
}

// An object this client made for an earlier create is never taken for a
// later one with the same key.
func TestCreateProject_neverAdoptsAProjectItMadeForAnotherCreate(t *testing.T) {
	fx := newFixture(t)
	c := fx.another(t)
	first := must[*client.Project](t)(c.CreateProject(ctx(t), client.ProjectRequest{Name: "Acme", Description: "VPN"}))
	fx.mock.InterceptNext("POST /projects", actThen(answer(500, "application/json", `{"message":"Server Error.","code":500}`)))
	second := must[*client.Project](t)(c.CreateProject(ctx(t), client.ProjectRequest{Name: "Acme", Description: "VPN"}))
	if second.ID == first.ID {
		t.Errorf("the second create adopted the first project %d", first.ID)
	}
	if n, _, _ := fx.mock.Len(); n != 2 || fx.mock.Count("POST /projects") != 2 {
		t.Errorf("%d projects after %d POSTs", n, fx.mock.Count("POST /projects"))
	}
}
