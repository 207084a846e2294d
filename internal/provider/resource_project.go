package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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
	_ resource.ResourceWithConfigure   = (*projectResource)(nil)
	_ resource.ResourceWithImportState = (*projectResource)(nil)
	_ resource.ResourceWithIdentity    = (*projectResource)(nil)
	_ resource.ResourceWithMoveState   = (*projectResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*projectResource)(nil)
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

var projectBinding = bindModel[projectModel, client.Project](projectAttrs)

func (m *projectModel) fill(p *client.Project) {
	projectBinding.fill(m, p)
	if len(m.Timeouts.AttributeTypes(context.Background())) == 0 {
		m.Timeouts = nullTimeouts()
	}
}

// projectFields points the API's errors about a field at its attribute.
var projectFields = fieldsOf(projectAttrs.Name, projectAttrs.Description)

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
			projectAttrs.ID.name: schema.Int64Attribute{
				MarkdownDescription: projectAttrs.ID.desc,
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			projectAttrs.Name.name: schema.StringAttribute{
				MarkdownDescription: projectAttrs.Name.desc + " " + upTo255 + " Can be changed in place.",
				Required:            true,
				Validators:          []validator.String{notBlankValidator(), charsBetween(0, maxChars)},
			},
			projectAttrs.Description.name: schema.StringAttribute{
				MarkdownDescription: projectAttrs.Description.desc + " " + upTo255 + " Can be changed in place.",
				Required:            true,
				Validators:          []validator.String{notBlankValidator(), charsBetween(0, maxChars)},
			},
			projectAttrs.UserID.name: schema.Int64Attribute{
				MarkdownDescription: projectAttrs.UserID.desc,
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
	r.run.hold(client.KindProject, p.ID)
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
	r.deleteObject(ctx, &resp.Diagnostics, req.Private, client.KindProject, state.ID.ValueInt64(), wait)
}

// ModifyPlan records what the run needs to know of the project (this
// state holds it; a plan that deletes it), and warns in the plan of a new
// project when a project of the same name is an unfinished create that
// this state does not hold: a create stopped between its POST and the PUT
// that sets the real description (an apply killed at that moment), whose
// twin this plan makes, or a project exactly like it (the same name and
// description) is there that this state does not hold (a create that
// finished, but that an apply killed before it could record). Names are
// not unique, so a twin is no error; the warning says how to take the one
// that is there instead.
func (r *projectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.run.touch()
	var state, plan projectModel
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		r.run.hold(client.KindProject, state.ID.ValueInt64())
	}
	if req.Plan.Raw.IsNull() {
		if state.ID.ValueInt64() > 0 {
			r.run.planDeletes(ctx, resp.Private, &resp.Diagnostics, objRef{client.KindProject, state.ID.ValueInt64()})
		}
		return
	}
	if !req.State.Raw.IsNull() || r.client == nil {
		return
	}
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.Name.IsUnknown() || plan.Name.IsNull() {
		return
	}
	name, description := plan.Name.ValueString(), plan.Description.ValueString()
	if plan.Description.IsUnknown() {
		description = ""
	}
	unfinished, alike, err := r.run.projectTwins(ctx, r.client, name, description)
	if err != nil {
		// The check only warns; the apply reports an API that fails.
		var d diag.Diagnostics
		addAPIError(&d, "", err, nil)
		for _, e := range d.Errors() {
			resp.Diagnostics.AddWarning(fmt.Sprintf("Could not check for unfinished creates of project %q", name), e.Detail())
		}
		return
	}
	for _, twins := range []struct {
		list         []client.Project
		summary, why string
	}{
		{unfinished, "An unfinished create of this project exists", "is an unfinished create: its description is still the " +
			"one-time claim a create sends before it sets the real description, so an apply (of this workspace or " +
			"another) was stopped between the two"},
		{alike, "A project exactly like this one exists", "has this project's name and description, and this state does " +
			"not hold it: an apply killed before it could record the project it made leaves this behind (or someone " +
			"else made one alike)"},
	} {
		if len(twins.list) == 0 {
			continue
		}
		ids := make([]int64, len(twins.list))
		for i, p := range twins.list {
			ids[i] = p.ID
		}
		resp.Diagnostics.AddAttributeWarning(projectAttrs.Name.path(), twins.summary,
			fmt.Sprintf("Project %d named %q %s. This plan creates another project. If that one is this "+
				"configuration's project, import it instead; the next apply then sets what the configuration says in place:\n\n"+
				"  import {\n    to = <this resource's address>\n    id = \"%d\"\n  }\n\n"+
				"If it is another workspace's, leave it; if it is nobody's, delete it in the web panel.%s",
				ids[0], client.Printable(name), twins.why, ids[0], moreIDs(ids)))
	}
}

// moreIDs mentions the other ids of a list whose first a message names.
func moreIDs(ids []int64) string {
	if len(ids) < 2 {
		return ""
	}
	return fmt.Sprintf(" (There are %d such projects: ids %s.)", len(ids), client.JoinIDs(ids))
}

func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importNumericID(ctx, "project", req, resp)
}

// MoveState moves a restapi_object of path /v4_1/projects here (see
// move_state.go).
func (r *projectResource) MoveState(context.Context) []resource.StateMover {
	return restapiMover("project", moveProject)
}
