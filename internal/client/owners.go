package client

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// Owners says which customer owns which account, from one walk of the
// customers' account lists (GET /customers, then GET
// /customers/{id}/accounts for each). An account names no customer, so this
// walk is the only way to learn it.
type Owners struct {
	customers []Customer
	accounts  map[int64][]Account // by customer id
	owner     map[int64]int64     // account id -> customer id
	byID      map[int64]*Customer
}

// Customers returns every customer, in the API's order.
func (o *Owners) Customers() []Customer { return o.customers }

// Accounts returns the accounts of a customer; ok is false when the walk
// saw no customer with this id.
func (o *Owners) Accounts(customerID int64) (accounts []Account, ok bool) {
	accounts, ok = o.accounts[customerID]
	return accounts, ok
}

// CustomerOf returns the customer owning an account, or nil when no
// customer does.
func (o *Owners) CustomerOf(accountID int64) *Customer {
	if id, ok := o.owner[accountID]; ok {
		return o.byID[id]
	}
	return nil
}

// ownerIndex keeps the last complete Owners walk of a client and the walk
// in flight. gen counts the writes that may have changed ownership: an
// answer from an earlier gen is never handed to a caller that asked after
// such a write.
type ownerIndex struct {
	mu     sync.Mutex
	gen    uint64
	have   *Owners // the walk of gen have, nil: none
	genOf  uint64
	flight *ownerFlight
}

type ownerFlight struct {
	gen     uint64
	done    chan struct{}
	waiters int
	cancel  context.CancelFunc
	owners  *Owners
	err     error
}

// AccountOwners returns who owns which account. The walk is made once per
// client and shared by every caller until this client makes a write that
// can change ownership or account data (see ownershipWrite); then the next
// caller walks again. Callers asking while a walk is in flight wait for it
// rather than start their own; one whose ctx ends stops waiting, and the
// walk stops when no caller waits for it any more. A failed walk is not
// kept: the next caller walks again.
func (c *Client) AccountOwners(ctx context.Context) (*Owners, error) {
	ix := &c.owners
	ix.mu.Lock()
	if ix.have != nil && ix.genOf == ix.gen {
		o := ix.have
		ix.mu.Unlock()
		return o, nil
	}
	f := ix.flight
	if f == nil || f.gen != ix.gen {
		// None in flight, or one begun before a write: its answer may
		// miss what the write changed.
		wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &ownerFlight{gen: ix.gen, done: make(chan struct{}), cancel: cancel}
		ix.flight = f
		go c.walkOwners(wctx, f)
	}
	f.waiters++
	ix.mu.Unlock()

	select {
	case <-f.done:
	case <-ctx.Done():
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	f.waiters--
	select {
	case <-f.done:
		return f.owners, f.err
	default:
	}
	if f.waiters == 0 {
		f.cancel()
		if ix.flight == f {
			ix.flight = nil
		}
	}
	return nil, ctx.Err()
}

func (c *Client) walkOwners(ctx context.Context, f *ownerFlight) {
	defer f.cancel()
	o, err := c.readOwners(ctx)
	ix := &c.owners
	ix.mu.Lock()
	f.owners, f.err = o, err
	if ix.flight == f {
		ix.flight = nil
	}
	if err == nil && f.gen == ix.gen {
		ix.have, ix.genOf = o, f.gen
	}
	ix.mu.Unlock()
	close(f.done)
}

// readOwners walks the customers, then their account lists side by side
// (Each). An account listed by two customers goes to the first.
func (c *Client) readOwners(ctx context.Context) (*Owners, error) {
	customers, err := c.ListAllCustomers(ctx)
	if err != nil {
		return nil, err
	}
	lists, errs, err := Results(ctx, c, len(customers), func(ctx context.Context, i int) ([]Account, error) {
		return c.ListAllCustomerAccounts(ctx, customers[i].ID)
	})
	if err := errors.Join(err, FirstError(errs)); err != nil {
		return nil, err
	}
	o := &Owners{
		customers: customers,
		accounts:  make(map[int64][]Account, len(customers)),
		owner:     map[int64]int64{},
		byID:      make(map[int64]*Customer, len(customers)),
	}
	for i := range customers {
		id := customers[i].ID
		o.byID[id] = &o.customers[i]
		o.accounts[id] = lists[i]
		for _, a := range lists[i] {
			if _, ok := o.owner[a.ID]; !ok {
				o.owner[a.ID] = id
			}
		}
	}
	return o, nil
}

// ownershipWrite reports whether a request may change which customer owns
// which account, or the accounts the owner walk keeps: any write to an
// account or a customer (create, delete, update, enable...), except the
// password check POST /accounts/{id}/validate, which changes nothing.
func ownershipWrite(r request) bool {
	if r.method == "GET" || strings.HasSuffix(r.path, "/validate") {
		return false
	}
	return strings.HasPrefix(r.path, "/accounts") || strings.HasPrefix(r.path, "/customers")
}

// ownersChanged marks the owner walk stale after a write (whether it
// succeeded or not: a write that timed out may have been made).
func (c *Client) ownersChanged() {
	c.owners.mu.Lock()
	c.owners.gen++
	c.owners.have = nil
	c.owners.mu.Unlock()
}

// FindAccountCustomer finds the customer that owns an account, or returns
// nil when the account belongs to no customer, from the client's one owner
// walk (AccountOwners).
func (c *Client) FindAccountCustomer(ctx context.Context, accountID int64) (*Customer, error) {
	o, err := c.AccountOwners(ctx)
	if err != nil {
		return nil, err
	}
	return o.CustomerOf(accountID), nil
}
