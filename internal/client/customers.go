package client

import (
	"context"
	"fmt"
	"strings"
)

// ListCustomers fetches one page of customers.
func (c *Client) ListCustomers(ctx context.Context, opts ListOptions) (*Page[Customer], error) {
	return listPage[Customer](ctx, c, "/customers", opts, nil)
}

// ListAllCustomers walks every page of customers.
func (c *Client) ListAllCustomers(ctx context.Context) ([]Customer, error) {
	return listAll(ctx, c, "/customers", nil, customerID)
}

// FindCustomerByEmail walks the customers for the one with this email
// (compared without regard to case). It returns ErrNotFound when none has it.
func (c *Client) FindCustomerByEmail(ctx context.Context, email string) (*Customer, error) {
	all, err := c.ListAllCustomers(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if strings.EqualFold(all[i].Email, email) {
			return &all[i], nil
		}
	}
	return nil, &APIError{StatusCode: 404, Method: "GET", Path: "/customers", Message: fmt.Sprintf("No customer has the email %q.", email)}
}

// CreateCustomer creates a customer (POST /customers). Like CreateAccount, a
// create whose outcome is unknown is settled by looking the customer up by
// its email (unique) before trying again.
func (c *Client) CreateCustomer(ctx context.Context, in CreateCustomerRequest) (*Customer, error) {
	var lastErr error
	for attempt := 0; attempt <= c.http.RetryMax; attempt++ {
		var cust Customer
		err := c.do(ctx, request{method: "POST", path: "/customers", body: in}, &cust)
		if err == nil {
			return &cust, nil
		}
		if !outcomeUnknown(ctx, err) {
			return nil, err
		}
		lastErr = err
		c.logf(ctx, "customer create outcome unknown; looking it up by email", map[string]any{"error": err.Error()})
		found, lookErr := c.FindCustomerByEmail(ctx, in.Email)
		switch {
		case lookErr == nil && found.ProjectID == in.ProjectID:
			return found, nil
		case lookErr == nil:
			return nil, &UnknownOutcomeError{
				Object: "customer", Key: fmt.Sprintf("with email %q", in.Email), Err: err,
				Hint: fmt.Sprintf("A customer with that email exists in project %d, not %d", found.ProjectID, in.ProjectID),
			}
		case IsNotFound(lookErr):
			continue
		default:
			return nil, &UnknownOutcomeError{
				Object: "customer", Key: fmt.Sprintf("with email %q", in.Email), Err: err,
				Hint: "If it exists, import it with `terraform import` by its id",
			}
		}
	}
	return nil, &UnknownOutcomeError{
		Object: "customer", Key: fmt.Sprintf("with email %q", in.Email), Err: lastErr,
		Hint: "It was not found afterwards; try again",
	}
}

// GetCustomer fetches one customer.
func (c *Client) GetCustomer(ctx context.Context, id int64) (*Customer, error) {
	var cust Customer
	if err := c.do(ctx, request{method: "GET", path: idPath("/customers/%s", id)}, &cust); err != nil {
		return nil, err
	}
	return &cust, nil
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
	return listAll(ctx, c, idPath("/customers/%s/accounts", id), nil, accountID)
}
