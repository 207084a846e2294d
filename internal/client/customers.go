package client

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// ListCustomers fetches one page of customers.
func (c *Client) ListCustomers(ctx context.Context, opts ListOptions) (*Page[Customer], error) {
	return listPage[Customer](ctx, c, "/customers", opts, nil)
}

// ListAllCustomers walks every page of customers.
func (c *Client) ListAllCustomers(ctx context.Context) ([]Customer, error) {
	return listAll[Customer](ctx, c, "/customers", nil, nil)
}

// FindCustomerByEmail walks the customers for the one with this email
// (compared without regard to case). It returns a *NoMatchError (ErrNoMatch) when none has it.
func (c *Client) FindCustomerByEmail(ctx context.Context, email string) (*Customer, error) {
	all, err := c.ListAllCustomers(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if sameEmail(all[i].Email, email) {
			return &all[i], nil
		}
	}
	return nil, &NoMatchError{Kind: KindCustomer, Key: fmt.Sprintf("email %q", email)}
}

// CreateCustomer creates a customer (POST /customers) exactly once, or fails
// with an *UnknownOutcomeError or an *ExistingObjectError (see the package
// doc). The customer is created with a one-time claim as its first name,
// which a PUT then sets (one request more than the API needs): an answer that
// may hide a create is settled by the customer with the email that carries
// the claim. Another customer with the email is someone else's (another
// workspace, the web panel), and never adopted. When only the PUT fails, the
// customer is returned with an *IncompleteCreateError.
func (c *Client) CreateCustomer(ctx context.Context, in CreateCustomerRequest) (*Customer, error) {
	sent := in
	sent.FirstName = newClaim()
	return create(ctx, c, createOp[Customer]{
		kind: KindCustomer, path: "/customers", body: sent, unique: true,
		key:     fmt.Sprintf("with email %q", in.Email),
		pending: PendingCreate{Email: in.Email, ProjectID: in.ProjectID, Claim: sent.FirstName},
		sent: func(cu Customer) string {
			switch {
			case !sameEmail(cu.Email, in.Email):
				return fmt.Sprintf("it is the customer with email %q, not %q", cu.Email, in.Email)
			case cu.ProjectID != in.ProjectID:
				return fmt.Sprintf("it is a customer of project %d, not %d", cu.ProjectID, in.ProjectID)
			case cu.FirstName != sent.FirstName:
				return "it does not carry the claim this create sent"
			}
			return ""
		},
		lookup: func(ctx context.Context, b *budget) ([]Customer, error) {
			all, err := listAll[Customer](ctx, c, "/customers", nil, b)
			if err != nil {
				return nil, err
			}
			var out []Customer
			for _, cu := range all {
				if sameEmail(cu.Email, in.Email) {
					out = append(out, cu)
				}
			}
			return out, nil
		},
		finish: func(ctx context.Context, cu *Customer) error {
			if err := c.UpdateCustomer(ctx, cu.ID, UpdateCustomerRequest{FirstName: &in.FirstName}); err != nil {
				return err
			}
			cu.FirstName = in.FirstName
			return nil
		},
	})
}

// sameEmail compares emails as the API does: equal under Unicode case
// folding (strings.EqualFold), so "Sam@" and "ſam@" are one address, and
// "İnfo@" and "info@" are two.
func sameEmail(a, b string) bool { return strings.EqualFold(a, b) }

// EmailKey is a key for email under which two emails that sameEmail finds
// equal are equal, and no others: every letter replaced by the smallest
// letter of its case-folding orbit (unicode.SimpleFold), as EqualFold
// compares them.
func EmailKey(email string) string {
	var b strings.Builder
	b.Grow(len(email))
	for _, r := range email {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

// GetCustomer fetches one customer.
func (c *Client) GetCustomer(ctx context.Context, id int64) (*Customer, error) {
	return getByID[Customer](ctx, c, "/customers/%s", id)
}

// UpdateCustomer changes the fields set in in. The API answers without the
// customer.
func (c *Client) UpdateCustomer(ctx context.Context, id int64, in UpdateCustomerRequest) error {
	return c.do(ctx, request{method: "PUT", path: idPath("/customers/%s", id), body: in}, nil)
}

// DeleteCustomer deletes a customer; one that still owns accounts cannot be
// deleted (ErrValidation).
func (c *Client) DeleteCustomer(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: idPath("/customers/%s", id)}, nil)
}

// ListCustomerAccounts fetches one page of a customer's accounts.
func (c *Client) ListCustomerAccounts(ctx context.Context, id int64, opts ListOptions) (*Page[Account], error) {
	return listPage[Account](ctx, c, idPath("/customers/%s/accounts", id), opts, nil)
}

// ListAllCustomerAccounts walks every page of a customer's accounts.
func (c *Client) ListAllCustomerAccounts(ctx context.Context, id int64) ([]Account, error) {
	return listAll[Account](ctx, c, idPath("/customers/%s/accounts", id), nil, nil)
}
