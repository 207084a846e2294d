package client

import (
	"context"
	"fmt"
	"sync"
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

// FindAccountCustomer finds the customer that owns an account, or returns
// nil when the account belongs to no customer. Accounts do not name their
// customer, so it looks through each project's accounts, then through the
// customers of the project that has it. Lists are fetched side by side.
func (c *Client) FindAccountCustomer(ctx context.Context, accountID int64) (*Customer, error) {
	projects, err := c.ListAllProjects(ctx)
	if err != nil {
		return nil, err
	}
	hasAccount := func(accounts []Account) bool {
		for _, a := range accounts {
			if a.ID == accountID {
				return true
			}
		}
		return false
	}
	project, err := firstMatch(ctx, c.workers, projects, func(ctx context.Context, p Project) (bool, error) {
		accounts, err := c.ListAllProjectAccounts(ctx, p.ID)
		return hasAccount(accounts), err
	})
	if err != nil || project == nil {
		return nil, err
	}
	customers, err := c.ListAllProjectCustomers(ctx, project.ID)
	if err != nil {
		return nil, err
	}
	return firstMatch(ctx, c.workers, customers, func(ctx context.Context, cust Customer) (bool, error) {
		accounts, err := c.ListAllCustomerAccounts(ctx, cust.ID)
		return hasAccount(accounts), err
	})
}

// firstMatch runs match over items with at most workers at a time and
// returns the first item (in order) that matches, or nil.
func firstMatch[T any](ctx context.Context, workers int, items []T, match func(context.Context, T) (bool, error)) (*T, error) {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	found := make([]bool, len(items))
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	sem := make(chan struct{}, max(workers, 1))
	for i := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ok, err := match(ctx, items[i])
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil && firstErr == nil && ctx.Err() == nil:
				firstErr = err
				cancel()
			case ok:
				found[i] = true
				cancel()
			}
		}()
	}
	wg.Wait()
	for i := range items {
		if found[i] {
			return &items[i], nil
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, parent.Err()
}
