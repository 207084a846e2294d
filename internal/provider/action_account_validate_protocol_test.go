package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The validate action at the protocol level, on every machine whatever its
// Terraform CLI: the schema Terraform receives, and invocations.

// The schema Terraform receives: both passwords write-only (so ephemeral
// values are accepted and never stored in a plan) and sensitive.
func TestAction_passwordsAreWriteOnlyAndSensitive(t *testing.T) {
	p := unconfiguredProto(t)
	as := p.schemas.ActionSchemas["vpnresellers_account_validate"]
	if as == nil {
		t.Fatal("no vpnresellers_account_validate action in the schema")
	}
	got := map[string][2]bool{}
	for _, a := range as.Schema.Block.Attributes {
		got[a.Name] = [2]bool{a.WriteOnly, a.Sensitive}
	}
	want := map[string][2]bool{"username": {}, "account_id": {}, "account_ids": {}, "password": {true, true}, "passwords": {true, true}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("attributes (write-only, sensitive):\n got  %v\n want %v", got, want)
	}
}

// invoke runs the validate action with config to its end and returns its
// progress messages and its final diagnostics.
func (p *protoEnv) invoke(config map[string]any) (progress []string, diags []*tfprotov6.Diagnostic) {
	p.t.Helper()
	typ := p.schemas.ActionSchemas["vpnresellers_account_validate"].Schema.ValueType()
	stream, err := p.srv.(tfprotov6.ActionServer).InvokeAction(p.t.Context(), &tfprotov6.InvokeActionRequest{
		ActionType: "vpnresellers_account_validate",
		Config:     p.value(typ, config),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			diags = e.Diagnostics
		}
	}
	return progress, diags
}

// The fleet form checks every entry it can, side by side, and one error
// lists each that failed and why: a wrong password, no password, no id (a
// create that failed). Only the entries with an id and a password are sent
// to the API, and no password is in what it says.
func TestAction_fleetFailuresAreListedByAccount(t *testing.T) {
	p := newProtoEnv(t)
	ids, id := map[string]tftypes.Value{}, map[string]int64{}
	for _, name := range []string{"f1", "f2", "no-password"} {
		id[name] = outsideAccount(t, p.testEnv, name).ID
		ids[name] = tftypes.NewValue(tftypes.Number, id[name])
	}
	ids["not-created"] = tftypes.NewValue(tftypes.Number, nil)
	passwords := map[string]tftypes.Value{
		"f1":          tftypes.NewValue(tftypes.String, rightPassword),
		"f2":          tftypes.NewValue(tftypes.String, wrongPassword),
		"not-created": tftypes.NewValue(tftypes.String, rightPassword),
	}
	p.resetCalls()
	progress, diags := p.invoke(map[string]any{"account_ids": ids, "passwords": passwords})
	if err := p.expectCalls(map[string]int{validateRoute: 2})(nil); err != nil {
		t.Error(err)
	}
	err := protoDiagsErr(diags)
	if err == nil || len(diags) != 1 {
		t.Fatalf("want one error, got %v", diags)
	}
	text := err.Error()
	for _, want := range []string{
		"3 of 4 accounts failed validation",
		fmt.Sprintf(`"f2" (id %d): The API did not validate the password (461)`, id["f2"]),
		fmt.Sprintf(`"no-password" (id %d): passwords has no password for it.`, id["no-password"]),
		`"not-created": account_ids gives it no id: the fleet has not created this account`,
		"Nothing was changed.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the error does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, `"f1"`) {
		t.Errorf("the error names f1, which passed:\n%s", text)
	}
	if !slices.Contains(progress, fmt.Sprintf(`Account "f1" (id %d) accepts its password.`, id["f1"])) {
		t.Errorf("progress: %q", progress)
	}
	for _, pw := range []string{rightPassword, wrongPassword} {
		if strings.Contains(text+strings.Join(progress, ""), pw) {
			t.Errorf("a password is in what the action said")
		}
	}
}

// After a fleet's apply in the same process, the action checks the
// accounts whose password it set, and none of the others of that fleet;
// accounts of no fleet applied here (the action invoked alone) are all
// checked.
func TestAction_applyMemoryPicksWhatTheApplySet(t *testing.T) {
	var m applyMemory
	all := []string{"a", "b", "c"}
	if got, skipped := m.toValidate(all); !slices.Equal(got, all) || skipped != 0 {
		t.Errorf("nothing applied: %v, %d skipped", got, skipped)
	}
	m.fleetApplied(all)
	m.passwordSet("b")
	if got, skipped := m.toValidate(all); !slices.Equal(got, []string{"b"}) || skipped != 2 {
		t.Errorf("b set: %v, %d skipped", got, skipped)
	}
	if got, skipped := m.toValidate([]string{"x", "y"}); !slices.Equal(got, []string{"x", "y"}) || skipped != 0 {
		t.Errorf("another fleet: %v, %d skipped", got, skipped)
	}
	var unconfigured *applyMemory
	unconfigured.fleetApplied(all)
	unconfigured.passwordSet("a")
	if got, _ := unconfigured.toValidate(all); !slices.Equal(got, all) {
		t.Errorf("nil memory: %v", got)
	}
}
