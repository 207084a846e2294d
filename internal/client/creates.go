package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kinds of objects a create makes.
const (
	KindAccount  = "account"
	KindCustomer = "customer"
	KindProject  = "project"
)

// PendingCreate records a create whose outcome is unknown: its kind, the
// high-water mark taken before it (every object it may have made has a
// larger id) and the key it was made with. It holds no secret, so a caller
// may keep it (for example in a resource's private state) and settle the
// create later with FindPendingCreate before creating the object again.
type PendingCreate struct {
	Kind        string `json:"kind"`
	Mark        int64  `json:"mark"`
	Username    string `json:"username,omitempty"`    // accounts
	Email       string `json:"email,omitempty"`       // customers
	ProjectID   int64  `json:"project_id,omitempty"`  // customers
	Name        string `json:"name,omitempty"`        // projects
	Description string `json:"description,omitempty"` // projects
	// Claim is the one-time token the create put into the object (a
	// project's description, a customer's first name) until it is finished:
	// an object carrying it is ours, whoever else uses the same API account.
	Claim string `json:"claim,omitempty"`
}

// Proves reports whether an object FindPendingCreate finds for p is proven
// to be the one p's create made. Only a claim proves it. An account is
// settled with its password instead (SettleAccount), which p never holds.
func (p PendingCreate) Proves() bool { return p.Kind != KindAccount && p.Claim != "" }

// FindPendingCreate returns the ids, in ascending order, of the objects that
// match p and are newer than its mark: the objects the create p describes
// may have made. None means it made nothing. When p.Proves(), the match is
// by p's claim and a found object is ours; otherwise (accounts, and notes
// written before claims existed) the ids are only candidates, which may
// belong to someone else sharing the API account and are never adopted
// without proof.
func (c *Client) FindPendingCreate(ctx context.Context, p PendingCreate) ([]int64, error) {
	var ids []int64
	keep := func(id int64, match bool) {
		if match && id > p.Mark {
			ids = append(ids, id)
		}
	}
	switch p.Kind {
	case KindAccount:
		all, err := c.ListAllAccounts(ctx, "")
		if err != nil {
			return nil, err
		}
		for _, a := range all {
			keep(a.ID, a.Username == p.Username)
		}
	case KindCustomer:
		all, err := c.ListAllCustomers(ctx)
		if err != nil {
			return nil, err
		}
		for _, cu := range all {
			keep(cu.ID, sameEmail(cu.Email, p.Email) && cu.ProjectID == p.ProjectID && (p.Claim == "" || cu.FirstName == p.Claim))
		}
	case KindProject:
		all, err := c.ListAllProjects(ctx)
		if err != nil {
			return nil, err
		}
		for _, pr := range all {
			if p.Claim != "" {
				keep(pr.ID, pr.Description == p.Claim)
			} else {
				keep(pr.ID, pr.Name == p.Name && pr.Description == p.Description)
			}
		}
	default:
		return nil, fmt.Errorf("unknown kind %q", p.Kind)
	}
	return ids, nil
}

// ledger is a Client's memory of what it created: the high-water mark of
// each kind and the ids it created or adopted.
type ledger struct {
	mu      sync.Mutex
	marks   map[string]*markState
	claimed map[string]map[int64]bool
}

type markState struct {
	mu    sync.Mutex
	taken bool
	mark  int64
}

func (l *ledger) state(kind string) *markState {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.marks == nil {
		l.marks = map[string]*markState{}
	}
	if l.marks[kind] == nil {
		l.marks[kind] = &markState{}
	}
	return l.marks[kind]
}

// claim records id as made by this Client; false when it was already.
func (l *ledger) claim(kind string, id int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.claimed == nil {
		l.claimed = map[string]map[int64]bool{}
	}
	if l.claimed[kind] == nil {
		l.claimed[kind] = map[int64]bool{}
	}
	if l.claimed[kind][id] {
		return false
	}
	l.claimed[kind][id] = true
	return true
}

func (l *ledger) isClaimed(kind string, id int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.claimed[kind][id]
}

// highWater returns the largest id of kind (listed at path) that existed
// before this Client's first create of that kind, learning it on first use.
func (c *Client) highWater(ctx context.Context, kind, path string, b *budget) (int64, error) {
	st := c.ledger.state(kind)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.taken {
		return st.mark, nil
	}
	page := func(n int) (*Page[idOnly], error) {
		return getPage[idOnly](ctx, c, path, url.Values{"page": {strconv.Itoa(n)}, "per_page": {"1"}}, b)
	}
	// Lists are ordered by id: with one item a page, the last page holds the
	// newest. A page found empty (objects deleted in between) is asked again.
	for range 3 {
		first, err := page(1)
		if err != nil {
			return 0, err
		}
		mark := maxID(first.Data)
		last := first.Meta.LastPage
		if last > 1 && len(first.Data) > 0 {
			if last > MaxPages*DefaultPageSize {
				return 0, fmt.Errorf("GET %s claims %d pages of one %s each; refusing to trust it", c.shownURL(path, nil), last, kind)
			}
			tail, err := page(last)
			if err != nil {
				return 0, err
			}
			if len(tail.Data) == 0 {
				continue
			}
			mark = max(mark, maxID(tail.Data))
		}
		st.mark, st.taken = mark, true
		return mark, nil
	}
	return 0, fmt.Errorf("GET %s: the last page of %ss kept coming back empty; cannot tell new %ss from old ones", c.shownURL(path, nil), kind, kind)
}

type idOnly struct {
	ID int64 `json:"id"`
}

func (o idOnly) objectID() int64 { return o.ID }

func maxID[T interface{ objectID() int64 }](items []T) int64 {
	var m int64
	for _, it := range items {
		m = max(m, it.objectID())
	}
	return m
}

// createOp describes one create for the shared exactly-once engine.
type createOp[T interface{ objectID() int64 }] struct {
	kind    string
	path    string // the collection: POST to create, GET to list
	body    any
	key     string // for people: `username "alice"`
	ref     string // what a person refers to an existing object by ("" = its id)
	pending PendingCreate
	// sent reports what in an answer differs from what was sent ("" when
	// it is the object asked for).
	sent func(T) string
	// lookup returns the objects carrying the create's key, of any age.
	lookup func(ctx context.Context, b *budget) ([]T, error)
	// unique says the key is unique (accounts, customers).
	unique bool
	// finish, when set, replaces the claim the object was created with by
	// the real value (one more request).
	finish func(ctx context.Context, obj *T) error
}

// create runs op exactly once, or fails loudly, then finishes the object.
// See the package doc. When only the finish fails, both the object (as the
// API holds it, still carrying its claim) and an *IncompleteCreateError are
// returned.
func create[T interface{ objectID() int64 }](ctx context.Context, c *Client, op createOp[T]) (*T, error) {
	ctx, unbind := c.bound(ctx)
	defer unbind()
	obj, err := createOnce(ctx, c, op)
	if err != nil || op.finish == nil {
		return obj, err
	}
	dctx, stop := c.detach(ctx)
	defer stop()
	if err := op.finish(dctx, obj); err != nil {
		return obj, &IncompleteCreateError{Object: op.kind, ID: (*obj).objectID(), Err: err}
	}
	return obj, nil
}

// claimPrefix starts every one-time claim (newClaim).
const claimPrefix = "claim-"

// newClaim returns a one-time token that no other create uses.
func newClaim() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return claimPrefix + hex.EncodeToString(b[:])
}

// IsClaim reports whether s is a one-time claim as a create of this client
// sends it (a project's description, a customer's first name): an object
// that still carries one is a create that was never finished (the client,
// or the program using it, stopped between the POST and the PUT that sets
// the real value), by this or another user of the API account.
func IsClaim(s string) bool {
	rest, ok := strings.CutPrefix(s, claimPrefix)
	if !ok || len(rest) != 24 {
		return false
	}
	_, err := hex.DecodeString(rest)
	return err == nil && strings.ToLower(rest) == rest
}

func createOnce[T interface{ objectID() int64 }](ctx context.Context, c *Client, op createOp[T]) (*T, error) {
	b := c.newBudget()
	mark, err := c.highWater(ctx, op.kind, op.path, b)
	if err != nil {
		return nil, fmt.Errorf("nothing was sent: before creating a %s the client must learn the newest %s id, and could not: %w", op.kind, op.kind, err)
	}
	op.pending.Kind, op.pending.Mark = op.kind, mark
	dctx, stop := c.detach(ctx)
	defer stop()

	var cause error // the first failure that may have left an object behind
	for attempt := 0; ; attempt++ {
		if ctx.Err() != nil {
			// Nothing in flight: either nothing was sent, or the lookup
			// just settled that nothing was made.
			return nil, ctx.Err()
		}
		var obj T
		r := request{method: http.MethodPost, path: op.path, body: op.body, budget: b}
		err := c.do(dctx, r, &obj)
		if err == nil {
			if p := op.sent(obj); p != "" {
				err = c.malformed(r, http.StatusOK, p)
			} else if c.ledger.claim(op.kind, obj.objectID()) {
				return &obj, nil
			} else {
				err = c.malformed(r, http.StatusOK, fmt.Sprintf("it is %s %d, which this client created for another request", op.kind, obj.objectID()))
			}
		}
		if !mayHaveActed(err) {
			if cause == nil {
				return nil, err
			}
			// A refusal after an attempt that may have acted (422 "already
			// taken", above all) may be about our own object.
			found, rerr := settle(dctx, c, op, mark, b, cause)
			if rerr != nil || found != nil {
				return found, rerr
			}
			return nil, unknownOutcome(op, cause)
		}
		if cause == nil {
			cause = err
		}
		c.logf(ctx, LevelInfo, op.kind+" create outcome unknown; looking for it", map[string]any{"error": err.Error(), "mark": mark})
		found, rerr := settle(dctx, c, op, mark, b, err)
		if rerr != nil || found != nil {
			return found, rerr
		}
		// Not made.
		if errors.Is(err, ErrTimeout) && !op.unique {
			// The server may still act on the request that timed out; with
			// no unique key to catch a second one, do not send another.
			// Give it one more RequestTimeout to do so, and look again.
			c.logf(ctx, LevelInfo, op.kind+" create timed out and is not found yet; looking again after the request timeout", map[string]any{"wait": c.timeout.String()})
			t := time.NewTimer(c.timeout)
			select {
			case <-t.C:
				if found, rerr := settle(dctx, c, op, mark, b, err); rerr != nil || found != nil {
					return found, rerr
				}
			case <-dctx.Done():
				t.Stop()
			}
			return nil, unknownOutcome(op, err)
		}
		if !b.fail() {
			return nil, unknownOutcome(op, cause)
		}
		wait := c.backoff(attempt)
		if status, ra := retryAfterOf(err); ra > c.maxRetryWait {
			return nil, &RetryWaitError{Method: r.method, URL: c.shownURL(r.path, nil), StatusCode: status, Wait: ra, Max: c.maxRetryWait}
		} else if ra > 0 {
			wait = ra
		}
		if err := c.sleep(ctx, r, wait, attempt+2); err != nil {
			return nil, err
		}
	}
}

// settle looks for the object a create may have made. It returns the object
// when the evidence says this create made it, an error when the evidence
// forbids going on, and (nil, nil) when nothing was made.
func settle[T interface{ objectID() int64 }](ctx context.Context, c *Client, op createOp[T], mark int64, b *budget, cause error) (*T, error) {
	candidates, err := op.lookup(ctx, b)
	if err != nil {
		return nil, unknownOutcome(op, fmt.Errorf("%w; looking for it afterwards failed too: %v", cause, err))
	}
	var ours []T
	var foreign *T
	for i := range candidates {
		id := candidates[i].objectID()
		if id > mark && !c.ledger.isClaimed(op.kind, id) && op.sent(candidates[i]) == "" {
			ours = append(ours, candidates[i])
		} else if foreign == nil {
			foreign = &candidates[i]
		}
	}
	switch {
	case len(ours) == 1 && c.ledger.claim(op.kind, ours[0].objectID()):
		c.logf(ctx, LevelInfo, op.kind+" found: it was created by this request", map[string]any{"id": ours[0].objectID(), "mark": mark})
		return &ours[0], nil
	case len(ours) > 1:
		e := unknownOutcome(op, cause)
		for _, o := range ours {
			e.Candidates = append(e.Candidates, o.objectID())
		}
		return nil, e
	case foreign != nil && op.unique:
		ref := op.ref
		if ref == "" {
			ref = strconv.FormatInt((*foreign).objectID(), 10)
		}
		return nil, &ExistingObjectError{Object: op.kind, Key: op.key, ID: (*foreign).objectID(), Ref: ref, Err: cause}
	}
	return nil, nil
}

// retryAfterOf returns the status and the Retry-After of an error answer.
func retryAfterOf(err error) (int, time.Duration) {
	var apiErr *APIError
	var bad *MalformedAnswerError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.StatusCode, apiErr.RetryAfter
	case errors.As(err, &bad):
		return bad.StatusCode, bad.RetryAfter
	}
	return 0, 0
}

// mayHaveActed reports whether a failed POST may have created its object:
// it was sent and the answer was lost, timed out, was a 5xx, or arrived
// unusable with a 2xx or 5xx status.
func mayHaveActed(err error) bool {
	var apiErr *APIError
	var bad *MalformedAnswerError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.StatusCode >= 500
	case errors.As(err, &bad):
		return bad.StatusCode < 300 || bad.StatusCode >= 500
	case errors.Is(err, ErrTimeout):
		return true
	case errors.Is(err, ErrTransport):
		return !notSent(err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return true
	}
	return false
}

// unknownOutcome builds the error of a create the evidence could not settle.
func unknownOutcome[T interface{ objectID() int64 }](op createOp[T], cause error) *UnknownOutcomeError {
	return &UnknownOutcomeError{Object: op.kind, Key: op.key, Ref: op.ref, Pending: op.pending, Err: cause}
}

// detach returns a context that outlives ctx by the cancel grace: a create
// already sent is not abandoned when its caller is interrupted. It does not
// outlive the Client's Stop context.
func (c *Client) detach(ctx context.Context) (context.Context, func()) {
	base, unbind := c.bound(context.WithoutCancel(ctx))
	dctx, cancelDetached := context.WithCancel(base)
	cancel := func() {
		cancelDetached()
		unbind()
	}
	var (
		mu    sync.Mutex
		timer *time.Timer
	)
	stopAfter := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		timer = time.AfterFunc(c.grace, cancel)
	})
	return dctx, func() {
		stopAfter()
		mu.Lock()
		if timer != nil {
			timer.Stop()
		}
		mu.Unlock()
		cancel()
	}
}
