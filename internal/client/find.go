package client

import (
	"context"
	"fmt"
)

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
