package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The apply of vpnresellers_accounts: Create, Update and Delete, the creates,
// updates and deletes of the entries that changed, side by side, and how
// their failures are told.

// opNames lists the usernames of ops.
func opNames(ops []fleetOp) []string {
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = op.name
	}
	return names
}

// fleetOp is the work on one account.
type fleetOp struct {
	name     string
	old      *fleetEntry // the account in state; nil when there is none
	want     *fleetEntry // the planned account; nil when it goes away
	password string      // for a create or a rotation
	rotate   bool        // set the password of an account that stays
	refuse   bool        // deletion_protection forbids deleting old
	// record is this resource's record of an earlier create of the account
	// whose outcome was unknown (fleetPending): a create resumes it.
	record *client.PendingCreate
}

// fleetResult is what one fleetOp did.
type fleetResult struct {
	done  bool
	entry *fleetEntry // the account as it now is; nil when none exists
	step  string      // the call that failed
	err   error
}

// apply makes the changes between prior and plan, records in state every
// account as it now is (including those a failed call left half-changed)
// and lists the failures. Creates this resource recorded as unfinished
// (fleetPending, read from in: the planned private state, nil for the
// first create) are resumed, not made again; the records of those still
// unfinished are written to out. It reports whether every change
// succeeded.
func (r *accountsResource) apply(ctx context.Context, prior map[string]fleetEntry, plan accountsModel, rotate bool,
	config tfsdk.Config, in, out privateData, state *tfsdk.State, diags *diag.Diagnostics) bool {
	planned, _, d := fleetEntries(ctx, plan.Accounts)
	diags.Append(d...)
	passwords, _, d := configPasswords(ctx, config)
	diags.Append(d...)
	pending, d := r.pendingCreates(ctx, in, planned)
	diags.Append(d...)
	if diags.HasError() {
		return false
	}
	kept := map[string]fleetEntry{}
	var ops []fleetOp
	// The plan refuses these under deletion_protection; the apply refuses
	// what the plan could not see (a customer_id or a map not known then).
	protected := protects(plan)
	for name, o := range prior {
		if _, stays := planned[name]; !stays && !o.placeholder() {
			ops = append(ops, fleetOp{name: name, old: &o, refuse: protected})
		}
	}
	for name, w := range planned {
		o, had := prior[name]
		op := fleetOp{name: name, want: &w, password: passwords[name]}
		if p, ok := pending[name]; ok {
			op.record = &p
		}
		switch {
		case !had || o.placeholder():
		case !w.CustomerID.Equal(o.CustomerID):
			op.old, op.refuse = &o, protected
		case rotate:
			op.old, op.rotate = &o, true
		case w.changed(o):
			op.old, op.password = &o, ""
		default:
			kept[name] = o
			continue
		}
		ops = append(ops, op)
	}
	// The validate action an action_trigger runs after this apply checks
	// the accounts whose password it set (see applyMemory).
	r.run.apply().fleetApplied(slices.Collect(maps.Keys(planned)))
	result, failed := r.runOps(ctx, ops, kept, pending)
	diags.Append(pending.save(ctx, out)...)
	failed.report(diags, prior == nil)
	plan.Accounts, d = fleetMap(ctx, result)
	diags.Append(d...)
	plan.PasswordsWO = types.MapNull(types.StringType)
	diags.Append(state.Set(ctx, &plan)...)
	return !diags.HasError() && len(failed.lines) == 0
}

// fleetFailures lists the fleetOps of one run that failed, each with its
// reason.
type fleetFailures struct {
	lines []string
	ops   int
}

// report is one diagnostic listing every failure: an error, or, for the
// first create of the resource (see Create), a warning.
func (f fleetFailures) report(diags *diag.Diagnostics, first bool) {
	if len(f.lines) == 0 {
		return
	}
	failures := slices.Sorted(slices.Values(f.lines))
	more := ""
	if len(failures) > maxListedFailures {
		more = fmt.Sprintf("\n... and %d more", len(failures)-maxListedFailures)
		failures = failures[:maxListedFailures]
	}
	list := strings.Join(failures, "\n") + more
	if first {
		diags.AddWarning(fmt.Sprintf("%d of %d accounts were not created", len(f.lines), f.ops),
			"The other accounts were created and are recorded in state. These are not in state, so the next plan "+
				"shows them as creates: run terraform apply again to create only these accounts.\n\n"+list)
		return
	}
	diags.AddError(fmt.Sprintf("Unable to apply %d of %d account changes", len(f.lines), f.ops),
		"Every other change was made and is recorded in state; run terraform apply again to retry only these "+
			"accounts:\n\n"+list)
}

// runOps performs ops side by side (bounded by max_parallel_requests) and
// returns the accounts as they now are, starting from kept, and the
// failures. pending (nil: none kept) is updated: a create whose outcome is
// unknown is recorded, one settled either way is no longer.
func (r *accountsResource) runOps(ctx context.Context, ops []fleetOp, kept map[string]fleetEntry, pending fleetPending) (map[string]fleetEntry, fleetFailures) {
	failed := fleetFailures{ops: len(ops)}
	results := make([]fleetResult, len(ops))
	interrupted := r.client.Each(ctx, len(ops), func(ctx context.Context, i int) {
		results[i] = r.do(ctx, ops[i])
		results[i].done = true
	})
	for i, op := range ops {
		res := results[i]
		if !res.done {
			res = fleetResult{entry: op.old, step: "start", err: interrupted}
		}
		switch {
		case res.entry != nil:
			kept[op.name] = *res.entry
		case op.want != nil && res.err != nil:
			// A create that failed: Terraform requires every planned key
			// in state, and the next plan creates it (or takes what a
			// recorded create made).
			kept[op.name] = op.want.asPlaceholder()
		}
		if res.err != nil {
			failed.lines = append(failed.lines, fmt.Sprintf("%s: unable to %s: %s", op.name, res.step, failureReason(op.name, res.err)))
		}
		var unknown *client.UnknownOutcomeError
		switch {
		case pending == nil || res.step == "start":
		case errors.As(res.err, &unknown) && unknown.Pending.Kind == client.KindAccount:
			pending[op.name] = unknown.Pending
		case res.step == "create it" || res.entry != nil:
			delete(pending, op.name)
		}
	}
	return kept, failed
}

// do performs one fleetOp: delete (also the first half of a replacement),
// create, or password, expiry and enabled changes, stopping at the first
// failed call.
func (r *accountsResource) do(ctx context.Context, op fleetOp) fleetResult {
	cur := op.old
	replace := cur != nil && op.want != nil && !op.want.CustomerID.Equal(cur.CustomerID)
	if op.refuse {
		return fleetResult{entry: cur, step: "delete it", err: errProtected}
	}
	if op.want != nil && (cur == nil || replace || op.rotate) && op.password == "" {
		return fleetResult{entry: cur, step: "set its password", err: errNoPassword}
	}
	if cur != nil && (op.want == nil || replace) {
		if err := r.client.DeleteAccount(ctx, cur.ID.ValueInt64()); err != nil && !client.IsGone(err, client.KindAccount) {
			return fleetResult{entry: cur, step: "delete it", err: err}
		}
		r.run.deleted(client.KindAccount, cur.ID.ValueInt64())
		cur = nil
	}
	if op.want == nil {
		return fleetResult{}
	}
	want := *op.want
	if cur == nil {
		in := newAccountRequest(op.name, op.password, want.CustomerID)
		var acc *client.Account
		var err error
		if op.record != nil {
			acc, err = r.client.ResumeCreateAccount(ctx, in, *op.record)
		} else {
			acc, err = r.client.CreateAccount(ctx, in)
		}
		if err != nil {
			return fleetResult{step: "create it", err: err}
		}
		r.run.apply().passwordSet(op.name)
		e := want
		e.fill(acc)
		cur = &e
	}
	// Each call that succeeds is recorded in cur, so a later failure keeps
	// what was done.
	type call struct {
		needed bool
		step   string
		do     func(id int64) (*client.Account, error)
		sets   bool // it sets the password
	}
	for _, c := range []call{
		{op.rotate, "set its password", func(id int64) (*client.Account, error) {
			return r.client.ChangePassword(ctx, id, op.password)
		}, true},
		{!want.ExpireAt.Equal(cur.ExpireAt), "set its expiry", func(id int64) (*client.Account, error) {
			return r.client.ExpireAccount(ctx, id, expireAtArg(want.ExpireAt))
		}, false},
		{want.Enabled.ValueBool() != cur.Enabled.ValueBool(), "enable or disable it", func(id int64) (*client.Account, error) {
			acc, _, err := setAccountEnabled(ctx, r.client, id, want.Enabled.ValueBool())
			return acc, err
		}, false},
	} {
		if !c.needed {
			continue
		}
		acc, err := c.do(cur.ID.ValueInt64())
		if err != nil {
			return fleetResult{entry: cur, step: c.step, err: err}
		}
		if c.sets {
			r.run.apply().passwordSet(op.name)
		}
		next := *cur
		next.fill(acc)
		cur = &next
	}
	return fleetResult{entry: cur}
}

// errProtected is the failure of a delete that deletion_protection forbids.
var (
	errProtected = errors.New("deletion_protection is true, and this change deletes the account (a removed key " +
		"or a new customer_id); undo the change, or set deletion_protection = false")
)

// failureReason is one line a person can act on, from the same wording as
// every other API error of the provider. It never holds a secret.
func failureReason(name string, err error) string {
	if errors.Is(err, errNoPassword) || errors.Is(err, errProtected) {
		return err.Error()
	}
	var notOurs *client.NotOursError
	var existing *client.ExistingObjectError
	if errors.As(err, &notOurs) || errors.As(err, &existing) {
		return fmt.Sprintf("the username is taken by an account that is not this resource's (it may be someone else's, "+
			"and is never adopted): choose another username, or remove %q from accounts. If it is yours and nothing "+
			"else manages it, the next plan says how to import it", name)
	}
	// The single-object wording would point at `terraform import
	// vpnresellers_account...`; for an entry of this resource the next plan
	// is what settles it.
	var unknown *client.UnknownOutcomeError
	if errors.As(err, &unknown) {
		return fmt.Sprintf("the API did not confirm whether it was created (%v). It may exist, and be billed: run "+
			"terraform apply again; this resource's state records the create, so if it was made, that apply takes "+
			"it (the account made after it that accepts its password) and never makes it twice", unknown.Err)
	}
	var d diag.Diagnostics
	addAPIError(&d, "", err, nil)
	parts := make([]string, 0, len(d))
	for _, x := range d {
		parts = append(parts, strings.Join(strings.Fields(x.Detail()), " "))
	}
	return strings.Join(parts, " ")
}

// asPlaceholder is e as state records an entry whose create failed: the
// configured values, and null for what only the API could tell.
func (e fleetEntry) asPlaceholder() fleetEntry {
	e.ID, e.Status, e.WgIP, e.WgPublicKey = types.Int64Null(), types.StringNull(), types.StringNull(), types.StringNull()
	e.Created, e.Updated = types.StringNull(), types.StringNull()
	return e
}

func (r *accountsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan accountsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A failed entry is a warning here, not an error: Terraform taints a
	// resource whose create fails, and would then plan to replace (delete
	// and re-create) every account it made. The failed entries are kept
	// as placeholders without an id (see runOps), which the next plan shows
	// as creates.
	r.apply(ctx, nil, plan, false, req.Config, nil, resp.Private, &resp.State, &resp.Diagnostics)
}

func (r *accountsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state accountsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	prior, ok := stateEntries(ctx, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	rotate := rotates(true, plan, state)
	rotated := r.apply(ctx, prior, plan, rotate, req.Config, req.Private, resp.Private, &resp.State, &resp.Diagnostics)
	if rotate && !rotated {
		// Some passwords may not be set: keep the old version so that the
		// next apply sets them all again.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("passwords_wo_version"), state.PasswordsWOVersion)...)
	}
}

func (r *accountsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state accountsModel
	prior, ok := stateEntries(ctx, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	ops := make([]fleetOp, 0, len(prior))
	for name, o := range prior {
		if !o.placeholder() {
			ops = append(ops, fleetOp{name: name, old: &o})
		}
	}
	if len(ops) > 0 && protects(state) {
		// The plan refuses this; a replacement of a tainted resource is
		// planned as a create, and only this stops its delete.
		resp.Diagnostics.AddError("Deletion protection is on",
			fmt.Sprintf("deletion_protection is true, so none of the %s of this resource was deleted (%s). If "+
				"Terraform is replacing the resource because it is tainted, run `terraform untaint <address>`: the "+
				"next apply then changes only what the configuration says. To delete the accounts, apply "+
				"deletion_protection = false first.", countAccounts(len(ops)), namedEntries(opNames(ops))))
		return
	}
	r.run.learnDeletes(ctx, req.Private)
	for _, op := range ops {
		r.run.registry().arrived(objRef{client.KindAccount, op.old.ID.ValueInt64()})
	}
	left, failed := r.runOps(ctx, ops, map[string]fleetEntry{}, nil)
	failed.report(&resp.Diagnostics, false)
	if resp.Diagnostics.HasError() {
		// Keep the accounts that could not be deleted.
		var diags diag.Diagnostics
		state.Accounts, diags = fleetMap(ctx, left)
		resp.Diagnostics.Append(diags...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	}
}
