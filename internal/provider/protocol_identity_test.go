package provider

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Protocol tests of resource identity: import by identity, out-of-range
// identities, and a read of a gone object keeping its identity.

// importResource runs ImportResourceState and the ReadResource Terraform
// runs after it, and returns the state and identity read.
func (p *protoEnv) importResource(name, id string, identity *tfprotov6.ResourceIdentityData) (state, ident map[string]any) {
	p.t.Helper()
	ctx := p.t.Context()
	imp, err := p.srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: name, ID: id, Identity: identity})
	if err != nil || protoDiagsErr(imp.Diagnostics) != nil {
		p.t.Fatalf("ImportResourceState %s %q: %v %v", name, id, err, protoDiagsErr(imp.Diagnostics))
	}
	if len(imp.ImportedResources) != 1 {
		p.t.Fatalf("imported %d resources", len(imp.ImportedResources))
	}
	ir := imp.ImportedResources[0]
	if got := p.decode(ir.Identity.IdentityData, p.identityType(name)); got["id"] != p.decode(ir.State, p.resourceType(name))["id"] {
		p.t.Errorf("ImportResourceState: identity %v does not match the state's id", got)
	}
	read, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: name, CurrentState: ir.State, CurrentIdentity: ir.Identity, Private: ir.Private,
	})
	if err != nil || protoDiagsErr(read.Diagnostics) != nil {
		p.t.Fatalf("ReadResource %s: %v %v", name, err, protoDiagsErr(read.Diagnostics))
	}
	return p.decode(read.NewState, p.resourceType(name)), p.decode(read.NewIdentity.IdentityData, p.identityType(name))
}

func TestProtocol_importAndReadIdentity(t *testing.T) {
	p := newProtoEnv(t)
	f := makeOutside(t, p.testEnv, 1, 1, 2, 2)
	acc := f.accounts[1] // disabled

	for _, tc := range []struct {
		name, id string
		identity *tfprotov6.ResourceIdentityData
		want     int64
	}{
		{"vpnresellers_project", "", p.identity("vpnresellers_project", f.projects[0].ID), f.projects[0].ID},
		{"vpnresellers_project", fmt.Sprint(f.projects[0].ID), nil, f.projects[0].ID},
		{"vpnresellers_customer", "", p.identity("vpnresellers_customer", f.customers[0].ID), f.customers[0].ID},
		{"vpnresellers_customer", fmt.Sprint(f.customers[0].ID), nil, f.customers[0].ID},
		{"vpnresellers_account", "", p.identity("vpnresellers_account", acc.ID), acc.ID},
		{"vpnresellers_account", fmt.Sprint(acc.ID), nil, acc.ID},
		{"vpnresellers_account", acc.Username, nil, acc.ID},
	} {
		t.Run(tc.name+" "+tc.id, func(t *testing.T) {
			state, ident := p.importResource(tc.name, tc.id, tc.identity)
			if state["id"] != tc.want || ident["id"] != tc.want {
				t.Fatalf("state id %v, identity %v, want %d", state["id"], ident, tc.want)
			}
			if tc.name == "vpnresellers_account" && (state["customer_id"] != f.customers[0].ID || state["enabled"] != false) {
				t.Errorf("account state: %v", state)
			}
		})
	}

	t.Run("invalid identity", func(t *testing.T) {
		resp, err := p.srv.ImportResourceState(t.Context(), &tfprotov6.ImportResourceStateRequest{
			TypeName: "vpnresellers_project", Identity: p.identity("vpnresellers_project", 0),
		})
		if err != nil || protoDiagsErr(resp.Diagnostics) == nil {
			t.Fatalf("want an error, got %v %v", err, resp.Diagnostics)
		}
	})
}

// An identity id that is out of range or fractional is an error on the
// identity's id that says what is wrong with the value, not the framework's
// "always an error in the provider", and nothing is asked of the API.
func TestProtocol_importIdentityOutOfRange(t *testing.T) {
	p := newProtoEnv(t)
	huge, _, _ := big.ParseFloat("9223372036854775808", 10, 256, big.ToNearestEven) // 2^63
	for _, tc := range []struct {
		name string
		id   *big.Float
		want string
	}{
		{"2^63", huge, "9223372036854775808, which is too large"},
		{"fraction", big.NewFloat(1.5), "1.5, which is not a whole number"},
		{"negative", big.NewFloat(-3), "got -3"},
	} {
		for _, typ := range []string{"vpnresellers_project", "vpnresellers_customer", "vpnresellers_account"} {
			t.Run(tc.name+" "+typ, func(t *testing.T) {
				p.resetCalls()
				ident := &tfprotov6.ResourceIdentityData{IdentityData: p.value(p.identityType(typ), map[string]any{"id": tc.id})}
				resp, err := p.srv.ImportResourceState(t.Context(), &tfprotov6.ImportResourceStateRequest{TypeName: typ, Identity: ident})
				if err != nil {
					t.Fatal(err)
				}
				if len(resp.Diagnostics) != 1 {
					t.Fatalf("want one diagnostic, got %d: %v", len(resp.Diagnostics), protoDiagsErr(resp.Diagnostics))
				}
				d := resp.Diagnostics[0]
				if d.Severity != tfprotov6.DiagnosticSeverityError || d.Summary != "Invalid import identity" ||
					!strings.Contains(d.Detail, tc.want) || strings.Contains(d.Detail, "provider") {
					t.Errorf("diagnostic: %s: %s", d.Summary, d.Detail)
				}
				if d.Attribute == nil || d.Attribute.String() != tftypes.NewAttributePath().WithAttributeName("id").String() {
					t.Errorf("diagnostic path: %v, want id", d.Attribute)
				}
				if len(resp.ImportedResources) != 0 {
					t.Errorf("imported %d resources", len(resp.ImportedResources))
				}
				for _, n := range p.mock.Counts() {
					if n > 0 {
						t.Fatalf("the API was called: %s", formatCalls(p.mock.Counts()))
					}
				}
			})
		}
	}
}

// A refresh of an object deleted outside Terraform removes it from state
// and still answers with its identity (the framework insists on one).
func TestProtocol_readGoneKeepsIdentity(t *testing.T) {
	p := newProtoEnv(t)
	f := makeOutside(t, p.testEnv, 1, 0, 0, 0)
	name := "vpnresellers_project"
	state := p.value(p.resourceType(name), map[string]any{"id": f.projects[0].ID, "name": "Brand 1", "description": "x", "user_id": int64(1)})
	if err := p.client.DeleteProject(p.ctx(), f.projects[0].ID); err != nil {
		t.Fatal(err)
	}
	read, err := p.srv.ReadResource(t.Context(), &tfprotov6.ReadResourceRequest{
		TypeName: name, CurrentState: state, CurrentIdentity: p.identity(name, f.projects[0].ID),
	})
	if err != nil || protoDiagsErr(read.Diagnostics) != nil {
		t.Fatalf("ReadResource: %v %v", err, protoDiagsErr(read.Diagnostics))
	}
	if got := p.decode(read.NewState, p.resourceType(name)); got != nil {
		t.Fatalf("state not removed: %v", got)
	}
	if got := p.decode(read.NewIdentity.IdentityData, p.identityType(name)); got["id"] != f.projects[0].ID {
		t.Fatalf("identity: %v", got)
	}
}
