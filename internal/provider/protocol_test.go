package provider

import (
	"fmt"
	"maps"
	"math/big"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Protocol-level tests: they call the provider's tfprotov6 server directly,
// as Terraform does, so resource identity and list resources are covered
// on every machine, whatever Terraform CLI it has (or none).

// protoEnv is a configured provider server against a mock API.
type protoEnv struct {
	*testEnv
	srv        tfprotov6.ProviderServer
	schemas    *tfprotov6.GetProviderSchemaResponse
	identities map[string]*tfprotov6.ResourceIdentitySchema
}

// newProtoEnv configures the provider against a new mock API, with more
// provider arguments if given.
func newProtoEnv(t *testing.T, providerArgs ...map[string]any) *protoEnv {
	t.Helper()
	srv, err := NewServer("test", nil)()
	if err != nil {
		t.Fatal(err)
	}
	return newProtoEnvWith(t, srv, providerArgs...)
}

// newProtoEnvWith is newProtoEnv with the given server.
func newProtoEnvWith(t *testing.T, srv tfprotov6.ProviderServer, providerArgs ...map[string]any) *protoEnv {
	t.Helper()
	env := newTestEnv(t)
	ctx := t.Context()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || protoDiagsErr(schemas.Diagnostics) != nil {
		t.Fatalf("GetProviderSchema: %v %v", err, protoDiagsErr(schemas.Diagnostics))
	}
	idSchemas, err := srv.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || protoDiagsErr(idSchemas.Diagnostics) != nil {
		t.Fatalf("GetResourceIdentitySchemas: %v %v", err, protoDiagsErr(idSchemas.Diagnostics))
	}
	p := &protoEnv{testEnv: env, srv: srv, schemas: schemas, identities: idSchemas.IdentitySchemas}
	args := map[string]any{"base_url": env.url, "token": env.mock.Token()}
	for _, more := range providerArgs {
		maps.Copy(args, more)
	}
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.15.9",
		Config:           p.value(schemas.Provider.ValueType(), args),
	})
	if err != nil || protoDiagsErr(resp.Diagnostics) != nil {
		t.Fatalf("ConfigureProvider: %v %v", err, protoDiagsErr(resp.Diagnostics))
	}
	return p
}

// unconfiguredProto is a provider server against a new mock API, with its
// schemas but not configured yet.
func unconfiguredProto(t *testing.T) *protoEnv {
	t.Helper()
	env := newTestEnv(t)
	srv, err := NewServer("test", nil)()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || protoDiagsErr(schemas.Diagnostics) != nil {
		t.Fatalf("GetProviderSchema: %v %v", err, protoDiagsErr(schemas.Diagnostics))
	}
	return &protoEnv{testEnv: env, srv: srv, schemas: schemas}
}

// null is the null value of typ (the prior state of a create).
func (p *protoEnv) null(typ tftypes.Type) *tfprotov6.DynamicValue {
	p.t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// lister is the server's list resource side (Terraform 1.14's RPCs).
func (p *protoEnv) lister() tfprotov6.ListResourceServer {
	p.t.Helper()
	l, ok := p.srv.(tfprotov6.ListResourceServer)
	if !ok {
		p.t.Fatal("the provider server does not serve list resources")
	}
	return l
}

func protoDiagsErr(diags []*tfprotov6.Diagnostic) error {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	return nil
}

// value encodes an object of type typ; attributes not in vals are null.
func (p *protoEnv) value(typ tftypes.Type, vals map[string]any) *tfprotov6.DynamicValue {
	p.t.Helper()
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.(tftypes.Object).AttributeTypes {
		attrs[name] = tftypes.NewValue(at, vals[name])
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// decode returns the attributes of an object value, as Go values: string,
// int64 (whole numbers), bool, or nil for null; nil for a null object.
func (p *protoEnv) decode(dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]any {
	p.t.Helper()
	if dv == nil {
		return nil
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	if v.IsNull() {
		return nil
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		p.t.Fatal(err)
	}
	out := map[string]any{}
	for name, av := range attrs {
		switch {
		case av.IsNull():
			out[name] = nil
		case av.Type().Is(tftypes.String):
			var s string
			_ = av.As(&s)
			out[name] = s
		case av.Type().Is(tftypes.Number):
			var f big.Float
			_ = av.As(&f)
			n, _ := f.Int64()
			out[name] = n
		case av.Type().Is(tftypes.Bool):
			var b bool
			_ = av.As(&b)
			out[name] = b
		}
	}
	return out
}

func (p *protoEnv) resourceType(name string) tftypes.Type {
	return p.schemas.ResourceSchemas[name].ValueType()
}

func (p *protoEnv) identityType(name string) tftypes.Type {
	return p.identities[name].ValueType()
}

func (p *protoEnv) identity(name string, id int64) *tfprotov6.ResourceIdentityData {
	return &tfprotov6.ResourceIdentityData{IdentityData: p.value(p.identityType(name), map[string]any{"id": id})}
}

// listResult is one decoded list result.
type listResult struct {
	name     string
	id       int64
	resource map[string]any // nil without include_resource
}

// list runs one ListResource call to the end.
func (p *protoEnv) list(name string, config map[string]any, includeResource bool, limit int64) []listResult {
	p.t.Helper()
	stream, err := p.lister().ListResource(p.t.Context(), &tfprotov6.ListResourceRequest{
		TypeName:        name,
		Config:          p.value(p.schemas.ListResourceSchemas[name].ValueType(), config),
		IncludeResource: includeResource,
		Limit:           limit,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var out []listResult
	for r := range stream.Results {
		if err := protoDiagsErr(r.Diagnostics); err != nil {
			p.t.Fatalf("ListResource %s: %v", name, err)
		}
		res := listResult{name: r.DisplayName, id: p.decode(r.Identity.IdentityData, p.identityType(name))["id"].(int64)}
		if r.Resource != nil {
			res.resource = p.decode(r.Resource, p.resourceType(name))
		}
		out = append(out, res)
	}
	return out
}

// outsideObjects is what makeOutside made, outside Terraform.
type outsideObjects struct {
	projects  []client.Project
	customers []client.Customer
	accounts  []client.Account
	owner     map[int64]int64 // account id -> customer id
	disabled  map[int64]bool
}

// makeOutside makes, through the API, projects with customersPer customers
// each, with accountsPer accounts each; every disabledEvery-th account (0:
// none) is disabled.
func makeOutside(t *testing.T, env *testEnv, projects, customersPer, accountsPer, disabledEvery int) *outsideObjects {
	t.Helper()
	ctx := env.ctx()
	f := &outsideObjects{owner: map[int64]int64{}, disabled: map[int64]bool{}}
	n := 0
	for i := range projects {
		p, err := env.client.CreateProject(ctx, client.ProjectRequest{Name: fmt.Sprintf("Brand %d", i+1), Description: "made outside Terraform"})
		if err != nil {
			t.Fatal(err)
		}
		f.projects = append(f.projects, *p)
		for j := range customersPer {
			c, err := env.client.CreateCustomer(ctx, client.CreateCustomerRequest{
				FirstName: "First", LastName: fmt.Sprintf("Last%d", j), Email: fmt.Sprintf("c%d.%d@example.com", i+1, j+1), ProjectID: p.ID,
			})
			if err != nil {
				t.Fatal(err)
			}
			f.customers = append(f.customers, *c)
			for range accountsPer {
				n++
				a, err := env.client.CreateAccount(ctx, client.CreateAccountRequest{
					Username: fmt.Sprintf("user%04d", n), Password: "s3cret-pass",
					Customer: &client.AccountCustomer{CustomerID: c.ID},
				})
				if err != nil {
					t.Fatal(err)
				}
				if disabledEvery > 0 && n%disabledEvery == 0 {
					if a, err = env.client.DisableAccount(ctx, a.ID); err != nil {
						t.Fatal(err)
					}
					f.disabled[a.ID] = true
				}
				f.accounts = append(f.accounts, *a)
				f.owner[a.ID] = c.ID
			}
		}
	}
	return f
}

func resultIDs(results []listResult) []int64 {
	out := make([]int64, len(results))
	for i, r := range results {
		out[i] = r.id
	}
	return out
}

func TestProtocol_listProjectsAndCustomers(t *testing.T) {
	p := newProtoEnv(t)
	f := makeOutside(t, p.testEnv, 2, 2, 1, 0)

	p.resetCalls()
	got := p.list("vpnresellers_project", nil, true, 100)
	if len(got) != 2 || got[0].name != "Brand 1" || got[1].id != f.projects[1].ID {
		t.Fatalf("projects: %+v", got)
	}
	want := map[string]any{"id": f.projects[0].ID, "name": "Brand 1", "description": "made outside Terraform", "user_id": f.projects[0].UserID, "timeouts": nil}
	if fmt.Sprint(got[0].resource) != fmt.Sprint(want) {
		t.Errorf("project resource:\n got  %v\n want %v", got[0].resource, want)
	}
	if err := p.expectCalls(map[string]int{"GET /projects": 1})(nil); err != nil {
		t.Error(err)
	}

	got = p.list("vpnresellers_customer", nil, false, 100)
	if len(got) != 4 || got[0].name != "c1.1@example.com" || got[0].resource != nil {
		t.Fatalf("customers: %+v", got)
	}
	p.resetCalls()
	got = p.list("vpnresellers_customer", map[string]any{"project_id": f.projects[1].ID}, true, 100)
	if !slices.Equal(resultIDs(got), []int64{f.customers[2].ID, f.customers[3].ID}) {
		t.Fatalf("customers of project 2: %+v", got)
	}
	c := f.customers[2]
	want = map[string]any{"id": c.ID, "project_id": c.ProjectID, "first_name": c.FirstName, "last_name": c.LastName, "email": c.Email, "user_id": c.UserID, "timeouts": nil}
	if fmt.Sprint(got[0].resource) != fmt.Sprint(want) {
		t.Errorf("customer resource:\n got  %v\n want %v", got[0].resource, want)
	}
	if err := p.expectCalls(map[string]int{"GET /projects/{id}/customers": 1})(nil); err != nil {
		t.Error(err)
	}
}

func TestProtocol_listAccounts(t *testing.T) {
	p := newProtoEnv(t)
	f := makeOutside(t, p.testEnv, 2, 2, 6, 8) // 24 accounts, 3 disabled
	loose, err := p.client.CreateAccount(p.ctx(), client.CreateAccountRequest{Username: "loose", Password: "s3cret-pass"})
	if err != nil {
		t.Fatal(err)
	}
	expiry := "2031-01-31"
	if _, err := p.client.ExpireAccount(p.ctx(), loose.ID, &expiry); err != nil {
		t.Fatal(err)
	}

	t.Run("without resources no customer walk", func(t *testing.T) {
		p.resetCalls()
		got := p.list("vpnresellers_account", nil, false, 100)
		if len(got) != 25 || got[0].name != "user0001" || got[24].name != "loose" || got[0].resource != nil {
			t.Fatalf("accounts: %d %+v", len(got), got[0])
		}
		if err := p.expectCalls(map[string]int{"GET /accounts": 1})(nil); err != nil {
			t.Error(err)
		}
	})

	t.Run("with resources customers resolved by one walk", func(t *testing.T) {
		p.resetCalls()
		got := p.list("vpnresellers_account", nil, true, 100)
		if len(got) != 25 {
			t.Fatalf("got %d accounts", len(got))
		}
		for _, r := range got {
			a := r.resource
			wantOwner, wantExpiry := any(f.owner[r.id]), any(nil)
			if r.id == loose.ID {
				wantOwner, wantExpiry = nil, expiry
			}
			if a["id"] != r.id || a["username"] != r.name || a["customer_id"] != wantOwner || a["expire_at"] != wantExpiry ||
				a["enabled"] != !f.disabled[r.id] || a["password"] != nil || a["password_wo"] != nil {
				t.Errorf("account %d: %v (want customer %v, disabled %v)", r.id, a, wantOwner, f.disabled[r.id])
			}
		}
		if err := p.expectCalls(map[string]int{"GET /accounts": 1, "GET /customers": 1, "GET /customers/{id}/accounts": 4})(nil); err != nil {
			t.Error(err)
		}
	})

	t.Run("status filter", func(t *testing.T) {
		got := p.list("vpnresellers_account", map[string]any{"status": "Disabled"}, false, 100)
		if len(got) != 3 {
			t.Fatalf("disabled accounts: %+v", got)
		}
		for _, r := range got {
			if !f.disabled[r.id] {
				t.Errorf("account %d is not disabled", r.id)
			}
		}
	})

	t.Run("customer filter needs no walk", func(t *testing.T) {
		c := f.customers[1]
		p.resetCalls()
		got := p.list("vpnresellers_account", map[string]any{"customer_id": c.ID, "status": "Active"}, true, 100)
		if len(got) != 5 { // 6 accounts, one of them (user0008) disabled
			t.Fatalf("active accounts of customer %d: %+v", c.ID, got)
		}
		for _, r := range got {
			if r.resource["customer_id"] != c.ID || f.owner[r.id] != c.ID || r.resource["enabled"] != true {
				t.Errorf("account %d: %v", r.id, r.resource)
			}
		}
		if err := p.expectCalls(map[string]int{"GET /customers/{id}/accounts": 1})(nil); err != nil {
			t.Error(err)
		}
	})

	t.Run("project filter reuses the owner walk", func(t *testing.T) {
		pr := f.projects[1]
		p.resetCalls()
		got := p.list("vpnresellers_account", map[string]any{"project_id": pr.ID}, true, 100)
		if len(got) != 12 {
			t.Fatalf("accounts of project %d: %d", pr.ID, len(got))
		}
		for _, r := range got {
			if r.resource["customer_id"] != f.owner[r.id] || (f.owner[r.id] != f.customers[2].ID && f.owner[r.id] != f.customers[3].ID) {
				t.Errorf("account %d: %v", r.id, r.resource)
			}
		}
		// Who owns which account comes from the client's one owner walk,
		// made by the first query of this provider: no walk again.
		if err := p.expectCalls(map[string]int{"GET /projects/{id}/accounts": 1})(nil); err != nil {
			t.Error(err)
		}
	})

	t.Run("limit", func(t *testing.T) {
		got := p.list("vpnresellers_account", nil, false, 4)
		if !slices.Equal(resultIDs(got), resultIDs(p.list("vpnresellers_account", nil, false, 100))[:4]) {
			t.Fatalf("limit 4: %+v", got)
		}
	})
}

func TestProtocol_listAccountsConflictingFilters(t *testing.T) {
	p := newProtoEnv(t)
	resp, err := p.lister().ValidateListResourceConfig(t.Context(), &tfprotov6.ValidateListResourceConfigRequest{
		TypeName: "vpnresellers_account",
		Config:   p.value(p.schemas.ListResourceSchemas["vpnresellers_account"].ValueType(), map[string]any{"customer_id": int64(1), "project_id": int64(2), "status": "Gone"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	var summaries []string
	for _, d := range resp.Diagnostics {
		summaries = append(summaries, d.Summary+" at "+fmt.Sprint(d.Attribute))
	}
	if len(summaries) != 2 {
		t.Fatalf("want a conflict and a bad status, got %q", summaries)
	}
}

// A query over 1,000 accounts costs ceil(1000 / page size) account list
// requests plus one walk of the customers' account lists, and a limit stops
// the paging early.
func TestProtocol_listAccountsCost(t *testing.T) {
	p := newProtoEnv(t)
	makeOutside(t, p.testEnv, 1, 10, 100, 0)
	pages := (1000 + client.DefaultPageSize - 1) / client.DefaultPageSize

	p.resetCalls()
	if got := p.list("vpnresellers_account", nil, true, 1000); len(got) != 1000 {
		t.Fatalf("got %d accounts", len(got))
	}
	// 10 customers with 100 accounts each: one page of customers, one page
	// of accounts per customer.
	if err := p.expectCalls(map[string]int{"GET /accounts": seamed(pages), "GET /customers": 1, "GET /customers/{id}/accounts": 10})(nil); err != nil {
		t.Error(err)
	}

	p.resetCalls()
	if got := p.list("vpnresellers_account", nil, false, client.DefaultPageSize+1); len(got) != client.DefaultPageSize+1 {
		t.Fatalf("got %d accounts", len(got))
	}
	if err := p.expectCalls(map[string]int{"GET /accounts": 2})(nil); err != nil {
		t.Error(err)
	}
}

func TestProtocol_listAPIError(t *testing.T) {
	p := newProtoEnv(t, map[string]any{"max_retries": int64(0)})
	makeOutside(t, p.testEnv, 1, 1, 1, 0)
	p.mock.SetFailureRate(1)
	stream, err := p.lister().ListResource(t.Context(), &tfprotov6.ListResourceRequest{
		TypeName: "vpnresellers_project",
		Config:   p.value(p.schemas.ListResourceSchemas["vpnresellers_project"].ValueType(), nil),
		Limit:    100,
	})
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	for r := range stream.Results {
		errs = append(errs, protoDiagsErr(r.Diagnostics))
	}
	if len(errs) != 1 || errs[0] == nil {
		t.Fatalf("want one error result, got %v", errs)
	}
	t.Log(errs[0])
}
