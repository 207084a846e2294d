package provider

import (
	"context"
	"strings"
	"sync"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// planMemory is what one plan remembers between the calls Terraform makes
// of it (see providerData).
type planMemory struct {
	// replaced holds, for the create pass of a replacement, the unique keys
	// (an account's username, a customer's email, lower-cased) whose object
	// is replaced by one with the same key: the plan finds the key taken, by
	// the very object that is deleted first.
	replaced sync.Map // replacedKey → true
	emails   emailIndex
}

type replacedKey struct {
	kind string // "username", "email"
	key  string
}

// replacing records that the object holding key is replaced by one with the
// same key.
// Like isReplacing, it does nothing on a nil memory (an unconfigured
// provider).
func (m *planMemory) replacing(kind, key string) {
	if m != nil {
		m.replaced.Store(replacedKey{kind, key}, true)
	}
}

// isReplacing reports whether replacing(kind, key) was recorded.
func (m *planMemory) isReplacing(kind, key string) bool {
	if m == nil {
		return false
	}
	_, ok := m.replaced.Load(replacedKey{kind, key})
	return ok
}

// emailIndex holds the customers by email (compared without regard to case,
// as the API does), from one paged walk of the customers made the first time
// a new customer is planned and shared by every other one in the plan. The
// API has no "is this email free" endpoint.
type emailIndex struct {
	once    sync.Once
	holders map[string]client.Customer
	err     error
}

// customerWithEmail returns the customer that has email, or nil when none
// has it.
func (m *planMemory) customerWithEmail(ctx context.Context, c *client.Client, email string) (*client.Customer, error) {
	idx := &m.emails
	idx.once.Do(func() {
		all, err := c.ListAllCustomers(ctx)
		if err != nil {
			idx.err = err
			return
		}
		idx.holders = make(map[string]client.Customer, len(all))
		for _, cu := range all {
			idx.holders[strings.ToLower(cu.Email)] = cu
		}
	})
	if idx.err != nil {
		return nil, idx.err
	}
	if cu, ok := idx.holders[strings.ToLower(email)]; ok {
		return &cu, nil
	}
	return nil, nil
}
