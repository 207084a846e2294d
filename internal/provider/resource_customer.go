package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = (*customerResource)(nil)
	_ resource.ResourceWithImportState = (*customerResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*customerResource)(nil)
	_ resource.ResourceWithIdentity    = (*customerResource)(nil)
	_ resource.ResourceWithMoveState   = (*customerResource)(nil)
)

func newCustomerResource() resource.Resource { return &customerResource{} }

type customerResource struct {
	resourceClient
	numericIdentity
}

type customerModel struct {
	ID        types.Int64    `tfsdk:"id"`
	ProjectID idValue        `tfsdk:"project_id"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
	customerValues
}

// fill copies c into m. An email that differs only in letter case from the
// one in m is kept as written, so an API that lower-cases addresses causes
// no diff.
func (m *customerModel) fill(c *client.Customer) {
	email := m.Email
	m.ID = types.Int64Value(c.ID)
	m.ProjectID = idOf(c.ProjectID)
	m.customerValues.fill(c)
	if !email.IsNull() && !email.IsUnknown() && strings.EqualFold(email.ValueString(), c.Email) {
		m.Email = email
	}
	if len(m.Timeouts.AttributeTypes(context.Background())) == 0 {
		m.Timeouts = nullTimeouts()
	}
}

var customerFields = fieldPaths{
	"first_name": path.Root("first_name"),
	"last_name":  path.Root("last_name"),
	"email":      path.Root("email"),
	"project_id": path.Root("project_id"),
}

func (r *customerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (r *customerResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	nameAttr := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: desc,
			Required:            true,
			Validators:          []validator.String{notBlankValidator(), stringvalidator.LengthAtMost(255)},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A customer of the reseller, in a project. Customers own VPN accounts " +
			"(see `vpnresellers_account`'s `customer_id`); the API refuses to delete a customer that still owns " +
			"accounts.\n\n" +
			"The API cannot move a customer to another project, so changing `project_id` replaces the customer, and " +
			"with it every account whose `customer_id` refers to it: Terraform deletes those accounts, then the " +
			"customer, and creates them all again, with new ids and new WireGuard keys. The plan warns when it " +
			"replaces a customer. Accounts of the customer that this configuration does not manage make the delete " +
			"fail, and nothing is replaced." +
			"\n\nA `restapi_object` of Mastercard/restapi with path `/v4_1/customers` moves here with a `moved` block " +
			"(Terraform 1.8+), without re-creating it; see the guide \"Migrating from restapi and http\".",
		Attributes: map[string]schema.Attribute{
			"id": schema.Int64Attribute{
				MarkdownDescription: "Numeric identifier of the customer.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"project_id": schema.Int64Attribute{
				MarkdownDescription: "Identifier of the project the customer belongs to. The API cannot move a customer " +
					"to another project, so changing it replaces the customer and every account in this configuration " +
					"that refers to it (new ids, new WireGuard keys).",
				Required:      true,
				CustomType:    idType{},
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"first_name": nameAttr("First name. Can be changed in place."),
			"last_name":  nameAttr("Last name. Can be changed in place."),
			"email": schema.StringAttribute{
				MarkdownDescription: "Email address, unique among all customers of the reseller. Can be changed in place. " +
					"A new customer whose email another customer has fails the plan, with the import command, before " +
					"anything is written (the plan reads the customer list once, for all its new customers).",
				Required:   true,
				Validators: []validator.String{emailValidator(), stringvalidator.LengthAtMost(255)},
			},
			"user_id": schema.Int64Attribute{
				MarkdownDescription: "Identifier of the reseller user that owns the customer.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": deleteTimeoutsBlock(ctx, "accounts of the customer")},
	}
}

func (r *customerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan customerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c, err := r.client.CreateCustomer(ctx, client.CreateCustomerRequest{
		FirstName: plan.FirstName.ValueString(),
		LastName:  plan.LastName.ValueString(),
		Email:     plan.Email.ValueString(),
		ProjectID: plan.ProjectID.ValueInt64(),
	})
	if createFailed(ctx, err, c != nil, "Unable to create customer", customerFields, req, resp) ||
		malformedAnswer(&resp.Diagnostics, "Unable to create customer", "customer", c.ID, c.Email) {
		return
	}
	plan.fill(c)
	resp.Diagnostics.Append(saveWithIdentity(ctx, &resp.State, resp.Identity, &plan, plan.ID.ValueInt64())...)
}

func (r *customerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state customerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := readObject(ctx, &r.resourceClient, req, resp, "customer", state.ID.ValueInt64(), r.client.ReadCustomer)
	if c == nil || malformedAnswer(&resp.Diagnostics, "Unable to read customer", "customer", c.ID, c.Email) {
		return
	}
	state.fill(c)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *customerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state customerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Send only what changed; the API answers without the customer, so the
	// planned values are what it now holds.
	var in client.UpdateCustomerRequest
	changed := false
	for _, f := range []struct {
		plan, state types.String
		dst         **string
	}{
		{plan.FirstName, state.FirstName, &in.FirstName},
		{plan.LastName, state.LastName, &in.LastName},
		{plan.Email, state.Email, &in.Email},
	} {
		if !f.plan.Equal(f.state) {
			v := f.plan.ValueString()
			*f.dst = &v
			changed = true
		}
	}
	if changed {
		if err := r.client.UpdateCustomer(ctx, state.ID.ValueInt64(), in); err != nil {
			addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to update customer %d", state.ID.ValueInt64()), err, customerFields)
			return
		}
	}
	plan.ID, plan.UserID = state.ID, state.UserID
	resp.Diagnostics.Append(saveWithIdentity(ctx, &resp.State, resp.Identity, &plan, plan.ID.ValueInt64())...)
}

func (r *customerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state customerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	wait := deleteWait(ctx, state.Timeouts, &resp.Diagnostics)
	deleteObject(ctx, &resp.Diagnostics, "customer", state.ID.ValueInt64(), r.client.DeleteCustomer, &dependents{
		wait: wait, what: "accounts",
		list: dependentNames(r.client.ListAllCustomerAccounts, func(a client.Account) (string, int64) { return a.Username, a.ID }),
		hint: "Delete them first, or adopt them into this configuration so that the same destroy deletes them " +
			"(Terraform orders this itself when they refer to the customer).",
	})
}

func (r *customerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importNumericID(ctx, "customer", req, resp)
}

// ModifyPlan fails the plan of a new customer whose email is taken, and
// warns when the plan replaces the customer: every account that refers to
// it is replaced too. A replacement is planned in two passes (see the
// account's ModifyPlan): the warning comes from the first, the email check
// from the second.
func (r *customerResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, state customerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if req.State.Raw.IsNull() {
		if !resp.Diagnostics.HasError() {
			r.checkNewEmail(ctx, plan.Email, &resp.Diagnostics)
		}
		return
	}
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || plan.ProjectID.Equal(state.ProjectID) {
		return
	}
	if strings.EqualFold(plan.Email.ValueString(), state.Email.ValueString()) {
		// The create pass finds the email taken, by this very customer,
		// which is deleted first.
		r.plan.replacing("email", strings.ToLower(state.Email.ValueString()))
	}
	resp.Diagnostics.AddWarning(
		fmt.Sprintf("Customer %s (id %d) will be replaced, with its accounts", client.Printable(state.Email.ValueString()), state.ID.ValueInt64()),
		fmt.Sprintf("This plan deletes customer %s (id %d) and creates a new one, because %s changes (the API cannot "+
			"move a customer). Every account whose customer_id refers to it is deleted and created again: new ids, "+
			"new WireGuard keys, and the configurations handed out for the old accounts stop working. Accounts of "+
			"this customer that the configuration does not manage make the delete fail. If that is not intended, "+
			"undo the change.",
			client.Printable(state.Email.ValueString()), state.ID.ValueInt64(), "`project_id`"))
}

// MoveState moves a restapi_object of path /v4_1/customers here (see
// move_state.go).
func (r *customerResource) MoveState(context.Context) []resource.StateMover {
	return restapiMover("customer", moveCustomer)
}

// checkNewEmail fails the plan, on email, when a customer already has the
// email of a customer about to be created: the API would refuse it halfway
// through the apply, after whatever the customer depends on was made. The
// customers are walked once per plan, for every new customer in it
// (customerWithEmail).
func (r *customerResource) checkNewEmail(ctx context.Context, email types.String, diags *diag.Diagnostics) {
	if r.client == nil || email.IsUnknown() || email.IsNull() {
		return
	}
	if r.plan.isReplacing("email", strings.ToLower(email.ValueString())) {
		return
	}
	holder, err := r.plan.customerWithEmail(ctx, r.client, email.ValueString())
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Unable to check whether email %q is free", email.ValueString()), err, nil)
		return
	}
	if holder == nil {
		return
	}
	diags.AddAttributeError(path.Root("email"), "Email already taken",
		fmt.Sprintf("Customer %d (in project %d) already has email %q, and emails are unique among the reseller's "+
			"customers, so the API would refuse a new customer with it. Nothing was written. It may belong to "+
			"someone else sharing the API account (another workspace, a person in the web panel): choose another email. "+
			"Only if it is a customer of yours that nothing else manages, import it instead of creating it:\n\n"+
			"  terraform import <resource address> %d\n\n"+
			"or add an import block:\n\n"+
			"  import {\n    to = <resource address>\n    id = \"%d\"\n  }",
			holder.ID, holder.ProjectID, holder.Email, holder.ID, holder.ID))
}
