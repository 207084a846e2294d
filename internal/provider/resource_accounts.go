package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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

// fleetEntryBinding binds fleetEntry to the account's table; fleetEntryType
// is the type of an entry, derived from it.
var (
	fleetEntryBinding = bindModel[fleetEntry, client.Account](accountAttrs)
	fleetEntryType    = types.ObjectType{AttrTypes: fleetEntryBinding.attrTypes()}
)

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
// and the next plan creates it, taking the account an earlier create
// made when this resource recorded that create (fleetPending).
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
			"destroy. A new key whose username already exists on the server is an error at plan time, naming the " +
			"usernames and the import that would take them if they are yours: the account may belong to someone " +
			"else (another workspace, a copy of this one with the same passwords, a person in the web panel), and " +
			"a matching password proves nothing. Only this resource's own record of a create whose answer was lost " +
			"takes the account that create made (newer than it, accepting the password; the plan warns, naming " +
			"it). A key that another resource of the configuration asks for too (a `vpnresellers_account`, or " +
			"another `vpnresellers_accounts`) fails the plan, naming both.\n\n" +
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
			"what is left: a create whose answer was lost, or that an interrupt cut short, is recorded in this " +
			"resource's private state, and the next apply takes the account it made (newer than it, accepting the " +
			"password) instead of making it twice. A create cut short with no record at all (Terraform or the " +
			"provider killed with SIGKILL) leaves accounts that the next plan names, with the import that takes " +
			"them. The very first apply of the resource reports " +
			"such failures as a warning, not an error, because Terraform would otherwise mark the whole resource " +
			"tainted and plan to replace (delete and re-create) every account; the accounts it made are in state, " +
			"and the next plan shows the missing ones as creates.\n\n" +
			"Passwords are write-only (Terraform 1.11 and later): `passwords_wo` is never stored in state or plan. " +
			"With an older CLI, a plan that creates accounts (or sets their passwords) fails, naming the version it " +
			"needs; accounts that exist are imported, refreshed, enabled, disabled, expired and deleted as usual. " +
			"The API never returns a password, so a password changed outside Terraform is not detected.\n\n" +
			"Import takes a comma-separated list of usernames or ids (`alice,bob,42`), each read as " +
			"`vpnresellers_account`'s import reads one (`id:42` and `username:42` say which is meant; a number " +
			"that is the id of one account and the username of another is refused), `customer:<id>` (the accounts " +
			"of one customer) or `project:<id>` (the accounts of every customer of a project); see the import " +
			"section below for what each costs.",
		Attributes: map[string]schema.Attribute{
			"accounts": schema.MapNestedAttribute{
				MarkdownDescription: "The accounts, keyed by username. " + accountAttrs.Username.arg + " Removing a key deletes that " +
					"account; renaming a key replaces it. The plan warns of both by username, and fails instead while " +
					"`deletion_protection` is true.",
				Required:   true,
				Validators: []validator.Map{mapvalidator.KeysAre(usernameValidators()...)},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						accountAttrs.CustomerID.name: schema.Int64Attribute{
							MarkdownDescription: accountAttrs.CustomerID.argDesc("The API cannot move " +
								"an account between customers, so changing it replaces that one account (new id, new " +
								"WireGuard keys), not the resource."),
							Optional:   true,
							Validators: []validator.Int64{int64validator.AtLeast(1)},
						},
						accountAttrs.Enabled.name: schema.BoolAttribute{
							MarkdownDescription: accountAttrs.Enabled.argDesc(),
							Optional:            true,
							Computed:            true,
							Default:             booldefault.StaticBool(true),
						},
						accountAttrs.ExpireAt.name: schema.StringAttribute{
							MarkdownDescription: accountAttrs.ExpireAt.argDesc(),
							Optional:            true,
							Validators:          []validator.String{dateValidator()},
						},
						accountAttrs.ID.name: schema.Int64Attribute{
							MarkdownDescription: accountAttrs.ID.desc,
							Computed:            true,
						},
						accountAttrs.Status.name:      computedString(accountAttrs.Status),
						accountAttrs.WgIP.name:        computedString(accountAttrs.WgIP),
						accountAttrs.WgPublicKey.name: computedString(accountAttrs.WgPublicKey),
						accountAttrs.Created.name:     computedString(accountAttrs.Created),
						accountAttrs.Updated.name:     computedString(accountAttrs.Updated),
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
					mapvalidator.ValueStringsAre(charsBetween(6, 0)),
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

// privateFleetPending is the private-state key of fleetPending.
const privateFleetPending = "pending_creates"

// fleetPending is this resource's own record, by username, of the creates
// whose outcome was unknown (an answer lost, an interrupt): the note of each
// (client.PendingCreate), which holds no secret. It is the only thing that
// lets a later apply take an account such a create made
// (client.ResumeCreateAccount): a matching name or password never does.
type fleetPending map[string]client.PendingCreate

// pendingCreates reads the records from private state, and from this run's
// memory (the refresh of a tainted resource, which Terraform plans with no
// private state, left them there), for the keys still planned.
func (r *accountsResource) pendingCreates(ctx context.Context, priv privateData, planned map[string]fleetEntry) (fleetPending, diag.Diagnostics) {
	out := fleetPending{}
	var diags diag.Diagnostics
	if priv != nil {
		b, d := priv.GetKey(ctx, privateFleetPending)
		diags.Append(d...)
		if len(b) > 0 && json.Unmarshal(b, &out) != nil {
			diags.AddError("Unreadable private state", "The record of this resource's unfinished creates cannot be read.")
		}
	}
	for name := range planned {
		if p, ok := r.run.recorded(usernameRef(name)); ok {
			out[name] = p
		}
	}
	for name := range out {
		if _, ok := planned[name]; !ok {
			delete(out, name)
		}
	}
	return out, diags
}

// save writes the records into private state.
func (p fleetPending) save(ctx context.Context, priv privateData) diag.Diagnostics {
	var b []byte
	if len(p) > 0 {
		b, _ = json.Marshal(p) // a map of plain structs always marshals
	}
	return priv.SetKey(ctx, privateFleetPending, b)
}

// UpgradeState sets deletion_protection to its default in states written
// before it existed (schema version 0), so the upgrade plans no change.
func (r *accountsResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: upgradeAddingProtection}}
}

// stateEntries reads the model from src (a state) into m, and its entries.
// It reports whether both succeeded.
func stateEntries(ctx context.Context, src interface {
	Get(context.Context, any) diag.Diagnostics
}, m *accountsModel, diags *diag.Diagnostics) (map[string]fleetEntry, bool) {
	if diags.Append(src.Get(ctx, m)...); diags.HasError() {
		return nil, false
	}
	entries, _, d := fleetEntries(ctx, m.Accounts)
	diags.Append(d...)
	return entries, !diags.HasError()
}

func (r *accountsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.run.touch()
	var state accountsModel
	entries, ok := stateEntries(ctx, req.State, &state, &resp.Diagnostics)
	if !ok || len(entries) == 0 {
		return
	}
	// What the plan of a tainted resource (planned with no private state)
	// needs of this one's: its records of unfinished creates.
	pending, diags := r.pendingCreates(ctx, req.Private, entries)
	resp.Diagnostics.Append(diags...)
	for name, p := range pending {
		r.run.record(usernameRef(name), p)
	}
	before := maps.Clone(entries)
	entries, diags = r.refreshEntries(ctx, entries)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	for name, e := range entries {
		if !e.placeholder() {
			r.run.hold(client.KindAccount, e.ID.ValueInt64(), usernameRef(name))
		}
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

// passwordsNeedNewerCLI fails the plan, naming the version it needs, when
// accounts need a password (created, replaced or rotated: need) and the
// CLI predates write-only arguments: the resource takes passwords only
// through passwords_wo, which such a CLI cannot send. Every other change
// (import, refresh, enable, disable, expire, delete) works with it.
func (r *accountsResource) passwordsNeedNewerCLI(need []string, diags *diag.Diagnostics) bool {
	if len(need) == 0 || !r.cli.below(writeOnlyVersion) {
		return false
	}
	diags.AddAttributeError(path.Root("accounts"), "Terraform 1.11 or later needed to create these accounts",
		fmt.Sprintf("This plan creates, replaces or sets the password of %s (%s), and vpnresellers_accounts takes "+
			"passwords only through the write-only passwords_wo, which Terraform 1.11 and later (OpenTofu 1.11 and "+
			"later) can send; this CLI is version %s. Upgrade it, or manage these accounts with vpnresellers_account "+
			"and its password argument. Accounts that already exist need no password: importing, refreshing, "+
			"enabling, disabling, expiring and deleting them works with this version.",
			countAccounts(len(need)), namedEntries(need), string(r.cli)))
	return true
}
