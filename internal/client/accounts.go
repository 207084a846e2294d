package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
	_, err := c.send(ctx, request{method: "GET", path: "/accounts/check_username", query: url.Values{"username": {username}}})
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
	return listAll[Account](ctx, c, "/accounts", statusQuery(status), nil)
}

func statusQuery(status string) url.Values {
	if status == "" {
		return nil
	}
	return url.Values{"status": {status}}
}

// CreateAccount creates an account (POST /accounts) exactly once, or fails
// with an *UnknownOutcomeError or an *ExistingObjectError (see the package
// doc). An answer that may hide a create is settled by looking the account up
// by its username with its own credentials (GET /un/accounts/show).
//
// A username that is already taken (422) by an account that accepts the
// password sent is that account: an earlier create of the same
// configuration made it, and it is adopted (ProveAccount) instead of
// failing. One that refuses the password is a *NotOursError.
func (c *Client) CreateAccount(ctx context.Context, in CreateAccountRequest) (*Account, error) {
	acc, err := c.createAccount(ctx, in)
	if !fieldRefused(err, "username") {
		return acc, err
	}
	own, perr := c.ProveAccount(ctx, in.Username, in.Password)
	switch {
	case perr == nil && c.ledger.claim(KindAccount, own.ID):
		c.logf(ctx, LevelInfo, "account exists and accepts the password sent: adopted", map[string]any{"id": own.ID})
		return own, nil
	case errors.As(perr, new(*NotOursError)):
		return nil, perr
	}
	return nil, err
}

// fieldRefused reports whether err is a 422 answer with a message about field.
func fieldRefused(err error, field string) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnprocessableEntity && len(apiErr.Errors[field]) > 0
}

// ProveAccount returns the account named username when the API confirms
// that it accepts password: GET /un/accounts/show with the account's own
// credentials finds it, and POST /accounts/{id}/validate confirms the
// password (2 requests). This is the proof that an account is ours: nothing
// else tells this client's account from one that somebody else sharing the
// API account made with the same username. An account with the username
// that refuses the password is a *NotOursError naming its id (found by a
// paged walk of the accounts); none at all is a *NoMatchError.
func (c *Client) ProveAccount(ctx context.Context, username, password string) (*Account, error) {
	acc, err := c.getAccountByUsername(ctx, username, password, nil)
	if err == nil {
		res, verr := c.ValidateAccount(ctx, acc.ID, username, password)
		switch {
		case verr == nil && res.Success:
			return acc, nil
		case verr != nil && !errors.Is(verr, ErrWrongPassword) && !errors.Is(verr, ErrUsernameNotFound):
			return nil, verr
		}
		return nil, &NotOursError{Object: KindAccount, Key: fmt.Sprintf("with username %q", username), ID: acc.ID}
	}
	if !errors.Is(err, ErrUnauthorized) {
		return nil, err
	}
	other, ferr := c.FindAccountByUsername(ctx, username)
	if ferr != nil {
		return nil, ferr
	}
	return nil, &NotOursError{Object: KindAccount, Key: fmt.Sprintf("with username %q", username), ID: other.ID}
}

func (c *Client) createAccount(ctx context.Context, in CreateAccountRequest) (*Account, error) {
	return create(ctx, c, createOp[Account]{
		kind: KindAccount, path: "/accounts", body: in, unique: true,
		key:      fmt.Sprintf("with username %q", in.Username),
		importID: in.Username,
		pending:  PendingCreate{Username: in.Username},
		sent: func(a Account) string {
			if a.Username != in.Username {
				return fmt.Sprintf("it is the account %q, not %q", a.Username, in.Username)
			}
			return ""
		},
		lookup: func(ctx context.Context, b *budget) ([]Account, error) {
			acc, err := c.getAccountByUsername(ctx, in.Username, in.Password, b)
			switch {
			case err == nil:
				return []Account{*acc}, nil
			case errors.Is(err, ErrUnauthorized):
				// No account with this username and password.
				return nil, nil
			}
			return nil, err
		},
	})
}

// GetAccount fetches one account.
func (c *Client) GetAccount(ctx context.Context, id int64) (*Account, error) {
	var acc Account
	if err := getByID(ctx, c, "/accounts/%s", id, &acc); err != nil {
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
	return c.accountAction(ctx, id, "/accounts/%s/enable", nil)
}

// DisableAccount stops VPN service for an account without deleting it.
func (c *Client) DisableAccount(ctx context.Context, id int64) (*Account, error) {
	return c.accountAction(ctx, id, "/accounts/%s/disable", nil)
}

// ChangePassword sets a new password.
func (c *Client) ChangePassword(ctx context.Context, id int64, password string) (*Account, error) {
	return c.accountAction(ctx, id, "/accounts/%s/change_password", map[string]string{"password": password})
}

// ExpireAccount sets the date ("2006-01-02") the account expires, or makes it
// auto-renew when expireAt is nil.
func (c *Client) ExpireAccount(ctx context.Context, id int64, expireAt *string) (*Account, error) {
	return c.accountAction(ctx, id, "/accounts/%s/expire", map[string]*string{"expire_at": expireAt})
}

// ValidateAccount checks a username and password. A wrong username is
// ErrUsernameNotFound (460), a wrong password ErrWrongPassword (461).
func (c *Client) ValidateAccount(ctx context.Context, id int64, username, password string) (*ValidateResult, error) {
	data, err := c.send(ctx, request{
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

// AccountAcceptingPassword returns the account named username when it
// accepts password (GET /un/accounts/show with those credentials: one
// request). A wrong password or an unknown username is ErrUnauthorized. It
// is no proof of ownership (see ProveAccount): anyone may have chosen the
// same password.
func (c *Client) AccountAcceptingPassword(ctx context.Context, username, password string) (*Account, error) {
	return c.getAccountByUsername(ctx, username, password, nil)
}

// getAccountByUsername fetches the account, authenticating as it with Basic
// auth (GET /un/accounts/show), sharing the retry budget b. A wrong password
// or an unknown username is ErrUnauthorized.
func (c *Client) getAccountByUsername(ctx context.Context, username, password string, b *budget) (*Account, error) {
	var acc Account
	r := request{
		method: "GET", path: "/un/accounts/show", query: url.Values{"username": {username}},
		basic: &[2]string{username, password}, budget: b,
	}
	if err := c.do(ctx, r, &acc); err != nil {
		return nil, err
	}
	if acc.Username != username {
		return nil, c.malformed(r, 200, fmt.Sprintf("it is the account %q, not %q", acc.Username, username))
	}
	return &acc, nil
}

// accountAction performs a PUT on one account and checks that the answer is
// that account.
func (c *Client) accountAction(ctx context.Context, id int64, format string, body any) (*Account, error) {
	var acc Account
	r := request{method: "PUT", path: idPath(format, id), body: body}
	if err := c.do(ctx, r, &acc); err != nil {
		return nil, err
	}
	if acc.ID != id {
		return nil, c.malformed(r, 200, fmt.Sprintf("it is the account with id %d, not %d", acc.ID, id))
	}
	return &acc, nil
}
