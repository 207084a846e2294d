package client_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

func TestEndpoints_accounts(t *testing.T) {
	f := newFixture(t)
	c := f.client
	ok, err := c.CheckUsername(ctx(t), "alice")
	if err != nil || !ok {
		t.Fatalf("free username: %v %v", ok, err)
	}
	acc := must[*client.Account](t)(c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "secret-1"}))
	if acc.ID == 0 || acc.Status != client.StatusActive || acc.WgPrivateKey == "" || acc.WgIP == "" {
		t.Fatalf("created %#v", *acc)
	}
	if ok, err := c.CheckUsername(ctx(t), "alice"); err != nil || ok {
		t.Errorf("taken username: %v %v", ok, err)
	}
	if _, err := c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "secret-1"}); !errors.Is(err, client.ErrValidation) {
		t.Errorf("duplicate username: %v", err)
	}
	got := must[*client.Account](t)(c.GetAccount(ctx(t), acc.ID))
	if got.Username != "alice" || got.WgPublicKey != acc.WgPublicKey {
		t.Errorf("get: %+v", got)
	}
	if a := must[*client.Account](t)(c.DisableAccount(ctx(t), acc.ID)); a.Enabled() {
		t.Errorf("disable: %s", a.Status)
	}
	if a := must[*client.Account](t)(c.EnableAccount(ctx(t), acc.ID)); !a.Enabled() {
		t.Errorf("enable: %s", a.Status)
	}
	date := "2030-05-01"
	if a := must[*client.Account](t)(c.ExpireAccount(ctx(t), acc.ID, &date)); a.ExpireDate() != date {
		t.Errorf("expire: %v", a.ExpiredAt)
	}
	if a := must[*client.Account](t)(c.ExpireAccount(ctx(t), acc.ID, nil)); a.ExpireDate() != "" {
		t.Errorf("auto-renew: %v", a.ExpiredAt)
	}
	bad := "2030/05/01"
	if _, err := c.ExpireAccount(ctx(t), acc.ID, &bad); len(client.FieldErrors(err)["expire_at"]) == 0 {
		t.Errorf("bad date: %v", err)
	}
	must[*client.Account](t)(c.ChangePassword(ctx(t), acc.ID, "secret-2"))
	if res := must[*client.ValidateResult](t)(c.ValidateAccount(ctx(t), acc.ID, "alice", "secret-2")); !res.Success {
		t.Errorf("validate: %+v", res)
	}
	if _, err := c.ValidateAccount(ctx(t), acc.ID, "alice", "secret-1"); !errors.Is(err, client.ErrWrongPassword) {
		t.Errorf("old password: %v", err)
	}
	if _, err := c.ValidateAccount(ctx(t), acc.ID, "nobody", "secret-1"); !errors.Is(err, client.ErrUsernameNotFound) {
		t.Errorf("unknown username: %v", err)
	}

	found := must[*client.Account](t)(c.FindAccountByUsername(ctx(t), "alice"))
	if found.ID != acc.ID {
		t.Errorf("find: %+v", found)
	}
	if _, err := c.FindAccountByUsername(ctx(t), "nobody"); !client.IsNotFound(err) {
		t.Errorf("find missing: %v", err)
	}

	page := must[*client.Page[client.Account]](t)(c.ListAccounts(ctx(t), client.AccountListOptions{Status: client.StatusActive}))
	if len(page.Data) != 1 || page.Meta.Total != 1 {
		t.Errorf("list active: %+v", page.Meta)
	}
	if err := c.DeleteAccount(ctx(t), acc.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteAccount(ctx(t), acc.ID); !client.IsNotFound(err) {
		t.Errorf("second delete: %v", err)
	}
}

func TestEndpoints_customersAndProjects(t *testing.T) {
	f := newFixture(t)
	c := f.client
	p := must[*client.Project](t)(c.CreateProject(ctx(t), client.ProjectRequest{Name: "Brand", Description: "First"}))
	if p.ID == 0 || p.Name != "Brand" {
		t.Fatalf("project %+v", p)
	}
	if err := c.UpdateProject(ctx(t), p.ID, client.ProjectRequest{Name: "Brand 2", Description: "Second"}); err != nil {
		t.Fatal(err)
	}
	if got := must[*client.Project](t)(c.GetProject(ctx(t), p.ID)); got.Name != "Brand 2" || got.Description != "Second" {
		t.Errorf("updated project %+v", got)
	}
	cust := must[*client.Customer](t)(c.CreateCustomer(ctx(t), client.CreateCustomerRequest{FirstName: "Jane", LastName: "Doe", Email: "jane@example.com", ProjectID: p.ID}))
	if cust.ProjectID != p.ID {
		t.Fatalf("customer %+v", cust)
	}
	last := "Smith"
	if err := c.UpdateCustomer(ctx(t), cust.ID, client.UpdateCustomerRequest{LastName: &last}); err != nil {
		t.Fatal(err)
	}
	if got := must[*client.Customer](t)(c.GetCustomer(ctx(t), cust.ID)); got.LastName != "Smith" || got.FirstName != "Jane" {
		t.Errorf("updated customer %+v", got)
	}
	if _, err := c.CreateCustomer(ctx(t), client.CreateCustomerRequest{FirstName: "J", LastName: "D", Email: "jane@example.com", ProjectID: p.ID}); len(client.FieldErrors(err)["email"]) == 0 {
		t.Errorf("duplicate email: %v", err)
	}
	acc := must[*client.Account](t)(c.CreateAccount(ctx(t), client.CreateAccountRequest{
		Username: "alice", Password: "secret-1", Customer: &client.AccountCustomer{CustomerID: cust.ID},
	}))
	// An account can also bring a new customer along.
	must[*client.Account](t)(c.CreateAccount(ctx(t), client.CreateAccountRequest{
		Username: "bob", Password: "secret-1",
		Customer: &client.AccountCustomer{FirstName: "Bob", LastName: "Roe", Email: "bob@example.com", ProjectID: p.ID},
	}))

	if accs := must[[]client.Account](t)(c.ListAllCustomerAccounts(ctx(t), cust.ID)); len(accs) != 1 || accs[0].ID != acc.ID {
		t.Errorf("customer accounts %v", accs)
	}
	if accs := must[[]client.Account](t)(c.ListAllProjectAccounts(ctx(t), p.ID)); len(accs) != 2 {
		t.Errorf("project accounts %v", accs)
	}
	if custs := must[[]client.Customer](t)(c.ListAllProjectCustomers(ctx(t), p.ID)); len(custs) != 2 {
		t.Errorf("project customers %v", custs)
	}
	if page := must[*client.Page[client.Customer]](t)(c.ListCustomers(ctx(t), client.ListOptions{PerPage: 1})); page.Meta.LastPage != 2 {
		t.Errorf("customers page meta %+v", page.Meta)
	}
	if page := must[*client.Page[client.Project]](t)(c.ListProjects(ctx(t), client.ListOptions{})); len(page.Data) != 1 {
		t.Errorf("projects page %+v", page)
	}
	for _, pg := range []func() error{
		func() error { _, err := c.ListCustomerAccounts(ctx(t), cust.ID, client.ListOptions{}); return err },
		func() error { _, err := c.ListProjectAccounts(ctx(t), p.ID, client.ListOptions{}); return err },
		func() error { _, err := c.ListProjectCustomers(ctx(t), p.ID, client.ListOptions{}); return err },
	} {
		if err := pg(); err != nil {
			t.Error(err)
		}
	}
	if owner := must[*client.Customer](t)(c.FindAccountCustomer(ctx(t), acc.ID)); owner == nil || owner.ID != cust.ID {
		t.Errorf("owner of account: %+v", owner)
	}
	if found := must[*client.Customer](t)(c.FindCustomerByEmail(ctx(t), "JANE@example.com")); found.ID != cust.ID {
		t.Errorf("find by email %+v", found)
	}

	// Delete rules: a customer with accounts, a project with customers.
	if err := c.DeleteCustomer(ctx(t), cust.ID); len(client.FieldErrors(err)["customer"]) == 0 {
		t.Errorf("delete customer with accounts: %v", err)
	}
	if err := c.DeleteProject(ctx(t), p.ID); len(client.FieldErrors(err)["project"]) == 0 {
		t.Errorf("delete project with customers: %v", err)
	}
	if err := c.DeleteAccount(ctx(t), acc.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteCustomer(ctx(t), cust.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetCustomer(ctx(t), cust.ID); !client.IsNotFound(err) {
		t.Errorf("deleted customer: %v", err)
	}
	if _, err := c.GetProject(ctx(t), 999); !client.IsNotFound(err) {
		t.Errorf("missing project: %v", err)
	}
}

func TestEndpoints_catalogAndConfigs(t *testing.T) {
	f := newFixture(t)
	c := f.client
	servers := must[[]client.Server](t)(c.ListServers(ctx(t)))
	ports := must[[]client.Port](t)(c.ListPorts(ctx(t)))
	if len(servers) != 4 || len(ports) != 3 {
		t.Fatalf("servers %v ports %v", servers, ports)
	}
	defaults := 0
	for _, p := range ports {
		if p.Default {
			defaults++
		}
	}
	if defaults != 1 {
		t.Errorf("%d default ports", defaults)
	}
	if p := must[*client.Profile](t)(c.GetProfile(ctx(t))); p.Balance != "253.70" {
		t.Errorf("balance %q", p.Balance)
	}
	if g := must[*client.GeoIP](t)(c.GeoIP(ctx(t))); g.IP == "" || g.ISOCode == "" {
		t.Errorf("geoip %+v", g)
	}

	ovpn := must[*client.VPNConfig](t)(c.GetOpenVPNConfig(ctx(t), servers[0].ID, ports[0].ID))
	if !strings.Contains(ovpn.Content, servers[0].Name) || !strings.HasSuffix(ovpn.Name, ".ovpn") {
		t.Errorf("openvpn %s: %q", ovpn.Name, ovpn.Content)
	}
	if _, err := c.GetOpenVPNConfig(ctx(t), servers[0].ID, 999); len(client.FieldErrors(err)["port_id"]) == 0 {
		t.Errorf("bad port: %v", err)
	}

	acc := must[*client.Account](t)(c.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "secret-1"}))
	wg := must[*client.VPNConfig](t)(c.GetWireGuardConfig(ctx(t), servers[1].ID, acc.ID))
	if !strings.Contains(wg.Content, "PrivateKey = "+acc.WgPrivateKey) || !strings.Contains(wg.Content, acc.WgIP) {
		t.Errorf("wireguard config lacks the account's key or address")
	}
	if _, err := c.GetWireGuardConfig(ctx(t), servers[1].ID, 999); len(client.FieldErrors(err)["account_id"]) == 0 {
		t.Errorf("bad account: %v", err)
	}
}

func TestListAll_walksEveryPageSideBySide(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.PageSize = 25 })
	f.mock.SeedAccounts(240, "user")
	accs := must[[]client.Account](t)(f.client.ListAllAccounts(ctx(t), ""))
	if len(accs) != 240 {
		t.Fatalf("%d accounts, want 240", len(accs))
	}
	for i, a := range accs {
		if want := fmt.Sprintf("user%d", i+1); a.Username != want && i < 9 {
			t.Errorf("account %d is %s, want %s (order)", i, a.Username, want)
		}
		if i > 0 && a.ID <= accs[i-1].ID {
			t.Fatalf("not in id order at %d", i)
		}
	}
	// 240 / 25 = 10 pages, one request each, and one for each of the 9
	// seams between them (the walk checks that nothing moved under it).
	if got := f.mock.Count("GET /accounts"); got != walkRequests(10) {
		t.Errorf("%d requests for 10 pages, want %d", got, walkRequests(10))
	}
	// A server that serves smaller pages than asked for is followed.
	f.mock.ResetCounts()
	g := newFixture(t, func(c *client.Config) { c.PageSize = 1000 })
	g.mock.SeedAccounts(240, "user")
	if accs := must[[]client.Account](t)(g.client.ListAllAccounts(ctx(t), client.StatusActive)); len(accs) != 240 {
		t.Errorf("%d accounts with a clamped page size", len(accs))
	}
	if got := g.mock.Count("GET /accounts"); got != walkRequests(3) {
		t.Errorf("%d requests for 3 clamped pages of 100", got)
	}
}

func TestListAll_stopsOnError(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.PageSize = 10; c.MaxRetries = -1 })
	f.mock.SeedAccounts(100, "user")
	page := must[*client.Page[client.Account]](t)(f.client.ListAccounts(ctx(t), client.AccountListOptions{ListOptions: client.ListOptions{PerPage: 10}}))
	if page.Meta.LastPage != 10 {
		t.Fatalf("meta %+v", page.Meta)
	}
	// Every request fails: the walk reports the error, never a partial list.
	f.mock.SetFailureRate(1)
	if _, err := f.client.ListAllAccounts(ctx(t), ""); !errors.Is(err, client.ErrServer) {
		t.Errorf("want a server error, got %v", err)
	}
}
