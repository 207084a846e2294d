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
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = (*accountResource)(nil)
	_ resource.ResourceWithImportState = (*accountResource)(nil)
	_ resource.ResourceWithIdentity    = (*accountResource)(nil)
)

func newAccountResource() resource.Resource { return &accountResource{} }

type accountResource struct {
	resourceClient
	numericIdentity
}

type accountModel struct {
	ID                types.Int64  `tfsdk:"id"`
	Username          types.String `tfsdk:"username"`
	Password          types.String `tfsdk:"password"`
	PasswordWO        types.String `tfsdk:"password_wo"`
	PasswordWOVersion types.Int64  `tfsdk:"password_wo_version"`
	CustomerID        types.Int64  `tfsdk:"customer_id"`
	Enabled           types.Bool   `tfsdk:"enabled"`
	ExpireAt          types.String `tfsdk:"expire_at"`
	Status            types.String `tfsdk:"status"`
	WgIP              types.String `tfsdk:"wg_ip"`
	WgPublicKey       types.String `tfsdk:"wg_public_key"`
	WgPrivateKey      types.String `tfsdk:"wg_private_key"`
	Created           types.String `tfsdk:"created"`
	Updated           types.String `tfsdk:"updated"`
}

// fill copies what the API says of the account into m. The password, the
// customer link and the write-only version are not in the API's account
// object and keep their values.
func (m *accountModel) fill(a *client.Account) {
	m.ID = types.Int64Value(a.ID)
	m.Username = types.StringValue(a.Username)
	m.Enabled = types.BoolValue(a.Enabled())
	if d := a.ExpireDate(); d != "" {
		m.ExpireAt = types.StringValue(d)
	} else {
		m.ExpireAt = types.StringNull()
	}
	m.Status = types.StringValue(a.Status)
	m.WgIP = types.StringValue(a.WgIP)
	m.WgPublicKey = types.StringValue(a.WgPublicKey)
	m.WgPrivateKey = types.StringValue(a.WgPrivateKey)
	m.Created = types.StringValue(a.Created)
	m.Updated = types.StringValue(a.Updated)
	m.PasswordWO = types.StringNull() // write-only: never stored
}

var accountFields = fieldPaths{
	"username":             path.Root("username"),
	"password":             path.Root("password"),
	"expire_at":            path.Root("expire_at"),
	"customer.customer_id": path.Root("customer_id"),
	"customer_id":          path.Root("customer_id"),
}

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
		MarkdownDescription: "A VPN account: the username and password a person signs in to OpenVPN with, and a " +
			"WireGuard key pair and address. Accounts can be disabled without being deleted, can expire on a date " +
			"or renew automatically, and can belong to a customer.\n\n" +
			"Set the password with `password` (stored in state, marked sensitive) or, on Terraform 1.11 and later, " +
			"with the write-only `password_wo` and `password_wo_version` (never stored in state or plan). " +
			"The API never returns a password, so a password changed outside Terraform is not detected; every " +
			"other attribute is refreshed from the API on each plan.\n\n" +
			"Import takes the numeric id or the username. The API does not say which customer owns an account, so " +
			"import finds it by reading the projects' and customers' account lists; after an import the next plan " +
			"sets the password once (it cannot be read back) and replaces nothing.",
		Attributes: map[string]schema.Attribute{
			"id": schema.Int64Attribute{
				MarkdownDescription: "Numeric identifier of the account.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "Username the person signs in with; unique across the whole service. " +
					"Changing it replaces the account (new WireGuard keys, new id).",
				Required:      true,
				Validators:    []validator.String{notBlankValidator(), stringvalidator.LengthAtMost(255)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password, at least 6 characters. Stored in state (marked sensitive). Changing it " +
					"changes the password in place. Exactly one of `password` and `password_wo` must be set.",
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(6),
					stringvalidator.ExactlyOneOf(path.MatchRoot("password"), path.MatchRoot("password_wo")),
				},
			},
			"password_wo": schema.StringAttribute{
				MarkdownDescription: "Write-only password, at least 6 characters, never stored in state or plan " +
					"(Terraform 1.11 and later). Terraform cannot see a change to it: bump `password_wo_version` to " +
					"apply a new one. Exactly one of `password` and `password_wo` must be set.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(6),
					stringvalidator.AlsoRequires(path.MatchRoot("password_wo_version")),
				},
			},
			"password_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number that goes with `password_wo`; change it (for example increment it) " +
					"to send the current `password_wo` to the API. Required with `password_wo`.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("password_wo"))},
			},
			"customer_id": schema.Int64Attribute{
				MarkdownDescription: "Identifier of the customer that owns the account. The API cannot move an account " +
					"between customers, so changing it replaces the account.",
				Optional:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the account may connect. `false` disables VPN service without deleting " +
					"the account. Defaults to `true`. Changed in place.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"expire_at": schema.StringAttribute{
				MarkdownDescription: "Date the account expires, as `YYYY-MM-DD`. Leave it out (null) for an account " +
					"that renews automatically. Changed in place.",
				Optional:   true,
				Validators: []validator.String{dateValidator()},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Status reported by the API: `Active` or `Disabled`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{statusFollowsEnabled{}},
			},
			"wg_ip": schema.StringAttribute{
				MarkdownDescription: "The account's WireGuard address.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"wg_public_key": schema.StringAttribute{
				MarkdownDescription: "The account's WireGuard public key.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"wg_private_key": schema.StringAttribute{
				MarkdownDescription: "The account's WireGuard private key. Sensitive. To hand a customer a WireGuard " +
					"configuration without keeping the key in Terraform's outputs, use the `vpnresellers_wireguard_config` " +
					"ephemeral resource.",
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: keep,
			},
			"created": schema.StringAttribute{
				MarkdownDescription: "When the account was created (`YYYY-MM-DD hh:mm:ss`, UTC).",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"updated": schema.StringAttribute{
				MarkdownDescription: "When the account last changed (`YYYY-MM-DD hh:mm:ss`, UTC).",
				Computed:            true,
			},
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
	in := client.CreateAccountRequest{Username: plan.Username.ValueString(), Password: password}
	if !plan.CustomerID.IsNull() {
		in.Customer = &client.AccountCustomer{CustomerID: plan.CustomerID.ValueInt64()}
	}
	acc, err := r.client.CreateAccount(ctx, in)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to create account", err, passwordFields(useWO))
		return
	}
	// Record the account at once: if a following step fails, Terraform keeps
	// it (tainted) instead of losing track of it.
	want := plan
	plan.fill(acc)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, acc.ID)...)
	r.converge(ctx, &plan, want, &resp.State, &resp.Diagnostics)
}

// converge brings the account's enabled state and expiry to what want says,
// calling only the endpoints whose attribute differs, and records each
// answer in state as it arrives.
func (r *accountResource) converge(ctx context.Context, cur *accountModel, want accountModel, state *tfsdk.State, diags *diag.Diagnostics) {
	id := cur.ID.ValueInt64()
	if !want.ExpireAt.Equal(cur.ExpireAt) {
		var expireAt *string
		if !want.ExpireAt.IsNull() {
			v := want.ExpireAt.ValueString()
			expireAt = &v
		}
		acc, err := r.client.ExpireAccount(ctx, id, expireAt)
		if err != nil {
			addAPIError(diags, fmt.Sprintf("Unable to set the expiry of account %d", id), err, accountFields)
			return
		}
		cur.fill(acc)
		diags.Append(state.Set(ctx, cur)...)
	}
	if want.Enabled.ValueBool() != cur.Enabled.ValueBool() {
		action, call := "enable", r.client.EnableAccount
		if !want.Enabled.ValueBool() {
			action, call = "disable", r.client.DisableAccount
		}
		acc, err := call(ctx, id)
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
	// The identity never changes; set it first, so that it is there even
	// when the object turns out to be gone.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ID.ValueInt64())...)
	acc := readObject(ctx, resp, "account", state.ID.ValueInt64(), r.client.GetAccount)
	if acc == nil {
		return
	}
	state.fill(acc)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *accountResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, cur accountModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &cur)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := cur.ID.ValueInt64()
	if !plan.Password.Equal(cur.Password) || !plan.PasswordWOVersion.Equal(cur.PasswordWOVersion) {
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
	resp.Diagnostics.Append(resp.State.Set(ctx, &cur)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
}

func (r *accountResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state accountModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	deleteObject(ctx, &resp.Diagnostics, "account", state.ID.ValueInt64(), r.client.DeleteAccount, "")
}

// ImportState takes the account's numeric id or its username, and finds the
// customer that owns it so that a configuration with customer_id plans no
// replacement after the import.
func (r *accountResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, key, diags := importKey(ctx, req)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if id == 0 && key == "" {
		resp.Diagnostics.AddError("Invalid import ID", "An account is imported by its numeric id or by its username.")
		return
	}
	if id == 0 {
		acc, err := r.client.FindAccountByUsername(ctx, key)
		if err != nil {
			addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to import account %q", key), err, nil)
			return
		}
		id = acc.ID
	}
	cust, err := r.client.FindAccountCustomer(ctx, id)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to find the customer of account %d", id), err, nil)
		return
	}
	setImported(ctx, resp, id)
	if cust != nil {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("customer_id"), cust.ID)...)
	}
}

// statusFollowsEnabled plans `status` from `enabled`: unchanged when enabled
// is unchanged, unknown (decided by the API) when it changes.
type statusFollowsEnabled struct{}

func (statusFollowsEnabled) Description(context.Context) string {
	return "keeps the prior status unless enabled changes"
}
func (m statusFollowsEnabled) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}
func (statusFollowsEnabled) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || !req.PlanValue.IsUnknown() || req.Plan.Raw.IsNull() {
		return
	}
	var planned, prior types.Bool
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("enabled"), &planned)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("enabled"), &prior)...)
	if !planned.IsUnknown() && planned.Equal(prior) {
		resp.PlanValue = req.StateValue
	}
}
