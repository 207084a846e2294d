package provider

import (
	"context"
	"strings"
	"sync"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// replacedInPlace remembers, for the create pass of a replacement, the
// unique keys (an account's username, a customer's email) whose object is
// replaced by one with the same key: the plan finds the key taken, by the
// very object that is deleted first. Each Terraform command runs its own
// provider process, so this lives for one plan or apply.
var replacedInPlace sync.Map

type replacedKey struct {
	c    *client.Client
	kind string // "username", "email"
	key  string // an email lower-cased
}

// emailIndexes holds, per API client (one per provider process, so one per
// plan or apply), the customers by email (compared without regard to case,
// as the API does), from one paged walk of the customers made the first time
// a new customer is planned and shared by every other one in the plan. The
// API has no "is this email free" endpoint.
var emailIndexes sync.Map // *client.Client → *emailIndex

type emailIndex struct {
	once    sync.Once
	holders map[string]client.Customer
	err     error
}

// customerWithEmail returns the customer that has email, or nil when none
// has it.
func customerWithEmail(ctx context.Context, c *client.Client, email string) (*client.Customer, error) {
	v, _ := emailIndexes.LoadOrStore(c, &emailIndex{})
	idx := v.(*emailIndex)
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
