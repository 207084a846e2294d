package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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

var customerBinding = bindModel[customerModel, client.Customer](customerAttrs)

// fill copies c into m. An email that differs only in letter case from the
// one in m is kept as written, so an API that lower-cases addresses causes
// no diff.
func (m *customerModel) fill(c *client.Customer) {
	email := m.Email
	customerBinding.fill(m, c)
	if !email.IsNull() && !email.IsUnknown() && strings.EqualFold(email.ValueString(), c.Email) {
		m.Email = email
	}
	if len(m.Timeouts.AttributeTypes(context.Background())) == 0 {
		m.Timeouts = nullTimeouts()
	}
}

// customerFields points the API's errors about a field at its attribute.
var customerFields = fieldsOf(customerAttrs.FirstName, customerAttrs.LastName, customerAttrs.Email, customerAttrs.ProjectID)

func (r *customerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (r *customerResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	nameAttr := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: desc,
			Required:            true,
			Validators:          []validator.String{notBlankValidator(), charsBetween(0, maxChars)},
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
			customerAttrs.ID.name: schema.Int64Attribute{
				MarkdownDescription: customerAttrs.ID.desc,
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			customerAttrs.ProjectID.name: schema.Int64Attribute{
				MarkdownDescription: customerAttrs.ProjectID.desc + " The API cannot move a customer " +
					"to another project, so changing it replaces the customer and every account in this configuration " +
					"that refers to it (new ids, new WireGuard keys).",
				Required:      true,
				CustomType:    idType{},
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			customerAttrs.FirstName.name: nameAttr(customerAttrs.FirstName.desc + " " + upTo255 + " Can be changed in place."),
			customerAttrs.LastName.name:  nameAttr(customerAttrs.LastName.desc + " " + upTo255 + " Can be changed in place."),
			customerAttrs.Email.name: schema.StringAttribute{
				MarkdownDescription: customerAttrs.Email.desc + " Up to 255 characters. Can be changed in place. " +
					"A new customer whose email another customer has fails the plan, with the import command, before " +
					"anything is written (the plan reads the customer list once, for all its new customers).",
				Required:   true,
				Validators: []validator.String{emailValidator(), charsBetween(0, maxChars)},
			},
			customerAttrs.UserID.name: schema.Int64Attribute{
				MarkdownDescription: customerAttrs.UserID.desc,
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
	r.run.hold(client.KindCustomer, c.ID, emailRef(c.Email))
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
	r.deleteObject(ctx, &resp.Diagnostics, req.Private, client.KindCustomer, state.ID.ValueInt64(), wait)
}

func (r *customerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importNumericID(ctx, "customer", req, resp)
}

// ModifyPlan fails the plan of a new customer whose email is taken, or
// that another customer of the configuration asks for, and warns when the
// plan replaces the customer: every account that refers to it is replaced
// too (a move to another project), which fails the plan instead when an
// account of the customer would not go along (see runMemory.takeAlong).
// A replacement is planned in two passes (see the account's ModifyPlan):
// the warning comes from the first, the email check from the second.
func (r *customerResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.run.touch()
	var plan, state customerModel
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if req.Plan.Raw.IsNull() {
		if state.ID.ValueInt64() > 0 {
			r.run.planDeletes(ctx, resp.Private, &resp.Diagnostics, objRef{client.KindCustomer, state.ID.ValueInt64()})
		}
		return
	}
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		r.checkNewEmail(ctx, req, plan.Email, &resp.Diagnostics)
		return
	}
	id := state.ID.ValueInt64()
	r.run.hold(client.KindCustomer, id, emailRef(state.Email.ValueString()))
	keepLineage(ctx, resp.Private, id, &resp.Diagnostics)
	if !plan.Email.IsUnknown() && client.EmailKey(plan.Email.ValueString()) == client.EmailKey(state.Email.ValueString()) &&
		!r.run.checkUse(emailRef(plan.Email.ValueString()), keyUse{who: customerWho(plan.Email.ValueString()), id: id}, customerAttrs.Email.path(), &resp.Diagnostics) {
		return
	}
	if plan.ProjectID.Equal(state.ProjectID) {
		return
	}
	resp.Diagnostics.AddWarning(
		fmt.Sprintf("Customer %s (id %d) will be replaced, with its accounts", client.Printable(state.Email.ValueString()), id),
		fmt.Sprintf("This plan deletes customer %s (id %d) and creates a new one, because %s changes (the API cannot "+
			"move a customer). Every account whose customer_id refers to it is deleted and created again: new ids, "+
			"new WireGuard keys, and the configurations handed out for the old accounts stop working. An account of "+
			"this customer that does not go along (one this configuration does not manage) fails the plan. If that "+
			"is not intended, undo the change.",
			client.Printable(state.Email.ValueString()), id, "`project_id`"))
}

// MoveState moves a restapi_object of path /v4_1/customers here (see
// move_state.go).
func (r *customerResource) MoveState(context.Context) []resource.StateMover {
	return restapiMover("customer", moveCustomer)
}

// replacing records that the plan replaces customer id (a move to another
// project, -replace, taint): its accounts are deleted before it, and the
// plan of each says whether it goes along (runMemory.takeAlong). Found the
// customer gone, nothing is recorded.
func (r *customerResource) replacing(ctx context.Context, id int64, diags *diag.Diagnostics) {
	accounts, err := dependentsOf(ctx, r.client, client.KindCustomer, id)
	if client.IsGone(err, client.KindCustomer) {
		return
	}
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Unable to list the accounts of customer %d, which this plan replaces", id), err, nil)
		return
	}
	r.run.moving(id, accounts)
}

// checkNewEmail fails the plan, on email, when a customer that is not this
// state's already has the email of a customer about to be created (the API
// would refuse it halfway through the apply, after whatever the customer
// depends on was made), or when another customer of the configuration asks
// for it too. Emails are compared as the API compares them (Unicode case
// folding). The customers are walked once per plan, for every new customer
// in it (runMemory.customerWithEmail).
func (r *customerResource) checkNewEmail(ctx context.Context, req resource.ModifyPlanRequest, email types.String, diags *diag.Diagnostics) {
	if r.client == nil || email.IsUnknown() || email.IsNull() {
		return
	}
	e := email.ValueString()
	own, free := r.run.newKey(ctx, req.Private, emailRef(e), customerWho(e), customerAttrs.Email.path(), client.KindCustomer,
		client.Printable(e), "Every account whose customer_id refers to it is replaced too (new ids, new WireGuard keys).", diags)
	if !free {
		return
	}
	if own != 0 {
		r.replacing(ctx, own, diags)
		return
	}
	holder, err := r.run.customerWithEmail(ctx, r.client, e)
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Unable to check whether email %q is free", e), err, nil)
		return
	}
	if holder == nil || r.run.holds(client.KindCustomer, holder.ID) {
		return
	}
	why := fmt.Sprintf("Customer %d (in project %d) already has email %q, and emails are unique among the reseller's "+
		"customers (compared without regard to case, as the API compares them), so the API would refuse a new customer "+
		"with it. Nothing was written.", holder.ID, holder.ProjectID, client.Printable(holder.Email))
	if client.IsClaim(holder.FirstName) {
		why += fmt.Sprintf(" Customer %d is an unfinished create: its first name is still the one-time claim a create "+
			"sends before it sets the real name, so an apply (of this workspace or another) was stopped between the two. "+
			"If it is this configuration's customer, import it; the next apply then finishes it in place.", holder.ID)
	}
	diags.AddAttributeError(customerAttrs.Email.path(), "Email already taken", why+" "+takenAdvice(fmt.Sprint(holder.ID)))
}
