package provider

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Deferral (Terraform Stacks, and experimental builds' -allow-deferral),
// at the protocol level: Terraform 1.15.9 releases refuse -allow-deferral,
// so no CLI test can ask for it.

// configureUnknownToken sends ConfigureProvider with the token not known yet.
func (p *protoEnv) configureUnknownToken(deferralAllowed bool) *tfprotov6.ConfigureProviderResponse {
	p.t.Helper()
	resp, err := p.srv.ConfigureProvider(p.t.Context(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion:   "1.15.9",
		Config:             p.value(p.schemas.Provider.ValueType(), map[string]any{"base_url": p.url, "token": tftypes.UnknownValue}),
		ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: deferralAllowed},
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// A token from another component, not known at plan: with deferral allowed,
// Configure defers instead of failing, and so does everything the provider
// serves, without a request to the API: the resources' plans, the data
// sources' reads and the action's plans answer "deferred: provider
// configuration unknown".
func TestProtocol_configureDefersAnUnknownToken(t *testing.T) {
	p := unconfiguredProto(t)
	resp := p.configureUnknownToken(true)
	// The protocol's ConfigureProvider answer has no deferral of its own:
	// the provider says so in the answer to every later request.
	if len(resp.Diagnostics) > 0 {
		t.Fatalf("Configure failed instead of deferring: %v", protoDiagsErr(resp.Diagnostics))
	}
	ctx := t.Context()

	typ := p.resourceType("vpnresellers_account")
	plan, err := p.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName:           "vpnresellers_account",
		PriorState:         p.null(typ),
		Config:             p.value(typ, map[string]any{"username": "jane-doe", "password": "Stack-Password-1"}),
		ProposedNewState:   p.value(typ, map[string]any{"username": "jane-doe", "password": "Stack-Password-1"}),
		ClientCapabilities: &tfprotov6.PlanResourceChangeClientCapabilities{DeferralAllowed: true},
	})
	if err != nil || protoDiagsErr(plan.Diagnostics) != nil {
		t.Fatal(err, protoDiagsErr(plan.Diagnostics))
	}
	if plan.Deferred == nil || plan.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
		t.Errorf("the account's plan was not deferred: %+v", plan.Deferred)
	}

	// The fleet, served directly (NewServer), defers its plan and its
	// refresh alike.
	fleetType := p.resourceType("vpnresellers_accounts")
	entryType := fleetType.(tftypes.Object).AttributeTypes["accounts"].(tftypes.Map).ElementType.(tftypes.Object)
	entry := map[string]tftypes.Value{}
	for name, at := range entryType.AttributeTypes {
		entry[name] = tftypes.NewValue(at, nil)
	}
	fleet := p.value(fleetType, map[string]any{"accounts": map[string]tftypes.Value{"jane-doe": tftypes.NewValue(entryType, entry)}})
	fleetPlan, err := p.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "vpnresellers_accounts", PriorState: p.null(fleetType), Config: fleet, ProposedNewState: fleet,
		ClientCapabilities: &tfprotov6.PlanResourceChangeClientCapabilities{DeferralAllowed: true},
	})
	if err != nil || protoDiagsErr(fleetPlan.Diagnostics) != nil {
		t.Fatal(err, protoDiagsErr(fleetPlan.Diagnostics))
	}
	if fleetPlan.Deferred == nil || fleetPlan.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
		t.Errorf("the fleet's plan was not deferred: %+v", fleetPlan.Deferred)
	}
	fleetRead, err := p.srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: "vpnresellers_accounts", CurrentState: fleet,
		ClientCapabilities: &tfprotov6.ReadResourceClientCapabilities{DeferralAllowed: true},
	})
	if err != nil || protoDiagsErr(fleetRead.Diagnostics) != nil {
		t.Fatal(err, protoDiagsErr(fleetRead.Diagnostics))
	}
	if fleetRead.Deferred == nil || fleetRead.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
		t.Errorf("the fleet's refresh was not deferred: %+v", fleetRead.Deferred)
	}

	dsType := p.schemas.DataSourceSchemas["vpnresellers_profile"].ValueType()
	read, err := p.srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
		TypeName:           "vpnresellers_profile",
		Config:             p.value(dsType, nil),
		ClientCapabilities: &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: true},
	})
	if err != nil || protoDiagsErr(read.Diagnostics) != nil {
		t.Fatal(err, protoDiagsErr(read.Diagnostics))
	}
	if read.Deferred == nil || read.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
		t.Errorf("the profile's read was not deferred: %+v", read.Deferred)
	}

	actionType := p.schemas.ActionSchemas["vpnresellers_account_validate"].Schema.ValueType()
	planned, err := p.srv.(tfprotov6.ActionServer).PlanAction(ctx, &tfprotov6.PlanActionRequest{
		ActionType:         "vpnresellers_account_validate",
		Config:             p.value(actionType, map[string]any{"username": "jane-doe", "password": "Stack-Password-1"}),
		ClientCapabilities: &tfprotov6.PlanActionClientCapabilities{DeferralAllowed: true},
	})
	if err != nil || protoDiagsErr(planned.Diagnostics) != nil {
		t.Fatal(err, protoDiagsErr(planned.Diagnostics))
	}
	if planned.Deferred == nil || planned.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
		t.Errorf("the action's plan was not deferred: %+v", planned.Deferred)
	}

	if err := p.expectCalls(map[string]int{})(nil); err != nil {
		t.Errorf("a deferred provider asked the API: %v", err)
	}
}

// Without deferral (every released Terraform CLI), an unknown token is the
// error it always was, on the token, saying what to do and which runs defer.
func TestProtocol_configureWithoutDeferralRefusesAnUnknownToken(t *testing.T) {
	p := unconfiguredProto(t)
	resp := p.configureUnknownToken(false)
	var found *tfprotov6.Diagnostic
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			if found != nil {
				t.Errorf("more than one error: %q and %q", found.Summary, d.Summary)
			}
			found = d
		}
	}
	if found == nil {
		t.Fatal("no error for an unknown token")
	}
	if found.Summary != "Unknown provider setting" || found.Attribute == nil ||
		!found.Attribute.Equal(tftypes.NewAttributePath().WithAttributeName("token")) {
		t.Errorf("want the error on token, got %q on %v", found.Summary, found.Attribute)
	}
	for _, want := range []string{"known at plan time", "environment variable", "Terraform Stacks", "-allow-deferral"} {
		if !strings.Contains(found.Detail, want) {
			t.Errorf("the error does not say %q: %s", want, found.Detail)
		}
	}
	if err := p.expectCalls(map[string]int{})(nil); err != nil {
		t.Error(err)
	}
}

// A list data source under a parent whose id is not known yet (the parent
// is made by another component) defers where Terraform allows it, and is
// otherwise an error on the parent's argument; neither asks the API.
func TestProtocol_listUnderAnUnknownParent(t *testing.T) {
	p := newProtoEnv(t)
	for _, tc := range []struct{ dataSource, attr string }{
		{"vpnresellers_accounts", "customer_id"},
		{"vpnresellers_accounts", "project_id"},
		{"vpnresellers_customers", "project_id"},
	} {
		typ := p.schemas.DataSourceSchemas[tc.dataSource].ValueType()
		for _, allowed := range []bool{true, false} {
			p.resetCalls()
			resp, err := p.srv.ReadDataSource(t.Context(), &tfprotov6.ReadDataSourceRequest{
				TypeName:           tc.dataSource,
				Config:             p.value(typ, map[string]any{tc.attr: tftypes.UnknownValue}),
				ClientCapabilities: &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: allowed},
			})
			if err != nil {
				t.Fatal(err)
			}
			what := tc.dataSource + "." + tc.attr
			if allowed {
				if err := protoDiagsErr(resp.Diagnostics); err != nil || resp.Deferred == nil ||
					resp.Deferred.Reason != tfprotov6.DeferredReasonResourceConfigUnknown {
					t.Errorf("%s, deferral allowed: want a deferral, got %+v, %v", what, resp.Deferred, err)
				}
			} else {
				err := protoDiagsErr(resp.Diagnostics)
				if resp.Deferred != nil || err == nil || !strings.Contains(err.Error(), "Unknown "+tc.attr) ||
					!strings.Contains(err.Error(), "not known yet") {
					t.Errorf("%s, deferral not allowed: want an error on it, got %+v, %v", what, resp.Deferred, err)
				}
			}
			if err := p.expectCalls(map[string]int{})(nil); err != nil {
				t.Errorf("%s: %v", what, err)
			}
		}
	}
}

// Settling an unfinished create of this state's (the note a placeholder
// keeps) needs the account's password: while that is not known (it comes
// from another component), the account's plan is deferred where Terraform
// allows it, and otherwise warns that the apply settles it. A taken
// username without such a record is an error either way.
func TestProtocol_takenUsernameWithAnUnknownPasswordDefers(t *testing.T) {
	for _, allowed := range []bool{true, false} {
		p := newProtoEnv(t)
		if _, err := p.client.CreateAccount(p.ctx(), client.CreateAccountRequest{Username: "jane-doe", Password: "Its-Own-1"}); err != nil {
			t.Fatal(err)
		}
		typ := p.resourceType("vpnresellers_account")
		// The refresh of the placeholder an unfinished create left.
		placeholder := p.value(typ, map[string]any{"username": "jane-doe", "password_wo_version": int64(1)})
		note, err := json.Marshal(map[string][]byte{ // the framework's private state: values as bytes
			"pending_create": []byte(`{"kind":"account","mark":0,"username":"jane-doe"}`),
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.srv.ReadResource(t.Context(), &tfprotov6.ReadResourceRequest{
			TypeName: "vpnresellers_account", CurrentState: placeholder, Private: note,
		}); err != nil {
			t.Fatal(err)
		}
		config := map[string]any{"username": "jane-doe", "password_wo": tftypes.UnknownValue, "password_wo_version": int64(1)}
		proposed := maps.Clone(config)
		proposed["password_wo"] = nil
		resp, err := p.srv.PlanResourceChange(t.Context(), &tfprotov6.PlanResourceChangeRequest{
			TypeName:           "vpnresellers_account",
			PriorState:         p.null(typ),
			Config:             p.value(typ, config),
			ProposedNewState:   p.value(typ, proposed),
			ClientCapabilities: &tfprotov6.PlanResourceChangeClientCapabilities{DeferralAllowed: allowed},
		})
		if err != nil {
			t.Fatal(err)
		}
		err = protoDiagsErr(resp.Diagnostics)
		warned := false
		for _, d := range resp.Diagnostics {
			warned = warned || strings.Contains(d.Summary, "is settled by the apply")
		}
		switch {
		case allowed && (err != nil || resp.Deferred == nil || resp.Deferred.Reason != tfprotov6.DeferredReasonResourceConfigUnknown):
			t.Errorf("deferral allowed: want the plan deferred, got %+v, %v", resp.Deferred, err)
		case !allowed && (resp.Deferred != nil || err != nil || !warned):
			t.Errorf("deferral not allowed: want the warning that the apply settles it, got %+v, %v %+v", resp.Deferred, err, resp.Diagnostics)
		}
	}
}
