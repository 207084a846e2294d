package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
)

// AccountListOptions selects a page of GET /accounts.
type AccountListOptions struct {
	ListOptions
	Status string // "Active", "Disabled" or "" for both
}

// CheckUsername asks whether username can be used for a new account. It
// answers false (and no error) when the name is taken.
func (c *Client) CheckUsername(ctx context.Context, username string) (bool, error) {
	_, _, err := c.send(ctx, request{method: "GET", path: "/accounts/check_username", query: url.Values{"username": {username}}})
	if err == nil {
		return true, nil
	}
	if fe := FieldErrors(err); errors.Is(err, ErrValidation) && len(fe["username"]) > 0 && username != "" {
		return false, nil
	}
	return false, err
}

// ListAccounts fetches one page of accounts.
func (c *Client) ListAccounts(ctx context.Context, opts AccountListOptions) (*Page[Account], error) {
	return listPage[Account](ctx, c, "/accounts", opts.ListOptions, statusQuery(opts.Status))
}

// ListAllAccounts walks every page of accounts, optionally only those with
// the given status.
func (c *Client) ListAllAccounts(ctx context.Context, status string) ([]Account, error) {
	return listAll(ctx, c, "/accounts", statusQuery(status), accountID)
}

func statusQuery(status string) url.Values {
	if status == "" {
		return nil
	}
	return url.Values{"status": {status}}
}

// CreateAccount creates an account (POST /accounts).
//
// A create is retried only when the server cannot have acted on it. When the
// outcome is unknown (the connection broke after the request was sent, or the
// server failed with a 5xx), the client looks the account up by its username
// with the account's own credentials: if it exists, it is returned; if it does
// not, the create is tried again, at most MaxRetries times in all. So a
// failure never leaves an untracked duplicate behind.
func (c *Client) CreateAccount(ctx context.Context, in CreateAccountRequest) (*Account, error) {
	var lastErr error
	for attempt := 0; attempt <= c.http.RetryMax; attempt++ {
		var acc Account
		err := c.do(ctx, request{method: "POST", path: "/accounts", body: in}, &acc)
		if err == nil {
			return &acc, nil
		}
		if !outcomeUnknown(ctx, err) {
			return nil, err
		}
		lastErr = err
		c.logf(ctx, "account create outcome unknown; looking it up by username", map[string]any{"error": err.Error()})
		found, lookErr := c.GetAccountByUsername(ctx, in.Username, in.Password)
		switch {
		case lookErr == nil:
			return found, nil
		case errors.Is(lookErr, ErrUnauthorized) || errors.Is(lookErr, ErrNotFound):
			// Not created: safe to try again.
			continue
		default:
			return nil, &UnknownOutcomeError{
				Object: "account", Key: fmt.Sprintf("with username %q", in.Username), Err: err,
				Hint: "If it exists, import it with `terraform import` by its username",
			}
		}
	}
	return nil, &UnknownOutcomeError{
		Object: "account", Key: fmt.Sprintf("with username %q", in.Username), Err: lastErr,
		Hint: "It was not found afterwards; try again",
	}
}

// outcomeUnknown reports whether err leaves open whether a create was done:
// a transport failure after sending, or a 5xx answer.
func outcomeUnknown(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode >= 500
	}
	return true
}

// GetAccount fetches one account.
func (c *Client) GetAccount(ctx context.Context, id int64) (*Account, error) {
	var acc Account
	if err := c.do(ctx, request{method: "GET", path: idPath("/accounts/%s", id)}, &acc); err != nil {
		return nil, err
	}
	return &acc, nil
}

// DeleteAccount deletes an account.
func (c *Client) DeleteAccount(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: idPath("/accounts/%s", id)}, nil)
}

// EnableAccount re-enables a disabled account.
func (c *Client) EnableAccount(ctx context.Context, id int64) (*Account, error) {
	return c.accountAction(ctx, idPath("/accounts/%s/enable", id), nil)
}

// DisableAccount stops VPN service for an account without deleting it.
func (c *Client) DisableAccount(ctx context.Context, id int64) (*Account, error) {
	return c.accountAction(ctx, idPath("/accounts/%s/disable", id), nil)
}

// ChangePassword sets a new password.
func (c *Client) ChangePassword(ctx context.Context, id int64, password string) (*Account, error) {
	return c.accountAction(ctx, idPath("/accounts/%s/change_password", id), map[string]string{"password": password})
}

// ExpireAccount sets the date ("2006-01-02") the account expires, or makes it
// auto-renew when expireAt is nil.
func (c *Client) ExpireAccount(ctx context.Context, id int64, expireAt *string) (*Account, error) {
	return c.accountAction(ctx, idPath("/accounts/%s/expire", id), map[string]*string{"expire_at": expireAt})
}

// ValidateAccount checks a username and password. A wrong username is
// ErrUsernameNotFound (460), a wrong password ErrWrongPassword (461).
func (c *Client) ValidateAccount(ctx context.Context, id int64, username, password string) (*ValidateResult, error) {
	data, _, err := c.send(ctx, request{
		method: "POST", path: idPath("/accounts/%s/validate", id),
		body: map[string]string{"username": username, "password": password},
	})
	if err != nil {
		return nil, err
	}
	var res ValidateResult
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("POST /accounts/{id}/validate: unexpected answer: %w", err)
	}
	return &res, nil
}

// EnableAccountByUsername enables the account, authenticating as it.
func (c *Client) EnableAccountByUsername(ctx context.Context, username, password string) (*Account, error) {
	return c.accountActionAs(ctx, "/un/accounts/enable", username, password, map[string]string{"username": username})
}

// DisableAccountByUsername disables the account, authenticating as it.
func (c *Client) DisableAccountByUsername(ctx context.Context, username, password string) (*Account, error) {
	return c.accountActionAs(ctx, "/un/accounts/disable", username, password, map[string]string{"username": username})
}

// ChangePasswordByUsername changes the account's password from password to
// newPassword, authenticating as the account.
func (c *Client) ChangePasswordByUsername(ctx context.Context, username, password, newPassword string) (*Account, error) {
	return c.accountActionAs(ctx, "/un/accounts/change_password", username, password,
		map[string]string{"username": username, "password": newPassword})
}

// GetAccountByUsername fetches the account, authenticating as it with Basic
// auth. A wrong password is ErrUnauthorized.
func (c *Client) GetAccountByUsername(ctx context.Context, username, password string) (*Account, error) {
	var acc Account
	err := c.do(ctx, request{
		method: "GET", path: "/un/accounts/show", query: url.Values{"username": {username}},
		basic: &[2]string{username, password},
	}, &acc)
	if err != nil {
		return nil, err
	}
	return &acc, nil
}

func (c *Client) accountAction(ctx context.Context, path string, body any) (*Account, error) {
	var acc Account
	if err := c.do(ctx, request{method: "PUT", path: path, body: body}, &acc); err != nil {
		return nil, err
	}
	return &acc, nil
}

func (c *Client) accountActionAs(ctx context.Context, path, username, password string, body any) (*Account, error) {
	var acc Account
	if err := c.do(ctx, request{method: "PUT", path: path, body: body, basic: &[2]string{username, password}}, &acc); err != nil {
		return nil, err
	}
	return &acc, nil
}
