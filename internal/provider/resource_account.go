package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var (
	_ resource.ResourceWithConfigure    = (*accountResource)(nil)
	_ resource.ResourceWithImportState  = (*accountResource)(nil)
	_ resource.ResourceWithModifyPlan   = (*accountResource)(nil)
	_ resource.ResourceWithUpgradeState = (*accountResource)(nil)
	_ resource.ResourceWithIdentity     = (*accountResource)(nil)
	_ resource.ResourceWithMoveState    = (*accountResource)(nil)
)

func newAccountResource() resource.Resource { return &accountResource{} }

type accountResource struct {
	resourceClient
	numericIdentity
}

type accountModel struct {
	Username          types.String `tfsdk:"username"`
	Password          types.String `tfsdk:"password"`
	PasswordWO        types.String `tfsdk:"password_wo"`
	PasswordWOVersion types.Int64  `tfsdk:"password_wo_version"`
	CustomerID        idValue      `tfsdk:"customer_id"`
	accountFromAPI
}

var accountBinding = bindModel[accountModel, client.Account](accountAttrs)

// fill copies what the API says of the account into m. The password, the
// customer link and the write-only version are not in the API's account
// object and keep their values. The WireGuard private key is never kept: it
// reaches a person only through the configuration ephemeral resources.
func (m *accountModel) fill(a *client.Account) {
	accountBinding.fill(m, a)
	m.PasswordWO = types.StringNull() // write-only: never stored
}

// accountFields points the API's errors about a field at its attribute.
var accountFields = func() fieldPaths {
	f := fieldsOf(accountAttrs.Username, accountAttrs.ExpireAt, accountAttrs.CustomerID)
	f["password"] = path.Root("password")
	f["customer."+accountAttrs.CustomerID.name] = accountAttrs.CustomerID.path()
	return f
}()

// passwordFields points the API's password errors at whichever password
// attribute the configuration uses.
func passwordFields(useWO bool) fieldPaths {
	if !useWO {
		return accountFields
	}
	f := fieldPaths{"password": path.Root("password_wo")}
	for k, v := range accountFields {
		if k != "password" {
			f[k] = v
		}
	}
	return f
}

func (r *accountResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account"
}

func (r *accountResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		// Version 1 dropped wg_private_key (see UpgradeState).
		Version: 1,
		MarkdownDescription: "A VPN account: the username and password a person signs in to OpenVPN with, and a " +
			"WireGuard key pair and address. Accounts can be disabled without being deleted, can expire on a date " +
			"or renew automatically, and can belong to a customer.\n\n" +
			"Set the password with `password` (stored in state, marked sensitive) or, on Terraform 1.11 and later, " +
			"with the write-only `password_wo` and `password_wo_version` (never stored in state or plan). " +
			"The API never returns a password, so a password changed outside Terraform is not detected; every " +
			"other attribute is refreshed from the API on each plan. An account that already exists (imported or " +
			"adopted) may leave both password arguments out: it keeps the password it has.\n\n" +
			"The WireGuard private key is not stored in state: hand a configuration to its user with the " +
			"`vpnresellers_wireguard_config` ephemeral resource. State written by earlier versions of the provider " +
			"loses its copy of the key on the first plan or refresh (schema version 1).\n\n" +
			"Before creating an account the plan asks the API whether the username is free, so a taken name fails " +
			"the plan, not the apply, with the import block that would take the account if it is yours. An " +
			"account is taken into state only by an import, or by this state's own record of a create whose answer " +
			"was lost (the next apply finds the account that create made: newer than it, and accepting the " +
			"password). A matching name or password is never enough: a copy of this configuration, with the same " +
			"variables, knows them too. Another resource of the configuration that asks for the same username (a " +
			"`vpnresellers_account` or a `vpnresellers_accounts` entry) fails the plan, naming both. These checks " +
			"skip the account this state holds (a replacement deletes it before creating the new one); because " +
			"they run in every plan, also the one before a destroy, their errors name `terraform destroy " +
			"-refresh=false` as the way to destroy meanwhile. A plan that replaces an account warns, naming it: the " +
			"new account gets a new id and new WireGuard keys, and configurations handed out for the old one stop " +
			"working.\n\n" +
			"Import takes the numeric id or the username, or either with a prefix: `id:56`, `username:jane-doe`. A " +
			"number that is the id of one account and the username of another is refused, showing both prefixed forms. The API does not " +
			"say which customer owns an account, so " +
			"import finds it in the customers' account lists, walked once per Terraform run and shared by every import in it; after an import the next plan " +
			"replaces nothing.\n\n" +
			"A `restapi_object` of Mastercard/restapi with path `/v4_1/accounts` moves here with a `moved` block " +
			"(Terraform 1.8+), without its password: the moved account has no password in state, and the first " +
			"`password_wo_version` (or `password`) its configuration gives sets nothing; only a later change of it " +
			"sends the password. See the guide \"Migrating from restapi and http\".",
		Attributes: map[string]schema.Attribute{
			accountAttrs.ID.name: schema.Int64Attribute{
				MarkdownDescription: accountAttrs.ID.desc,
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			accountAttrs.Username.name: schema.StringAttribute{
				MarkdownDescription: accountAttrs.Username.argDesc("Changing it replaces the account (new WireGuard keys, new id)."),
				Required:            true,
				Validators:          usernameValidators(),
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password, at least 6 characters. Stored in state (marked sensitive). Changing it " +
					"changes the password in place. At most one of `password` and `password_wo` may be set; a new " +
					"account needs one of them, an existing one keeps its password when both are left out.",
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{
					charsBetween(6, 0),
					stringvalidator.ConflictsWith(path.MatchRoot("password_wo")),
				},
			},
			"password_wo": schema.StringAttribute{
				MarkdownDescription: "Write-only password, at least 6 characters, never stored in state or plan " +
					"(Terraform 1.11 and later). Terraform cannot see a change to it: bump `password_wo_version` to " +
					"apply a new one. At most one of `password` and `password_wo` may be set; a new account needs one of them. " +
					"On an account moved from `restapi_object` it sets nothing until `password_wo_version` changes.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				Validators: []validator.String{
					charsBetween(6, 0),
					stringvalidator.AlsoRequires(path.MatchRoot("password_wo_version")),
				},
			},
			"password_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number that goes with `password_wo`; change it (for example increment it) " +
					"to send the current `password_wo` to the API. Required with `password_wo`.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("password_wo"))},
			},
			accountAttrs.CustomerID.name: schema.Int64Attribute{
				MarkdownDescription: accountAttrs.CustomerID.argDesc("Left out, it keeps whatever the " +
					"account has (import fills it in), so an adopted account is never replaced because of it. The API " +
					"cannot move an account between customers, so setting it to a different customer replaces the " +
					"account (new id, new WireGuard keys)."),
				Optional:      true,
				Computed:      true,
				CustomType:    idType{},
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: []planmodifier.Int64{keepWhenUnset{}, int64planmodifier.RequiresReplace()},
			},
			accountAttrs.Enabled.name:  enabledArgument(),
			accountAttrs.ExpireAt.name: expireAtArgument(),
			accountAttrs.Status.name: schema.StringAttribute{
				MarkdownDescription: accountAttrs.Status.desc,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{statusFollowsEnabled{}},
			},
			accountAttrs.WgIP.name:        computedString(accountAttrs.WgIP, keep...),
			accountAttrs.WgPublicKey.name: computedString(accountAttrs.WgPublicKey, keep...),
			accountAttrs.Created.name:     computedString(accountAttrs.Created, keep...),
			accountAttrs.Updated.name:     computedString(accountAttrs.Updated),
		},
	}
}

// desiredPassword returns the password the configuration asks for: password,
// or the write-only password_wo read from the configuration.
func desiredPassword(ctx context.Context, plan accountModel, config tfsdk.Config) (string, bool, diag.Diagnostics) {
	if !plan.Password.IsNull() {
		return plan.Password.ValueString(), false, nil
	}
	var wo types.String
	diags := config.GetAttribute(ctx, path.Root("password_wo"), &wo)
	return wo.ValueString(), true, diags
}

func (r *accountResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan accountModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	password, useWO, diags := desiredPassword(ctx, plan, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := newAccountRequest(plan.Username.ValueString(), password, plan.CustomerID.Int64Value)
	if in.Customer == nil {
		plan.CustomerID = idNull()
	}
	var acc *client.Account
	var err error
	if record, ok := r.run.recorded(usernameRef(in.Username)); ok {
		// This state's own record of an unfinished create of the account
		// (see settlePendingCreate): take what it made, if anything.
		acc, err = r.client.ResumeCreateAccount(ctx, in, record)
	} else {
		acc, err = r.client.CreateAccount(ctx, in)
	}
	if createFailed(ctx, err, acc != nil, "Unable to create account", passwordFields(useWO), req, resp) ||
		malformedAnswer(&resp.Diagnostics, "Unable to create account", "account", acc.ID, acc.Username) {
		return
	}
	// Record the account at once: if a following step fails, Terraform keeps
	// it (tainted) instead of losing track of it.
	want := plan
	plan.fill(acc)
	resp.Diagnostics.Append(saveWithIdentity(ctx, &resp.State, resp.Identity, &plan, acc.ID)...)
	r.converge(ctx, &plan, want, &resp.State, &resp.Diagnostics)
}

// converge brings the account's enabled state and expiry to what want says,
// calling only the endpoints whose attribute differs, and records each
// answer in state as it arrives.
func (r *accountResource) converge(ctx context.Context, cur *accountModel, want accountModel, state *tfsdk.State, diags *diag.Diagnostics) {
	id := cur.ID.ValueInt64()
	if !want.ExpireAt.Equal(cur.ExpireAt) {
		acc, err := r.client.ExpireAccount(ctx, id, expireAtArg(want.ExpireAt))
		if err != nil {
			addAPIError(diags, fmt.Sprintf("Unable to set the expiry of account %d", id), err, accountFields)
			return
		}
		cur.fill(acc)
		diags.Append(state.Set(ctx, cur)...)
	}
	if want.Enabled.ValueBool() != cur.Enabled.ValueBool() {
		acc, action, err := setAccountEnabled(ctx, r.client, id, want.Enabled.ValueBool())
		if err != nil {
			addAPIError(diags, fmt.Sprintf("Unable to %s account %d", action, id), err, nil)
			return
		}
		cur.fill(acc)
		diags.Append(state.Set(ctx, cur)...)
	}
}

func (r *accountResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state accountModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	acc := readObject(ctx, &r.resourceClient, req, resp, "account", state.ID.ValueInt64(), r.client.ReadAccount)
	if acc == nil || malformedAnswer(&resp.Diagnostics, "Unable to read account", "account", acc.ID, acc.Username) {
		return
	}
	r.run.hold(client.KindAccount, acc.ID, usernameRef(acc.Username))
	state.fill(acc)
	resolveMovedOwner(ctx, r.client, req.Private, resp.Private, &state, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// MoveState moves a restapi_object of path /v4_1/accounts here, without
// its password (see move_state.go).
func (r *accountResource) MoveState(context.Context) []resource.StateMover {
	return restapiMover("account", moveAccount)
}

func (r *accountResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, cur accountModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &cur)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := cur.ID.ValueInt64()
	// With neither password argument set the account keeps its password.
	// An account moved from restapi_object keeps it too when its first
	// password argument arrives (movedPasswordKept).
	newPassword := (!plan.Password.IsNull() && !plan.Password.Equal(cur.Password)) ||
		(!plan.PasswordWOVersion.IsNull() && !plan.PasswordWOVersion.Equal(cur.PasswordWOVersion))
	if newPassword && !movedPasswordKept(ctx, req.Private, resp.Private, cur, &resp.Diagnostics) {
		password, useWO, diags := desiredPassword(ctx, plan, req.Config)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		acc, err := r.client.ChangePassword(ctx, id, password)
		if err != nil {
			addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to change the password of account %d", id), err, passwordFields(useWO))
			return
		}
		cur.fill(acc)
		cur.Password, cur.PasswordWOVersion = plan.Password, plan.PasswordWOVersion
		resp.Diagnostics.Append(resp.State.Set(ctx, &cur)...)
	}
	r.converge(ctx, &cur, plan, &resp.State, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// Nothing the API holds changed (for example only the way the password
	// is given did): carry the planned values over.
	cur.Password, cur.PasswordWOVersion = plan.Password, plan.PasswordWOVersion
	resp.Diagnostics.Append(saveWithIdentity(ctx, &resp.State, resp.Identity, &cur, id)...)
}

func (r *accountResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state accountModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.ID.IsNull() || state.ID.ValueInt64() <= 0 {
		// A placeholder (see keepPendingCreate): there is nothing to
		// delete. When a create replaces it, the note of the unfinished
		// create goes on to that create.
		if p, ok, _ := pendingNote(ctx, req.Private); ok && p.Kind == client.KindAccount {
			r.run.record(usernameRef(p.Username), p)
		}
		return
	}
	r.deleteObject(ctx, &resp.Diagnostics, req.Private, client.KindAccount, state.ID.ValueInt64(), 0)
}

// ImportState takes what the one grammar of object references reads
// (object_ref.go): the account's numeric id or its username, either of them
// with a prefix (id:56, username:jane-doe), or an identity; a number that
// is the id of one account and the username of another is refused, showing
// both prefixed forms. It finds the customer that owns the account so that
// a configuration with customer_id plans no replacement after the import.
func (r *accountResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ref, diags := importKey(req, client.KindAccount, usernameKey)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	acc, id, err := resolveRef(ctx, accountRefs(r.client), ref)
	if err != nil {
		addRefError(&resp.Diagnostics, "", "Unable to import the account", client.KindAccount, usernameKey, ref, false, err)
		return
	}
	// The client's one owner walk, shared by every import of the run.
	cust, err := r.client.FindAccountCustomer(ctx, id)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to find the customer of account %d", id), err, nil)
		return
	}
	if cust == nil && acc == nil {
		// Owned by no customer, or (an id taken on trust) no account at
		// all: ask for it. (One a customer lists exists.)
		if _, err := r.client.GetAccount(ctx, id); err != nil {
			addRefError(&resp.Diagnostics, "", "Unable to import the account", client.KindAccount, usernameKey, objectRef{id: id}, false, err)
			return
		}
	}
	setImported(ctx, resp, id)
	if cust != nil {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, accountAttrs.CustomerID.path(), cust.ID)...)
	}
}

// UpgradeState drops wg_private_key from states of schema version 0: the
// key no longer belongs in state.
func (r *accountResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{
		0: {StateUpgrader: upgradeDroppingAttributes},
	}
}
