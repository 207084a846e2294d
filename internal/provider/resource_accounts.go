package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var (
	_ resource.ResourceWithConfigure    = (*accountsResource)(nil)
	_ resource.ResourceWithModifyPlan   = (*accountsResource)(nil)
	_ resource.ResourceWithImportState  = (*accountsResource)(nil)
	_ resource.ResourceWithUpgradeState = (*accountsResource)(nil)
)

// checkUsernameLimit is how many new usernames a plan checks one by one
// with check_username; above it, one walk of the account list is cheaper.
const checkUsernameLimit = 10

// maxListedFailures caps the accounts an error message lists by name.
const maxListedFailures = 50

func newAccountsResource() resource.Resource { return &accountsResource{} }

// accountsResource owns a set of accounts keyed by username. It is
// authoritative over its own keys only: accounts it did not create are
// never read into it, changed or deleted.
type accountsResource struct {
	resourceClient
}

type accountsModel struct {
	Accounts           types.Map   `tfsdk:"accounts"`
	PasswordsWO        types.Map   `tfsdk:"passwords_wo"`
	PasswordsWOVersion types.Int64 `tfsdk:"passwords_wo_version"`
	DeletionProtection types.Bool  `tfsdk:"deletion_protection"`
}

// fleetEntry is one account of the map.
type fleetEntry struct {
	CustomerID types.Int64 `tfsdk:"customer_id"`
	accountFromAPI
}

var fleetEntryType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"customer_id":   types.Int64Type,
	"enabled":       types.BoolType,
	"expire_at":     types.StringType,
	"id":            types.Int64Type,
	"status":        types.StringType,
	"wg_ip":         types.StringType,
	"wg_public_key": types.StringType,
	"created":       types.StringType,
	"updated":       types.StringType,
}}

// unknownComputed plans every value the API decides as unknown: the entry
// is a new account.
func (e *fleetEntry) unknownComputed() {
	e.ID = types.Int64Unknown()
	e.Status, e.WgIP, e.WgPublicKey = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
	e.Created, e.Updated = types.StringUnknown(), types.StringUnknown()
}

// keepComputed plans the values of an account that stays: what the API
// decided before, except the status when enabled changes and the update
// time when anything changes.
func (e *fleetEntry) keepComputed(prior fleetEntry, rotate bool) {
	e.ID, e.WgIP, e.WgPublicKey, e.Created = prior.ID, prior.WgIP, prior.WgPublicKey, prior.Created
	e.Status, e.Updated = prior.Status, prior.Updated
	if !e.Enabled.Equal(prior.Enabled) {
		e.Status = types.StringUnknown()
	}
	if rotate || e.changed(prior) {
		e.Updated = types.StringUnknown()
	}
}

// asPlaceholder is e as state records an entry whose create failed: the
// configured values, and null for what only the API could tell.
func (e fleetEntry) asPlaceholder() fleetEntry {
	e.ID, e.Status, e.WgIP, e.WgPublicKey = types.Int64Null(), types.StringNull(), types.StringNull(), types.StringNull()
	e.Created, e.Updated = types.StringNull(), types.StringNull()
	return e
}

// placeholder reports whether e stands for a create that failed (or whose
// outcome is unknown): there is no account of its own to keep or delete,
// and the next plan creates it, adopting the account an earlier create
// made when its password proves it ours.
func (e fleetEntry) placeholder() bool { return e.ID.IsNull() }

// changed reports whether an account that stays needs an expire or an
// enable/disable call to match e.
func (e fleetEntry) changed(prior fleetEntry) bool {
	return !e.Enabled.Equal(prior.Enabled) || !e.ExpireAt.Equal(prior.ExpireAt)
}

func (r *accountsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_accounts"
}

func (r *accountsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// Version 1 added deletion_protection (see UpgradeState).
		Version: 1,
		MarkdownDescription: "A set of VPN accounts managed as one resource, keyed by username: thousands of accounts " +
			"cost one plan, one paged list per refresh and one request per changed account, instead of one resource " +
			"and one read per account.\n\n" +
			"The resource is authoritative over its own keys only: accounts that are not in `accounts` (made by hand, " +
			"by another configuration or by `vpnresellers_account`) are never changed or deleted, at apply or at " +
			"destroy. A new key whose username already exists on the server is adopted only when that account " +
			"accepts the password `passwords_wo` gives it (the plan warns, naming it): an earlier apply of this " +
			"configuration made it. Any other is an error at plan time: it may belong to someone else, and is " +
			"never adopted.\n\n" +
			"Every plan that replaces or deletes entries warns, naming them (the first 20, and how many more) and " +
			"saying what is lost. While `deletion_protection` is true (the default), such a plan fails instead, " +
			"and so does a destroy of the resource; see that attribute for how to proceed.\n\n" +
			"Creates, updates and deletes of the changed entries run side by side, at most `max_parallel_requests` " +
			"at a time (a provider setting, default 4; `requests_per_second` still applies). A refresh reads the " +
			"accounts through the paged account list (pages fetched side by side), never one request per account; " +
			"a list whose pages contradict each other (a page size that changes, a short page, an account on two " +
			"pages, a total that changes) is read again, and the refresh fails, naming the page, if it stays so. " +
			"An entry the list does not show is asked for with `GET /accounts/{id}`, and only the API's " +
			"\"Account not found.\" removes it from state: any other answer fails the refresh and keeps every entry. " +
			"An account disabled, expired or deleted outside Terraform shows in the plan as a change of that one " +
			"entry, and the apply repairs exactly it.\n\n" +
			"When some calls fail, the others still complete; state records every account created or changed, and " +
			"the error lists each account that failed with the reason. The next plain `terraform apply` does only " +
			"what is left: a create whose answer was lost, or that an interrupt cut short, is found by its " +
			"username and password and adopted, never made twice. The very first apply of the resource reports " +
			"such failures as a warning, not an error, because Terraform would otherwise mark the whole resource " +
			"tainted and plan to replace (delete and re-create) every account; the accounts it made are in state, " +
			"and the next plan shows the missing ones as creates.\n\n" +
			"Passwords are write-only (Terraform 1.11 and later): `passwords_wo` is never stored in state or plan. " +
			"The API never returns a password, so a password changed outside Terraform is not detected.\n\n" +
			"Import takes a comma-separated list of usernames or ids (`alice,bob,42`), `customer:<id>` (the accounts " +
			"of one customer) or `project:<id>` (the accounts of every customer of a project); see the import " +
			"section below for what each costs.",
		Attributes: map[string]schema.Attribute{
			"accounts": schema.MapNestedAttribute{
				MarkdownDescription: "The accounts, keyed by username (unique across the whole service; the API " +
					"compares usernames exactly, so `Jane` and `jane` are two accounts). Removing a key deletes that " +
					"account; renaming a key replaces it. The plan warns of both by username, and fails instead while " +
					"`deletion_protection` is true.",
				Required:   true,
				Validators: []validator.Map{mapvalidator.KeysAre(usernameValidators()...)},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"customer_id": schema.Int64Attribute{
							MarkdownDescription: "Identifier of the customer that owns the account. The API cannot move " +
								"an account between customers, so changing it replaces that one account (new id, new " +
								"WireGuard keys), not the resource.",
							Optional:   true,
							Validators: []validator.Int64{int64validator.AtLeast(1)},
						},
						"enabled": schema.BoolAttribute{
							MarkdownDescription: "Whether the account may connect. Defaults to `true`. Changed in place.",
							Optional:            true,
							Computed:            true,
							Default:             booldefault.StaticBool(true),
						},
						"expire_at": schema.StringAttribute{
							MarkdownDescription: "Date the account expires, as `YYYY-MM-DD`; leave it out (null) for " +
								"an account that renews automatically. Changed in place.",
							Optional:   true,
							Validators: []validator.String{dateValidator()},
						},
						"id": schema.Int64Attribute{
							MarkdownDescription: "Numeric identifier of the account.",
							Computed:            true,
						},
						"status": schema.StringAttribute{
							MarkdownDescription: "Status reported by the API: `Active` or `Disabled`.",
							Computed:            true,
						},
						"wg_ip": schema.StringAttribute{
							MarkdownDescription: "The account's WireGuard address.",
							Computed:            true,
						},
						"wg_public_key": schema.StringAttribute{
							MarkdownDescription: "The account's WireGuard public key. The private key is never stored; " +
								"use the `vpnresellers_wireguard_config` ephemeral resource to hand out a configuration.",
							Computed: true,
						},
						"created": schema.StringAttribute{
							MarkdownDescription: "When the account was created (`YYYY-MM-DD hh:mm:ss`, UTC).",
							Computed:            true,
						},
						"updated": schema.StringAttribute{
							MarkdownDescription: "When the account last changed (`YYYY-MM-DD hh:mm:ss`, UTC).",
							Computed:            true,
						},
					},
				},
			},
			"passwords_wo": schema.MapAttribute{
				MarkdownDescription: "Write-only passwords keyed by username, each at least 6 characters; never stored " +
					"in state or plan (Terraform 1.11 and later). Every account created by an apply must have one; " +
					"a password for a username that is not in `accounts` is ignored. " +
					"Terraform cannot see a change to them: bump `passwords_wo_version` to send them all.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
				WriteOnly:   true,
				Validators: []validator.Map{
					mapvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(6)),
					mapvalidator.AlsoRequires(path.MatchRoot("passwords_wo_version")),
				},
			},
			"passwords_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number that goes with `passwords_wo`; changing it (for example incrementing " +
					"it) sets the password of every account to its current `passwords_wo` value.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("passwords_wo"))},
			},
			"deletion_protection": schema.BoolAttribute{
				MarkdownDescription: "While true, a plan that would delete or replace any account of this resource " +
					"fails at plan time, naming the accounts: removing a key, changing an entry's `customer_id`, " +
					"and destroying the resource. Defaults to `true`: each entry is a working, billed VPN whose " +
					"end user loses their configuration if it is deleted, and one edit of a map can remove " +
					"thousands of keys. Set it to `false` in the same change as the removals to let them happen " +
					"(a destroy needs `false` applied first, as the destroy is planned from state). " +
					"To stop managing accounts without deleting them: for the whole resource, a `removed` block " +
					"with `lifecycle { destroy = false }` or `terraform state rm`; for some entries, take the " +
					"resource out of state and import it again with the usernames that stay " +
					"(`terraform import <address> alice,bob`, or an import block with " +
					"`id = join(\",\", keys(<the accounts map>))`). A password left in `passwords_wo` for a username " +
					"that is no longer in `accounts` is ignored, so removing an entry takes one edit.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
		},
	}
}

// UpgradeState sets deletion_protection to its default in states written
// before it existed (schema version 0), so the upgrade plans no change.
func (r *accountsResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: upgradeAddingProtection}}
}

// ModifyPlan keeps what the API decided known across plans, plans the
// unknowns of new and replaced accounts, announces (or, under
// deletion_protection, refuses) replacements and deletions, and checks at
// plan time that each account to be created has a password and a username
// that is free or already ours.
func (r *accountsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		guardDestroy(ctx, req.State, &resp.Diagnostics)
		return
	}
	var plan, prior accountsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	hasPrior := !req.State.Raw.IsNull()
	if hasPrior {
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	planned, known, diags := fleetEntries(ctx, plan.Accounts)
	resp.Diagnostics.Append(diags...)
	if !known || resp.Diagnostics.HasError() {
		return
	}
	old := map[string]fleetEntry{}
	if hasPrior {
		old, _, diags = fleetEntries(ctx, prior.Accounts)
		resp.Diagnostics.Append(diags...)
	}
	rotate := rotates(hasPrior, plan, prior)
	var needPassword, fresh []string
	var losses fleetLosses
	for name, o := range old {
		if _, stays := planned[name]; !stays && !o.placeholder() {
			losses.deleted = append(losses.deleted, name)
		}
	}
	replanned := false // whether any entry differs from Terraform's proposed plan
	for name, e := range planned {
		proposed := e
		o, had := old[name]
		switch {
		case !had || o.placeholder():
			e.unknownComputed()
			needPassword, fresh = append(needPassword, name), append(fresh, name)
		case e.CustomerID.IsUnknown():
			e.unknownComputed() // replaced if the customer turns out to differ
			losses.maybe = append(losses.maybe, name)
		case !e.CustomerID.Equal(o.CustomerID):
			e.unknownComputed()
			needPassword = append(needPassword, name)
			losses.replaced = append(losses.replaced, name)
		default:
			e.keepComputed(o, rotate)
			if rotate {
				needPassword = append(needPassword, name)
			}
		}
		planned[name] = e
		replanned = replanned || e != proposed
	}
	if replanned {
		// Otherwise the proposed plan stands as it is: encoding and setting
		// an equal map of thousands of entries is most of a no-change plan.
		plan.Accounts, diags = fleetMap(ctx, planned)
		resp.Diagnostics.Append(diags...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("accounts"), plan.Accounts)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	announceLosses(losses, protects(plan), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return // nothing more is asked of the API for a plan that cannot go ahead
	}
	checkPasswords(ctx, req.Config, needPassword, planned, &resp.Diagnostics)
	r.checkUsernamesFree(ctx, req.Config, fresh, &resp.Diagnostics)
}

// rotates reports whether passwords_wo_version changes, so that every
// account gets its password set again.
func rotates(hasPrior bool, plan, prior accountsModel) bool {
	return hasPrior && !plan.PasswordsWOVersion.IsNull() && !plan.PasswordsWOVersion.Equal(prior.PasswordsWOVersion)
}

// checkPasswords is the plan-time error for accounts that need a password
// (created, replaced or rotated) and have none in passwords_wo. It checks
// nothing while passwords_wo is not known yet; the apply checks again.
// Passwords for usernames not in accounts are ignored (an entry is removed
// in one edit), except that the error names them: one may be a misspelt key.
func checkPasswords(ctx context.Context, config tfsdk.Config, need []string, planned map[string]fleetEntry, diags *diag.Diagnostics) {
	if len(need) == 0 {
		return
	}
	passwords, known, d := configPasswords(ctx, config)
	diags.Append(d...)
	if !known {
		return
	}
	var missing []string
	for _, name := range need {
		if _, ok := passwords[name]; !ok {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	var unused []string
	for name := range passwords {
		if _, ok := planned[name]; !ok {
			unused = append(unused, name)
		}
	}
	hint := ""
	if len(missing) > 0 && len(unused) > 0 {
		hint = fmt.Sprintf(" passwords_wo also has passwords for usernames that are not in accounts (%s): check the "+
			"spelling.", namedEntries(unused))
	}
	for i, name := range missing {
		if i == maxListedFailures {
			diags.AddAttributeError(path.Root("passwords_wo"), "Missing passwords",
				fmt.Sprintf("%d more accounts have no password in passwords_wo.", len(missing)-i))
			break
		}
		diags.AddAttributeError(path.Root("accounts").AtMapKey(name), "Missing password",
			fmt.Sprintf("Account %q is created (or its password set) by this plan, but passwords_wo has no password "+
				"for it. Add passwords_wo[%q].%s", name, name, hint))
	}
}

// configPasswords reads passwords_wo from the configuration. Null entries
// are left out; known is false while a value is not known yet.
func configPasswords(ctx context.Context, config tfsdk.Config) (map[string]string, bool, diag.Diagnostics) {
	var m types.Map
	diags := config.GetAttribute(ctx, path.Root("passwords_wo"), &m)
	if m.IsUnknown() || diags.HasError() {
		return nil, false, diags
	}
	out := make(map[string]string, len(m.Elements()))
	for name, v := range m.Elements() {
		s, ok := v.(types.String)
		switch {
		case !ok || s.IsUnknown():
			return nil, false, diags
		case !s.IsNull():
			out[name] = s.ValueString()
		}
	}
	return out, true, diags
}

func (r *accountsResource) takenUsernames(ctx context.Context, names []string) ([]string, error) {
	var taken []string
	if len(names) > checkUsernameLimit {
		all, err := r.client.ListAllAccounts(ctx, "")
		if err != nil {
			return nil, err
		}
		want := make(map[string]bool, len(names))
		for _, n := range names {
			want[n] = true
		}
		for _, a := range all {
			if want[a.Username] {
				taken = append(taken, a.Username)
			}
		}
		return taken, nil
	}
	free, errs, err := client.Results(ctx, r.client, len(names), func(ctx context.Context, i int) (bool, error) {
		return r.client.CheckUsername(ctx, names[i])
	})
	if err := errors.Join(err, client.FirstError(errs)); err != nil {
		return nil, err
	}
	for i, name := range names {
		if !free[i] {
			taken = append(taken, name)
		}
	}
	return taken, nil
}

func (r *accountsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state accountsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	entries, _, diags := fleetEntries(ctx, state.Accounts)
	resp.Diagnostics.Append(diags...)
	if len(entries) == 0 || resp.Diagnostics.HasError() {
		return
	}
	before := maps.Clone(entries)
	entries, diags = r.refreshEntries(ctx, entries)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	if maps.Equal(entries, before) {
		return // the response holds the state as it was
	}
	state.Accounts, diags = fleetMap(ctx, entries)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("accounts"), state.Accounts)...)
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
	// as placeholders without an id (see run), which the next plan shows
	// as creates.
	r.apply(ctx, nil, plan, false, req.Config, &resp.State, &resp.Diagnostics)
}

func (r *accountsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state accountsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior, _, diags := fleetEntries(ctx, state.Accounts)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	rotate := rotates(true, plan, state)
	rotated := r.apply(ctx, prior, plan, rotate, req.Config, &resp.State, &resp.Diagnostics)
	if rotate && !rotated {
		// Some passwords may not be set: keep the old version so that the
		// next apply sets them all again.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("passwords_wo_version"), state.PasswordsWOVersion)...)
	}
}

func (r *accountsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state accountsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior, _, diags := fleetEntries(ctx, state.Accounts)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
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
	left, failed := r.run(ctx, ops, map[string]fleetEntry{})
	failed.report(&resp.Diagnostics, false)
	if resp.Diagnostics.HasError() {
		// Keep the accounts that could not be deleted.
		state.Accounts, diags = fleetMap(ctx, left)
		resp.Diagnostics.Append(diags...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	}
}

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
// and lists the failures. It reports whether every change succeeded.
func (r *accountsResource) apply(ctx context.Context, prior map[string]fleetEntry, plan accountsModel, rotate bool,
	config tfsdk.Config, state *tfsdk.State, diags *diag.Diagnostics) bool {
	planned, _, d := fleetEntries(ctx, plan.Accounts)
	diags.Append(d...)
	passwords, _, d := configPasswords(ctx, config)
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
	result, failed := r.run(ctx, ops, kept)
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

// run performs ops side by side (bounded by max_parallel_requests) and
// returns the accounts as they now are, starting from kept, and the
// failures.
func (r *accountsResource) run(ctx context.Context, ops []fleetOp, kept map[string]fleetEntry) (map[string]fleetEntry, fleetFailures) {
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
			// in state, and the next plan creates it (or adopts it).
			kept[op.name] = op.want.asPlaceholder()
		}
		if res.err != nil {
			failed.lines = append(failed.lines, fmt.Sprintf("%s: unable to %s: %s", op.name, res.step, failureReason(op.name, res.err)))
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
		cur = nil
	}
	if op.want == nil {
		return fleetResult{}
	}
	want := *op.want
	if cur == nil {
		acc, err := r.client.CreateAccount(ctx, newAccountRequest(op.name, op.password, want.CustomerID))
		if err != nil {
			return fleetResult{step: "create it", err: err}
		}
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
	}
	for _, c := range []call{
		{op.rotate, "set its password", func(id int64) (*client.Account, error) {
			return r.client.ChangePassword(ctx, id, op.password)
		}},
		{!want.ExpireAt.Equal(cur.ExpireAt), "set its expiry", func(id int64) (*client.Account, error) {
			return r.client.ExpireAccount(ctx, id, expireAtArg(want.ExpireAt))
		}},
		{want.Enabled.ValueBool() != cur.Enabled.ValueBool(), "enable or disable it", func(id int64) (*client.Account, error) {
			acc, _, err := setAccountEnabled(ctx, r.client, id, want.Enabled.ValueBool())
			return acc, err
		}},
	} {
		if !c.needed {
			continue
		}
		acc, err := c.do(cur.ID.ValueInt64())
		if err != nil {
			return fleetResult{entry: cur, step: c.step, err: err}
		}
		next := *cur
		next.fill(acc)
		cur = &next
	}
	return fleetResult{entry: cur}
}

var (
	errNoPassword = errors.New("passwords_wo has no password for it")
	errProtected  = errors.New("deletion_protection is true, and this change deletes the account (a removed key " +
		"or a new customer_id); undo the change, or set deletion_protection = false")
)

// failureReason is one line a person can act on, from the same wording as
// every other API error of the provider. It never holds a secret.
func failureReason(name string, err error) string {
	if errors.Is(err, errNoPassword) || errors.Is(err, errProtected) {
		return err.Error()
	}
	var notOurs *client.NotOursError
	if errors.As(err, &notOurs) {
		return fmt.Sprintf("the username is taken (%v). %s", notOurs, notOursAdvice(name))
	}
	if fe := client.FieldErrors(err); len(fe["username"]) > 0 {
		return fmt.Sprintf("the username is taken (%s), and whether by an account of this configuration could not "+
			"be checked: run terraform apply again, whose plan checks it", strings.Join(fe["username"], " "))
	}
	// The single-object wording would point at `terraform import
	// vpnresellers_account...`; for an entry of this resource the next plan
	// is what settles it.
	var unknown *client.UnknownOutcomeError
	if errors.As(err, &unknown) {
		return fmt.Sprintf("the API did not confirm whether it was created (%v). It may exist, and be billed: run "+
			"terraform apply again; if it was created, that plan finds it by its username and password and the "+
			"apply adopts it, so it is never made twice", unknown.Err)
	}
	var d diag.Diagnostics
	addAPIError(&d, "", err, nil)
	parts := make([]string, 0, len(d))
	for _, x := range d {
		parts = append(parts, strings.Join(strings.Fields(x.Detail()), " "))
	}
	return strings.Join(parts, " ")
}

// ImportState takes a comma-separated list of usernames or ids,
// `customer:<id>` or `project:<id>`.
func (r *accountsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	key := strings.TrimSpace(req.ID)
	var (
		entries map[string]fleetEntry
		err     error
	)
	kind, rawID, scoped := strings.Cut(key, ":")
	switch {
	case key == "":
		resp.Diagnostics.AddError("Invalid import ID", "Give a comma-separated list of usernames or ids "+
			"(alice,bob,42), customer:<id> or project:<id>.")
		return
	case scoped && (kind == "customer" || kind == "project"):
		id, perr := strconv.ParseInt(strings.TrimSpace(rawID), 10, 64)
		if perr != nil || id <= 0 {
			resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("%s: needs a numeric id, such as %s:12; got %q.", kind, kind, rawID))
			return
		}
		if kind == "customer" {
			entries, err = r.customerAccounts(ctx, []int64{id})
		} else {
			entries, err = r.projectAccounts(ctx, id)
		}
	default:
		entries, err = r.listedAccounts(ctx, key, &resp.Diagnostics)
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to import accounts %q", key), err, nil)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	accounts, diags := fleetMap(ctx, entries)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &accountsModel{
		Accounts:           accounts,
		PasswordsWO:        types.MapNull(types.StringType),
		PasswordsWOVersion: types.Int64Null(),
		DeletionProtection: types.BoolValue(true),
	})...)
}

// customerAccounts reads the accounts of the given customers from the
// client's one owner walk (client.AccountOwners), shared by every import
// of the run. A customer the walk did not see (made since) is read on its
// own, which also gives the API's answer for one that does not exist.
func (r *accountsResource) customerAccounts(ctx context.Context, customers []int64) (map[string]fleetEntry, error) {
	owners, err := r.client.AccountOwners(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]fleetEntry{}
	for _, id := range customers {
		accs, ok := owners.Accounts(id)
		if !ok {
			if accs, err = r.client.ListAllCustomerAccounts(ctx, id); err != nil {
				return nil, err
			}
		}
		for j := range accs {
			e := fleetEntry{CustomerID: types.Int64Value(id)}
			e.fill(&accs[j])
			out[accs[j].Username] = e
		}
	}
	return out, nil
}

// projectAccounts reads the accounts of every customer of a project.
func (r *accountsResource) projectAccounts(ctx context.Context, project int64) (map[string]fleetEntry, error) {
	customers, err := r.client.ListAllProjectCustomers(ctx, project)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(customers))
	for i, c := range customers {
		ids[i] = c.ID
	}
	return r.customerAccounts(ctx, ids)
}

// listedAccounts resolves a comma-separated list of usernames or ids with
// one walk of the account list, then finds each account's customer in the
// client's one owner walk (an account does not name its customer).
func (r *accountsResource) listedAccounts(ctx context.Context, list string, diags *diag.Diagnostics) (map[string]fleetEntry, error) {
	all, err := r.client.ListAllAccounts(ctx, "")
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*client.Account, len(all))
	byID := make(map[int64]*client.Account, len(all))
	for i := range all {
		byName[all[i].Username] = &all[i]
		byID[all[i].ID] = &all[i]
	}
	out := map[string]fleetEntry{}
	for _, key := range strings.Split(list, ",") {
		key = strings.TrimSpace(key)
		a := byName[key]
		if id, perr := strconv.ParseInt(key, 10, 64); perr == nil && byID[id] != nil {
			a = byID[id]
		}
		if a == nil {
			diags.AddError("Account not found", fmt.Sprintf("No account has the username or id %q.", key))
			continue
		}
		e := fleetEntry{CustomerID: types.Int64Null()}
		e.fill(a)
		out[a.Username] = e
	}
	if diags.HasError() || len(out) == 0 {
		return out, nil
	}
	owners, err := r.client.AccountOwners(ctx)
	if err != nil {
		return nil, err
	}
	for name, e := range out {
		if c := owners.CustomerOf(e.ID.ValueInt64()); c != nil {
			e.CustomerID = types.Int64Value(c.ID)
			out[name] = e
		}
	}
	return out, nil
}
