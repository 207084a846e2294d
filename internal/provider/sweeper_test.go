package provider

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Sweepers delete what the real-API tier (acc_test.go) leaves behind when a
// run fails half-way: every object whose name starts with accPrefix, and
// nothing else. Run them with `make sweep` (needs VPNRESELLERS_TOKEN).
//
// The API refuses to delete a customer that still has accounts, or a project
// that still has customers, so accounts go first, then customers, then projects.

// named is one object as a sweeper sees it.
type named struct {
	id   int64
	name string
}

// sweeper is one resource type's sweeper: list objects with the name the
// tests give them, and delete one by id.
type sweeper struct {
	resourceType string
	dependencies []string
	list         func(context.Context, *client.Client) ([]named, error)
	del          func(*client.Client, context.Context, int64) error
}

var sweepers = []sweeper{
	{
		resourceType: "vpnresellers_account",
		list: func(ctx context.Context, c *client.Client) ([]named, error) {
			as, err := c.ListAllAccounts(ctx, "")
			return mapNamed(as, err, func(a client.Account) named { return named{a.ID, a.Username} })
		},
		del: (*client.Client).DeleteAccount,
	},
	{
		resourceType: "vpnresellers_customer",
		dependencies: []string{"vpnresellers_account"},
		list: func(ctx context.Context, c *client.Client) ([]named, error) {
			cs, err := c.ListAllCustomers(ctx)
			return mapNamed(cs, err, func(cu client.Customer) named { return named{cu.ID, cu.Email} })
		},
		del: (*client.Client).DeleteCustomer,
	},
	{
		resourceType: "vpnresellers_project",
		dependencies: []string{"vpnresellers_customer"},
		list: func(ctx context.Context, c *client.Client) ([]named, error) {
			ps, err := c.ListAllProjects(ctx)
			return mapNamed(ps, err, func(p client.Project) named { return named{p.ID, p.Name} })
		},
		del: (*client.Client).DeleteProject,
	},
}

func init() {
	for _, s := range sweepers {
		resource.AddTestSweepers(s.resourceType, &resource.Sweeper{
			Name:         s.resourceType,
			Dependencies: s.dependencies,
			F:            s.run,
		})
	}
}

// run is the resource.Sweeper function: sweep the API that VPNRESELLERS_TOKEN
// and VPNRESELLERS_BASE_URL point at. The API has no regions to sweep.
func (s sweeper) run(string) error {
	c, err := accClient()
	if err != nil {
		return err
	}
	return s.sweep(context.Background(), c)
}

// mapNamed maps the result of a ListAll call to named objects.
func mapNamed[T any](items []T, err error, f func(T) named) ([]named, error) {
	if err != nil {
		return nil, err
	}
	out := make([]named, len(items))
	for i, it := range items {
		out[i] = f(it)
	}
	return out, nil
}

// sweep deletes every object of s's type named with accPrefix. It carries on
// past a failed delete and reports all failures at the end.
func (s sweeper) sweep(ctx context.Context, c *client.Client) error {
	objs, err := s.list(ctx, c)
	if err != nil {
		return fmt.Errorf("listing %s: %w", s.resourceType, err)
	}
	var errs []error
	for _, o := range objs {
		if !strings.HasPrefix(o.name, accPrefix) {
			continue
		}
		log.Printf("[INFO] sweeping %s %d (%s)", s.resourceType, o.id, o.name)
		if err := s.del(c, ctx, o.id); err != nil && !client.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("deleting %s %d (%s): %w", s.resourceType, o.id, o.name, err))
		}
	}
	return errors.Join(errs...)
}

// The sweepers delete every object named with accPrefix, children first, and
// nothing else; a second run finds nothing to do.
func TestSweepers_deleteOnlyPrefixed(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(EnvBaseURL, env.url)
	t.Setenv(EnvToken, env.mock.Token())
	ctx := env.ctx()
	for _, name := range []string{accPrefix + "left-1", accPrefix + "left-2", "production"} {
		p, err := env.client.CreateProject(ctx, client.ProjectRequest{Name: name, Description: "sweeper test"})
		if err != nil {
			t.Fatal(err)
		}
		cu, err := env.client.CreateCustomer(ctx, client.CreateCustomerRequest{
			FirstName: "Sweeper", LastName: "Test", Email: name + "@example.com", ProjectID: p.ID,
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.client.CreateAccount(ctx, client.CreateAccountRequest{
			Username: name, Password: "sweeper-test", Customer: &client.AccountCustomer{CustomerID: cu.ID},
		}); err != nil {
			t.Fatal(err)
		}
	}

	for run := 1; run <= 2; run++ {
		env.resetCalls()
		for _, s := range sweepers {
			if err := s.run(""); err != nil {
				t.Fatalf("run %d: %s sweeper: %v", run, s.resourceType, err)
			}
		}
		want := map[string]int{"GET /accounts": 1, "GET /customers": 1, "GET /projects": 1}
		if run == 1 {
			want["DELETE /accounts/{id}"] = 2
			want["DELETE /customers/{id}"] = 2
			want["DELETE /projects/{id}"] = 2
		}
		if err := env.expectCalls(want)(nil); err != nil {
			t.Errorf("run %d: %v", run, err)
		}
	}

	if err := env.holds(1, 1, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := env.client.FindAccountByUsername(ctx, "production"); err != nil {
		t.Errorf("the account not named %q was swept: %v", accPrefix, err)
	}
}
