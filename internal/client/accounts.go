package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
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

// FindAccountByUsername walks the accounts for the one with this username.
// It returns a *NoMatchError (ErrNoMatch) when none has it.
func (c *Client) FindAccountByUsername(ctx context.Context, username string) (*Account, error) {
	all, err := c.ListAllAccounts(ctx, "")
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Username == username {
			return &all[i], nil
		}
	}
	return nil, &NoMatchError{Kind: KindAccount, Key: fmt.Sprintf("username %q", username)}
}

// CreateAccount creates an account (POST /accounts) exactly once, or fails
// with an *UnknownOutcomeError or an *ExistingObjectError (see the package
// doc). An answer that may hide a create is settled by looking the account
// up by its username and password (accountByPassword). An account that
// already has the username is never taken, whatever password it accepts: a
// *ExistingObjectError. Knowing a password proves who knows it, not who made
// the account.
func (c *Client) CreateAccount(ctx context.Context, in CreateAccountRequest) (*Account, error) {
	c.secrets.addBasic(in.Username, in.Password)
	acc, err := c.createAccount(ctx, in)
	if fieldRefused(err, "username") {
		return nil, &ExistingObjectError{Object: KindAccount, Key: fmt.Sprintf("with username %q", in.Username), Ref: in.Username, Err: err}
	}
	return acc, err
}

// ResumeCreateAccount is CreateAccount for a caller that holds its own
// record of an earlier create of this username whose outcome was unknown
// (the PendingCreate of its *UnknownOutcomeError). The account that create
// made, if any, is taken instead of creating another: the account with the
// username, newer than the record's mark, that accepts the password
// (SettleAccount). Only when none has the username is it created.
func (c *Client) ResumeCreateAccount(ctx context.Context, in CreateAccountRequest, record PendingCreate) (*Account, error) {
	c.secrets.addBasic(in.Username, in.Password)
	own, err := c.SettleAccount(ctx, in.Username, in.Password, record.Mark)
	switch {
	case err == nil && c.ledger.claim(KindAccount, own.ID):
		c.logf(ctx, LevelInfo, "account made by an earlier create of this username found: taken", map[string]any{"id": own.ID, "mark": record.Mark})
		return own, nil
	case err == nil, errors.Is(err, ErrNoMatch):
		// Not made (or already taken by another create of this Client,
		// which the create below reports as taken): create it.
		return c.CreateAccount(ctx, in)
	case errors.As(err, new(*NotOursError)):
		return nil, err
	}
	return nil, &UnknownOutcomeError{Object: KindAccount, Key: fmt.Sprintf("with username %q", in.Username),
		Ref: in.Username, Pending: record, Err: err}
}

// fieldRefused reports whether err is a 422 answer with a message about field.
func fieldRefused(err error, field string) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnprocessableEntity && len(apiErr.Errors[field]) > 0
}

// SettleAccount finds the account an earlier create of username made, when
// that create's outcome was unknown and mark was the high-water mark taken
// before it: the account with the username, when it is newer than mark and
// accepts password. It is a *NoMatchError when no account has the username,
// and a *NotOursError naming the account that has it when that one refuses
// the password or is older than the create.
func (c *Client) SettleAccount(ctx context.Context, username, password string, mark int64) (*Account, error) {
	acc, err := c.accountByPassword(ctx, username, password, nil)
	if errors.Is(err, errNotAccepted) {
		free, cerr := c.CheckUsername(ctx, username)
		switch {
		case cerr != nil:
			return nil, cerr
		case free:
			return nil, &NoMatchError{Kind: KindAccount, Key: fmt.Sprintf("username %q", username)}
		}
		// Name the account that has it (a walk of the accounts: this is
		// the rare path of a create that did not finish).
		other, ferr := c.FindAccountByUsername(ctx, username)
		if errors.Is(ferr, ErrNoMatch) {
			return nil, ferr
		}
		id := int64(0)
		if other != nil {
			id = other.ID
		}
		return nil, &NotOursError{Object: KindAccount, Key: fmt.Sprintf("with username %q", username), ID: id}
	}
	if err != nil {
		return nil, err
	}
	if acc.ID <= mark {
		return nil, &NotOursError{Object: KindAccount, Key: fmt.Sprintf("with username %q", username), ID: acc.ID, Older: true}
	}
	return acc, nil
}

// errNotAccepted is accountByPassword's answer when no account accepts the
// username and password: none has the username, or it refuses the password.
var errNotAccepted = errors.New("no account accepts this username and password")

// accountByPassword returns the account named username when it accepts
// password, sharing the retry budget b: GET /un/accounts/show with the
// account's own credentials (Basic auth) finds it. Basic auth cannot carry a
// username with a colon (the first colon ends the user-id), so such an
// account is found by a walk of the accounts, and its password checked with
// POST /accounts/{id}/validate, which takes both in the body. errNotAccepted
// when no account has the username or it refuses the password.
func (c *Client) accountByPassword(ctx context.Context, username, password string, b *budget) (*Account, error) {
	c.secrets.addBasic(username, password)
	if !strings.Contains(username, ":") {
		acc, err := c.getAccountByUsername(ctx, username, password, b)
		if errors.Is(err, ErrUnauthorized) {
			return nil, errNotAccepted
		}
		return acc, err
	}
	acc, err := c.FindAccountByUsername(ctx, username)
	if errors.Is(err, ErrNoMatch) {
		return nil, errNotAccepted
	}
	if err != nil {
		return nil, err
	}
	res, err := c.ValidateAccount(ctx, acc.ID, username, password)
	switch {
	case err == nil && res.Success:
		return acc, nil
	case err == nil, errors.Is(err, ErrWrongPassword), errors.Is(err, ErrUsernameNotFound):
		return nil, errNotAccepted
	}
	return nil, err
}

func (c *Client) createAccount(ctx context.Context, in CreateAccountRequest) (*Account, error) {
	return create(ctx, c, createOp[Account]{
		kind: KindAccount, path: "/accounts", body: in, unique: true,
		key:     fmt.Sprintf("with username %q", in.Username),
		ref:     in.Username,
		pending: PendingCreate{Username: in.Username},
		sent: func(a Account) string {
			if a.Username != in.Username {
				return fmt.Sprintf("it is the account %q, not %q", a.Username, in.Username)
			}
			return ""
		},
		lookup: func(ctx context.Context, b *budget) ([]Account, error) {
			acc, err := c.accountByPassword(ctx, in.Username, in.Password, b)
			switch {
			case err == nil:
				return []Account{*acc}, nil
			case errors.Is(err, errNotAccepted):
				return nil, nil
			}
			return nil, err
		},
	})
}

// GetAccount fetches one account.
func (c *Client) GetAccount(ctx context.Context, id int64) (*Account, error) {
	return getByID[Account](ctx, c, "/accounts/%s", id)
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
	c.secrets.add(password)
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
	c.secrets.addBasic(username, password)
	r := request{
		method: "POST", path: idPath("/accounts/%s/validate", id),
		body: map[string]string{"username": username, "password": password},
	}
	data, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	var res ValidateResult
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, c.malformed(r, http.StatusOK, "it is not the answer of a validation: "+err.Error())
	}
	return &res, nil
}

// getAccountByUsername fetches the account, authenticating as it with Basic
// auth (GET /un/accounts/show), sharing the retry budget b. A wrong password
// or an unknown username is ErrUnauthorized.
func (c *Client) getAccountByUsername(ctx context.Context, username, password string, b *budget) (*Account, error) {
	c.secrets.addBasic(username, password)
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
