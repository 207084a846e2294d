package client

import (
	"context"
	"errors"
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

// AccountOwners returns who owns which account. The walk is made once per
// client and shared by every caller (see sharedWalk) until this client
// makes a write that can change ownership or account data (writeKeys'
// ownershipKey); then the next caller walks again. Callers asking while a
// walk is in flight wait for it rather than start their own, unless it
// began before such a write.
func (c *Client) AccountOwners(ctx context.Context) (*Owners, error) {
	return c.owners.get(ctx, c, func(stamp uint64) bool {
		return !c.writes.changedSince(stamp, ownershipKey)
	}, c.readOwners)
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
