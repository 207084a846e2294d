package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
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
			"at a time (a provider setting, default 10; `requests_per_second` still applies). A refresh reads the " +
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
						accountAttrs.Enabled.name:  enabledArgument(),
						accountAttrs.ExpireAt.name: expireAtArgument(),
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

// What the plan and the apply both use (they read this file, never each
// other): the state's entries, how messages name entries, deletion
// protection, the rotation of passwords, and passwords_wo itself.

// UpgradeState sets deletion_protection to its default in states written
// before it existed (schema version 0), so the upgrade plans no change.
func (r *accountsResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: upgradeAddingProtection}}
}

// upgradeAddingProtection upgrades a state of schema version 0, written
// before deletion_protection existed, to deletion_protection = true (the
// default), so that upgrading the provider plans no change.
func upgradeAddingProtection(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	if upgradeDroppingAttributes(ctx, req, resp); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_protection"), true)...)
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

// maxNamedEntries caps the usernames a plan's warning or error names.
const maxNamedEntries = 20

// namedEntries lists usernames for a message: the first 20, sorted, and how
// many more there are.
func namedEntries(names []string) string {
	names = slices.Sorted(slices.Values(names))
	quoted := make([]string, 0, min(len(names), maxNamedEntries))
	for _, n := range names[:min(len(names), maxNamedEntries)] {
		quoted = append(quoted, fmt.Sprintf("%q", n))
	}
	out := strings.Join(quoted, ", ")
	if len(names) > maxNamedEntries {
		out += fmt.Sprintf(" and %d more", len(names)-maxNamedEntries)
	}
	return out
}

// countAccounts says "1 account" or "n accounts".
func countAccounts(n int) string {
	if n == 1 {
		return "1 account"
	}
	return fmt.Sprintf("%d accounts", n)
}

// protects reports whether deletion protection is on: true unless it is
// known to be false.
func protects(m accountsModel) bool {
	return m.DeletionProtection.IsNull() || m.DeletionProtection.IsUnknown() || m.DeletionProtection.ValueBool()
}

// rotates reports whether passwords_wo_version changes, so that every
// account gets its password set again.
func rotates(hasPrior bool, plan, prior accountsModel) bool {
	return hasPrior && !plan.PasswordsWOVersion.IsNull() && !plan.PasswordsWOVersion.Equal(prior.PasswordsWOVersion)
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

// errNoPassword is the failure of an account that needs a password (a
// create, a replacement, a rotation) when passwords_wo has none for it:
// the plan reports it, and the apply refuses to go on without one.
var errNoPassword = errors.New("passwords_wo has no password for it")
