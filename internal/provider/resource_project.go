package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
	_ resource.ResourceWithConfigure   = (*projectResource)(nil)
	_ resource.ResourceWithImportState = (*projectResource)(nil)
	_ resource.ResourceWithIdentity    = (*projectResource)(nil)
	_ resource.ResourceWithMoveState   = (*projectResource)(nil)
)

func newProjectResource() resource.Resource { return &projectResource{} }

type projectResource struct {
	resourceClient
	numericIdentity
}

type projectModel struct {
	ID       types.Int64    `tfsdk:"id"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
	projectValues
}

func (m *projectModel) fill(p *client.Project) {
	m.ID = types.Int64Value(p.ID)
	m.projectValues.fill(p)
	if len(m.Timeouts.AttributeTypes(context.Background())) == 0 {
		m.Timeouts = nullTimeouts()
	}
}

var projectFields = fieldPaths{"name": path.Root("name"), "description": path.Root("description")}

func (r *projectResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (r *projectResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A project groups customers, for example one per brand, reseller channel or region. " +
			"A project that still has customers cannot be deleted: destroy its customers first (Terraform does this " +
			"for you when the customers are in the same configuration and refer to the project)." +
			"\n\nA `restapi_object` of Mastercard/restapi with path `/v4_1/projects` moves here with a `moved` block " +
			"(Terraform 1.8+), without re-creating it; see the guide \"Migrating from restapi and http\".",
		Attributes: map[string]schema.Attribute{
			"id": schema.Int64Attribute{
				MarkdownDescription: "Numeric identifier of the project.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the project (up to 255 characters). Names need not be unique. Can be changed in place.",
				Required:            true,
				Validators:          []validator.String{notBlankValidator(), stringvalidator.LengthAtMost(255)},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Description of the project (up to 255 characters). Can be changed in place.",
				Required:            true,
				Validators:          []validator.String{notBlankValidator(), stringvalidator.LengthAtMost(255)},
			},
			"user_id": schema.Int64Attribute{
				MarkdownDescription: "Identifier of the reseller user that owns the project.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": deleteTimeoutsBlock(ctx, "customers of the project")},
	}
}

func (r *projectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan projectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := r.client.CreateProject(ctx, client.ProjectRequest{Name: plan.Name.ValueString(), Description: plan.Description.ValueString()})
	if createFailed(ctx, err, p != nil, "Unable to create project", projectFields, req, resp) ||
		malformedAnswer(&resp.Diagnostics, "Unable to create project", "project", p.ID, p.Name) {
		return
	}
	plan.fill(p)
	resp.Diagnostics.Append(saveWithIdentity(ctx, &resp.State, resp.Identity, &plan, plan.ID.ValueInt64())...)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p := readObject(ctx, &r.resourceClient, req, resp, "project", state.ID.ValueInt64(), r.client.ReadProject)
	if p == nil || malformedAnswer(&resp.Diagnostics, "Unable to read project", "project", p.ID, p.Name) {
		return
	}
	state.fill(p)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *projectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state projectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The API's edit takes both fields and answers without the project: the
	// planned values are what it now holds.
	err := r.client.UpdateProject(ctx, state.ID.ValueInt64(), client.ProjectRequest{Name: plan.Name.ValueString(), Description: plan.Description.ValueString()})
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to update project %d", state.ID.ValueInt64()), err, projectFields)
		return
	}
	plan.ID, plan.UserID = state.ID, state.UserID
	resp.Diagnostics.Append(saveWithIdentity(ctx, &resp.State, resp.Identity, &plan, plan.ID.ValueInt64())...)
}

func (r *projectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	wait := deleteWait(ctx, state.Timeouts, &resp.Diagnostics)
	deleteObject(ctx, &resp.Diagnostics, "project", state.ID.ValueInt64(), r.client.DeleteProject, &dependents{
		wait: wait, what: "customers",
		list: dependentNames(r.client.ListAllProjectCustomers, func(c client.Customer) (string, int64) { return c.Email, c.ID }),
		hint: "Delete them (and their accounts) first, or adopt them into this configuration so that the same " +
			"destroy deletes them (Terraform orders this itself when they refer to the project).",
	})
}

func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importNumericID(ctx, "project", req, resp)
}

// MoveState moves a restapi_object of path /v4_1/projects here (see
// move_state.go).
func (r *projectResource) MoveState(context.Context) []resource.StateMover {
	return restapiMover("project", moveProject)
}
