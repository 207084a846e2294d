package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// Protocol tests of the state movers from restapi_object (move_state.go):
// MoveResourceState as Terraform calls it for a `moved` block, fed the raw
// states restapi 2.x and 3.x write, then the refresh that follows.

const restapiAddr = "registry.terraform.io/mastercard/restapi"

// restapi3State is a restapi_object state as restapi 3.0.0 writes it (every
// attribute present, read_search a nested object, ignore_server_additions),
// with the answer of the API in api_response and create_response.
func restapi3State(path, id string, data map[string]any, answer any) []byte {
	d, _ := json.Marshal(data)
	resp := ""
	if answer != nil {
		b, _ := json.Marshal(map[string]any{"data": answer, "code": 200})
		resp = string(b) + "\n"
	}
	attrs := map[string]any{
		"api_data": map[string]string{"code": "200", "data": "map[id:" + id + "]"}, "api_response": resp,
		"create_method": nil, "create_path": nil, "create_response": resp, "data": string(d), "debug": nil,
		"destroy_data": nil, "destroy_method": nil, "destroy_path": nil, "force_new": nil, "id": id,
		"id_attribute": "data/id", "ignore_all_server_changes": nil, "ignore_changes_to": nil,
		"ignore_server_additions": true, "object_id": nil, "path": path, "query_string": nil, "read_data": nil,
		"read_method": nil, "read_path": nil, "read_search": nil, "update_data": nil, "update_method": nil, "update_path": nil,
	}
	b, _ := json.Marshal(attrs)
	return b
}

// restapi2State is a restapi_object state as restapi 2.x (SDKv2) writes
// it: read_search a map of strings, no ignore_server_additions, and the
// API's answer only in api_data, as Go's %v of a map.
func restapi2State(path, readPath, id string, data map[string]any, goMap string) []byte {
	d, _ := json.Marshal(data)
	attrs := map[string]any{
		"api_data": map[string]string{"code": "200", "data": goMap}, "create_path": "", "data": string(d), "debug": false,
		"destroy_path": "", "force_new": nil, "id": id, "id_attribute": "", "object_id": "", "path": path,
		"query_string": "", "read_path": readPath, "read_search": map[string]string{}, "update_path": "",
	}
	b, _ := json.Marshal(attrs)
	return b
}

// move calls MoveResourceState for a restapi_object into target.
func (p *protoEnv) move(target string, raw []byte) *tfprotov6.MoveResourceStateResponse {
	p.t.Helper()
	resp, err := p.srv.MoveResourceState(p.t.Context(), &tfprotov6.MoveResourceStateRequest{
		SourceProviderAddress: restapiAddr, SourceTypeName: "restapi_object", SourceSchemaVersion: 0,
		SourceState: &tfprotov6.RawState{JSON: raw}, TargetTypeName: target,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// mustMove is move that fails the test on an error, and checks that the
// move asked nothing of the API (Terraform moves before configuring) and
// gave the object its identity.
func (p *protoEnv) mustMove(target string, raw []byte) (*tfprotov6.MoveResourceStateResponse, map[string]any) {
	p.t.Helper()
	p.resetCalls()
	resp := p.move(target, raw)
	if err := protoDiagsErr(resp.Diagnostics); err != nil {
		p.t.Fatalf("MoveResourceState into %s: %v", target, err)
	}
	if err := p.expectCalls(map[string]int{})(nil); err != nil {
		p.t.Errorf("the move called the API: %v", err)
	}
	state := p.decode(resp.TargetState, p.resourceType(target))
	if ident := p.decode(resp.TargetIdentity.IdentityData, p.identityType(target)); ident["id"] != state["id"] {
		p.t.Errorf("identity %v, state id %v", ident, state["id"])
	}
	return resp, state
}

// refresh runs the ReadResource Terraform runs after a move.
func (p *protoEnv) refresh(target string, moved *tfprotov6.MoveResourceStateResponse) (*tfprotov6.ReadResourceResponse, map[string]any) {
	p.t.Helper()
	read, err := p.srv.ReadResource(p.t.Context(), &tfprotov6.ReadResourceRequest{
		TypeName: target, CurrentState: moved.TargetState, CurrentIdentity: moved.TargetIdentity, Private: moved.TargetPrivate,
	})
	if err != nil || protoDiagsErr(read.Diagnostics) != nil {
		p.t.Fatalf("ReadResource %s: %v %v", target, err, protoDiagsErr(read.Diagnostics))
	}
	return read, p.decode(read.NewState, p.resourceType(target))
}

func TestMoveState_account(t *testing.T) {
	p := newProtoEnv(t)
	f := makeOutside(t, p.testEnv, 1, 2, 1, 0)
	acc, owner := f.accounts[1], f.owner[f.accounts[1].ID]
	data := map[string]any{"username": acc.Username, "password": "s3cret-pass", "customer": map[string]any{"customer_id": owner}}

	for _, tc := range []struct {
		shape string
		raw   []byte
	}{
		{"3.x", restapi3State("/v4_1/accounts", fmt.Sprint(acc.ID), data, acc)},
		{"2.x", restapi2State("/accounts", "/accounts/{id}", fmt.Sprint(acc.ID), data, "map[id:"+fmt.Sprint(acc.ID)+" status:Active]")},
	} {
		t.Run(tc.shape, func(t *testing.T) {
			moved, state := p.mustMove("vpnresellers_account", tc.raw)
			if state["id"] != acc.ID || state["username"] != acc.Username || state["customer_id"] != owner {
				t.Errorf("moved state: %v", state)
			}
			if state["password"] != nil || state["password_wo"] != nil || state["password_wo_version"] != nil {
				t.Errorf("a password crossed: %v", state)
			}
			// Neither the password nor the WireGuard private key of the
			// restapi state reach the new state or its private state.
			for _, secret := range []string{"s3cret-pass", acc.WgPrivateKey} {
				if strings.Contains(string(moved.TargetState.JSON)+string(moved.TargetState.MsgPack)+string(moved.TargetPrivate), secret) {
					t.Errorf("the moved state holds a secret")
				}
			}
			if tc.shape == "3.x" && (state["status"] != "Active" || state["wg_public_key"] != acc.WgPublicKey) {
				t.Errorf("the API's answer was not used: %v", state)
			}
			p.resetCalls()
			_, read := p.refresh("vpnresellers_account", moved)
			if read["customer_id"] != owner || read["status"] != "Active" || read["wg_public_key"] != acc.WgPublicKey || read["enabled"] != true {
				t.Errorf("refreshed state: %v", read)
			}
			if err := p.expectCalls(map[string]int{"GET /accounts/{id}": 1})(nil); err != nil {
				t.Error(err)
			}
		})
	}
}

// An account whose restapi data names no customer: the refresh after the
// move finds its owner, once, as import does; an account of no customer
// keeps none.
func TestMoveState_accountMissingOwner(t *testing.T) {
	p := newProtoEnv(t)
	f := makeOutside(t, p.testEnv, 1, 2, 1, 0)
	acc, owner := f.accounts[1], f.owner[f.accounts[1].ID]
	loner, err := p.client.CreateAccount(p.ctx(), client.CreateAccountRequest{Username: "loner", Password: "s3cret-pass"})
	if err != nil {
		t.Fatal(err)
	}

	moved, state := p.mustMove("vpnresellers_account",
		restapi3State("/v4_1/accounts", fmt.Sprint(acc.ID), map[string]any{"username": acc.Username, "password": "s3cret-pass"}, acc))
	if state["customer_id"] != nil {
		t.Fatalf("customer_id before the refresh: %v", state["customer_id"])
	}
	p.resetCalls()
	read, got := p.refresh("vpnresellers_account", moved)
	if got["customer_id"] != owner {
		t.Fatalf("the refresh did not find the owner: %v, want %d", got["customer_id"], owner)
	}
	if p.mock.Counts()["GET /customers/{id}/accounts"] == 0 {
		t.Errorf("no owner lookup: %v", p.mock.Counts())
	}
	// The lookup is done: a second refresh reads the account alone.
	p.resetCalls()
	again, err := p.srv.ReadResource(t.Context(), &tfprotov6.ReadResourceRequest{
		TypeName: "vpnresellers_account", CurrentState: read.NewState, CurrentIdentity: read.NewIdentity, Private: read.Private,
	})
	if err != nil || protoDiagsErr(again.Diagnostics) != nil {
		t.Fatal(err, protoDiagsErr(again.Diagnostics))
	}
	if err := p.expectCalls(map[string]int{"GET /accounts/{id}": 1})(nil); err != nil {
		t.Error(err)
	}

	// A plan without the refresh (-refresh=false) would replace the account
	// for a customer_id it does not know yet: it fails instead.
	t.Run("plan without refresh", func(t *testing.T) {
		typ := p.resourceType("vpnresellers_account")
		resp, err := p.srv.PlanResourceChange(t.Context(), &tfprotov6.PlanResourceChangeRequest{
			TypeName: "vpnresellers_account", PriorState: moved.TargetState, PriorPrivate: moved.TargetPrivate,
			PriorIdentity: moved.TargetIdentity,
			Config:        p.value(typ, map[string]any{"username": acc.Username, "customer_id": owner}),
			ProposedNewState: p.value(typ, map[string]any{
				"id": acc.ID, "username": acc.Username, "customer_id": owner, "enabled": true, "status": "Active",
				"wg_ip": acc.WgIP, "wg_public_key": acc.WgPublicKey, "created": acc.Created, "updated": acc.Updated,
			}),
		})
		if err != nil {
			t.Fatal(err)
		}
		if e := protoDiagsErr(resp.Diagnostics); e == nil || !strings.Contains(e.Error(), "-refresh=false") {
			t.Fatalf("want the error about the owner, got %v (replace %v)", e, resp.RequiresReplace)
		}
	})

	t.Run("no customer", func(t *testing.T) {
		moved, _ := p.mustMove("vpnresellers_account",
			restapi3State("/v4_1/accounts", fmt.Sprint(loner.ID), map[string]any{"username": "loner", "password": "s3cret-pass"}, loner))
		if _, got := p.refresh("vpnresellers_account", moved); got["customer_id"] != nil || got["username"] != "loner" {
			t.Fatalf("refreshed: %v", got)
		}
	})

	t.Run("lookup fails", func(t *testing.T) {
		q := newProtoEnv(t, map[string]any{"max_retries": int64(0)})
		g := makeOutside(t, q.testEnv, 1, 1, 1, 0)
		moved, _ := q.mustMove("vpnresellers_account",
			restapi3State("/v4_1/accounts", fmt.Sprint(g.accounts[0].ID), map[string]any{"username": g.accounts[0].Username}, g.accounts[0]))
		q.mock.FailNext("GET /customers", 1, mockapi.FailBefore)
		read, err := q.srv.ReadResource(t.Context(), &tfprotov6.ReadResourceRequest{
			TypeName: "vpnresellers_account", CurrentState: moved.TargetState, CurrentIdentity: moved.TargetIdentity, Private: moved.TargetPrivate,
		})
		if err != nil {
			t.Fatal(err)
		}
		if e := protoDiagsErr(read.Diagnostics); e == nil || !strings.Contains(e.Error(), "Unable to find the customer of account") {
			t.Fatalf("want the lookup's error, got %v", e)
		}
	})
}

func TestMoveState_customerAndProject(t *testing.T) {
	p := newProtoEnv(t)
	f := makeOutside(t, p.testEnv, 1, 1, 0, 0)
	pr, c := f.projects[0], f.customers[0]

	t.Run("customer 3.x", func(t *testing.T) {
		data := map[string]any{"first_name": c.FirstName, "last_name": c.LastName, "email": c.Email, "project_id": c.ProjectID}
		moved, state := p.mustMove("vpnresellers_customer", restapi3State("/v4_1/customers", fmt.Sprint(c.ID), data, c))
		want := map[string]any{"id": c.ID, "first_name": c.FirstName, "last_name": c.LastName, "email": c.Email, "project_id": pr.ID, "user_id": c.UserID,
			"timeouts": nil} // no timeouts block
		if fmt.Sprint(state) != fmt.Sprint(want) {
			t.Errorf("moved: %v\nwant   %v", state, want)
		}
		if _, read := p.refresh("vpnresellers_customer", moved); fmt.Sprint(read) != fmt.Sprint(want) {
			t.Errorf("refreshed: %v", read)
		}
	})

	t.Run("project 2.x", func(t *testing.T) {
		// The restapi provider's uri holds /v4_1; the path does not.
		raw := restapi2State("/projects", "/projects/{id}", fmt.Sprint(pr.ID),
			map[string]any{"name": pr.Name, "description": pr.Description}, fmt.Sprintf("map[description:x id:%d name:y user_id:%d]", pr.ID, pr.UserID))
		moved, state := p.mustMove("vpnresellers_project", raw)
		want := map[string]any{"id": pr.ID, "name": pr.Name, "description": pr.Description, "user_id": pr.UserID, "timeouts": nil}
		if fmt.Sprint(state) != fmt.Sprint(want) {
			t.Errorf("moved: %v\nwant   %v", state, want)
		}
		if _, read := p.refresh("vpnresellers_project", moved); fmt.Sprint(read) != fmt.Sprint(want) {
			t.Errorf("refreshed: %v", read)
		}
	})

	t.Run("flatmap", func(t *testing.T) {
		resp, err := p.srv.MoveResourceState(t.Context(), &tfprotov6.MoveResourceStateRequest{
			SourceProviderAddress: restapiAddr, SourceTypeName: "restapi_object", TargetTypeName: "vpnresellers_project",
			SourceState: &tfprotov6.RawState{Flatmap: map[string]string{
				"id": fmt.Sprint(pr.ID), "path": "/v4_1/projects", "data": `{"name":"` + pr.Name + `","description":"d"}`, "api_data.%": "1", "api_data.code": "200",
			}},
		})
		if err != nil || protoDiagsErr(resp.Diagnostics) != nil {
			t.Fatal(err, protoDiagsErr(resp.Diagnostics))
		}
		if got := p.decode(resp.TargetState, p.resourceType("vpnresellers_project")); got["id"] != pr.ID || got["name"] != pr.Name {
			t.Errorf("moved: %v", got)
		}
	})
}

// The source is recognised whatever provider address the CLI sends with
// it: Terraform 1.15 sends the target's, OpenTofu a short name.
func TestMoveState_sourceAddress(t *testing.T) {
	p := newProtoEnv(t)
	for _, addr := range []string{restapiAddr, "registry.opentofu.org/mastercard/restapi", "restapi", "registry.terraform.io/vpnresellers/vpnresellers"} {
		resp, err := p.srv.MoveResourceState(t.Context(), &tfprotov6.MoveResourceStateRequest{
			SourceProviderAddress: addr, SourceTypeName: "restapi_object", TargetTypeName: "vpnresellers_project",
			SourceState: &tfprotov6.RawState{JSON: restapi3State("/v4_1/projects", "3", map[string]any{"name": "n", "description": "d"}, nil)},
		})
		if err != nil || protoDiagsErr(resp.Diagnostics) != nil {
			t.Errorf("%s: %v %v", addr, err, protoDiagsErr(resp.Diagnostics))
		}
	}
}

// Every error of the movers names what it found; none quotes data (the
// password).
func TestMoveState_errors(t *testing.T) {
	p := newProtoEnv(t)
	acct := map[string]any{"username": "jane", "password": "s3cret-pass"}
	for _, tc := range []struct {
		name, target string
		raw          []byte
		version      int64
		want         []string
	}{
		{"wrong kind", "vpnresellers_account", restapi3State("/v4_1/customers", "4", acct, nil), 0,
			[]string{"is a customer", `path is "/v4_1/customers"`, "not an account", "vpnresellers_customer"}},
		{"wrong kind project", "vpnresellers_customer", restapi2State("/v4_1/projects", "", "4", acct, ""), 0,
			[]string{"is a project", "vpnresellers_project"}},
		{"wrong path", "vpnresellers_account", restapi3State("/v2/users", "4", acct, nil), 0,
			[]string{`path is "/v2/users"`, "not a path of the VPNresellers API"}},
		{"wrong read path", "vpnresellers_account", restapi2State("/v4_1/accounts", "/v4_1/accounts/{id}/show", "4", acct, ""), 0,
			[]string{`read_path is "/v4_1/accounts/{id}/show"`}},
		{"paths disagree", "vpnresellers_account", restapi2State("/v4_1/accounts", "/v4_1/customers/{id}", "4", acct, ""), 0,
			[]string{"paths disagree", `path is "/v4_1/accounts"`, `read_path is "/v4_1/customers/{id}"`}},
		{"no path", "vpnresellers_account", restapi2State("", "", "4", acct, ""), 0,
			[]string{"has no path"}},
		{"empty id", "vpnresellers_account", restapi3State("/v4_1/accounts", "", acct, nil), 0,
			[]string{"has no id", "import"}},
		{"id not a number", "vpnresellers_account", restapi3State("/v4_1/accounts", "jane", acct, nil), 0,
			[]string{`id is "jane"`, `"data/id"`}},
		{"schema version", "vpnresellers_project", restapi3State("/v4_1/projects", "4", nil, nil), 1,
			[]string{"schema version 1"}},
		{"not JSON", "vpnresellers_project", []byte("{"), 0, []string{"cannot be read"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p.resetCalls()
			resp, err := p.srv.MoveResourceState(t.Context(), &tfprotov6.MoveResourceStateRequest{
				SourceProviderAddress: restapiAddr, SourceTypeName: "restapi_object", SourceSchemaVersion: tc.version,
				SourceState: &tfprotov6.RawState{JSON: tc.raw}, TargetTypeName: tc.target,
			})
			if err != nil {
				t.Fatal(err)
			}
			e := protoDiagsErr(resp.Diagnostics)
			if e == nil {
				t.Fatalf("no error; state %s", resp.TargetState.JSON)
			}
			for _, w := range tc.want {
				if !strings.Contains(e.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, e)
				}
			}
			if strings.Contains(e.Error(), "s3cret-pass") {
				t.Errorf("the error quotes the password: %v", e)
			}
			if resp.TargetState != nil {
				t.Errorf("a failed move returned a state")
			}
			if err := p.expectCalls(map[string]int{})(nil); err != nil {
				t.Error(err)
			}
		})
	}

	t.Run("other source", func(t *testing.T) {
		resp, err := p.srv.MoveResourceState(t.Context(), &tfprotov6.MoveResourceStateRequest{
			SourceProviderAddress: "registry.terraform.io/hashicorp/null", SourceTypeName: "null_resource",
			SourceState: &tfprotov6.RawState{JSON: []byte(`{"id":"1"}`)}, TargetTypeName: "vpnresellers_project",
		})
		if err != nil {
			t.Fatal(err)
		}
		if e := protoDiagsErr(resp.Diagnostics); e == nil || !strings.Contains(e.Error(), "null_resource") {
			t.Fatalf("want the framework's error naming the source, got %v", e)
		}
	})
}
