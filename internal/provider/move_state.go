package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// State movers from Mastercard/terraform-provider-restapi: a `moved` block
// (Terraform 1.8+, OpenTofu 1.10+) from a restapi_object into
// vpnresellers_project, vpnresellers_customer or vpnresellers_account.
//
// Terraform calls MoveResourceState before it configures this provider
// (hashicorp/terraform#35922), so a mover works offline, from the source
// state alone. What it cannot know is settled later, by a configured
// resource: the owner of an account whose restapi data does not name it is
// found by the refresh that follows the move (resolveMovedOwner), as import
// finds it.
//
// No password crosses: restapi keeps the account's password in plain text
// in `data`; the moved state has none, and the first password the new
// block gives is recorded without being sent (movedPasswordKept).

// restapiType is the source of a move. The source is known by its type
// name and the shape of its state, not by the provider address of the
// request: Terraform 1.15 sends the target provider's address there, and
// OpenTofu a short name ("restapi").
const restapiType = "restapi_object"

// Private-state keys of a moved object.
const (
	// privateMovedOwner marks a moved account whose customer is not known
	// yet: the next Read looks it up.
	privateMovedOwner = "moved_owner_unknown"
	// privateMovedPassword marks a moved account whose password Terraform
	// never set: the first password its configuration gives is taken as
	// the one it has and is not sent.
	privateMovedPassword = "moved_password_kept"
)

// movedMarker is the JSON value of the private keys above.
var movedMarker = []byte(`{"from":"restapi_object"}`)

// movedTarget records a moved object's state and identity.
func movedTarget(ctx context.Context, resp *resource.MoveStateResponse, model any, id int64) {
	resp.Diagnostics.Append(resp.TargetState.Set(ctx, model)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.TargetIdentity, id)...)
}

// restapiMover is the one state mover of a resource of this kind; move
// builds the target from a checked source.
func restapiMover(kind string, move func(context.Context, *restapiObject, int64, *resource.MoveStateResponse)) []resource.StateMover {
	return []resource.StateMover{{
		StateMover: func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
			o, id := readRestapiObject(req, resp, kind)
			if o != nil && !resp.Diagnostics.HasError() {
				move(ctx, o, id, resp)
			}
		},
	}}
}

// moveProject and moveCustomer decode the object into the client's type and
// fill the model from it; a field the object does not have (or, for a
// number, has as no positive whole number) stays null.
func moveProject(ctx context.Context, o *restapiObject, id int64, resp *resource.MoveStateResponse) {
	moveDecoded(ctx, o, id, resp, projectBinding, projectAttrs.ID, func(p *client.Project) { p.ID = id }, (*projectModel).fill)
}

func moveCustomer(ctx context.Context, o *restapiObject, id int64, resp *resource.MoveStateResponse) {
	moveDecoded(ctx, o, id, resp, customerBinding, customerAttrs.ID, func(c *client.Customer) { c.ID = id }, (*customerModel).fill)
}

// moveDecoded decodes the object into the client's type O (whose id setID
// sets), fills the model M from it with fill, and sets to null each
// attribute of M, but the id, that the object's fields do not give: a
// string field that is no string or number, a number field that is no
// positive whole number.
func moveDecoded[M, O any](ctx context.Context, o *restapiObject, id int64, resp *resource.MoveStateResponse,
	b modelBinding[M, O], idAttr objectAttr[O], setID func(*O), fill func(*M, *O)) {
	var obj O
	o.decodeLoose(&obj)
	setID(&obj)
	var m M
	fill(&m, &obj)
	for _, f := range b.fields {
		var ok bool
		switch v := o.fields[f.name]; f.kind {
		case kindInt64:
			_, ok = number(v)
		default:
			_, isString := v.(string)
			_, isNumber := v.(json.Number)
			ok = isString || isNumber
		}
		if !ok && f.name != idAttr.name {
			b.null(&m, f.name)
		}
	}
	movedTarget(ctx, resp, &m, id)
}

// moveAccount moves an account without its password. Its owner is
// data.customer.customer_id; without one, the refresh after the move finds
// it (privateMovedOwner).
func moveAccount(ctx context.Context, o *restapiObject, id int64, resp *resource.MoveStateResponse) {
	m := accountModel{
		Username:          o.field(accountAttrs.Username.name),
		Password:          types.StringNull(),
		PasswordWO:        types.StringNull(),
		PasswordWOVersion: types.Int64Null(),
		CustomerID:        idNull(),
	}
	var acc client.Account
	if o.decodeInto(&acc) && acc.ID == id && acc.Status != "" {
		m.fill(&acc)
	} else {
		accountFromAPIBinding.nullAll(&m.accountFromAPI)
		m.ID = types.Int64Value(id)
	}
	m.Username = o.field(accountAttrs.Username.name) // as data has it; fill took the API's
	if cust, ok := o.data["customer"].(map[string]any); ok {
		if n, ok := number(cust[accountAttrs.CustomerID.name]); ok {
			m.CustomerID = idOf(n)
		}
	}
	if m.CustomerID.IsNull() {
		resp.Diagnostics.Append(resp.TargetPrivate.SetKey(ctx, privateMovedOwner, movedMarker)...)
	}
	resp.Diagnostics.Append(resp.TargetPrivate.SetKey(ctx, privateMovedPassword, movedMarker)...)
	movedTarget(ctx, resp, &m, id)
}

// privateReader and privateWriter are the private state of requests and
// responses.
type privateReader interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}
type privateWriter interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

// hasMarker reports whether the private state holds key.
func hasMarker(ctx context.Context, p privateReader, key string, diags *diag.Diagnostics) bool {
	if p == nil {
		return false
	}
	v, d := p.GetKey(ctx, key)
	diags.Append(d...)
	return len(v) > 0
}

// resolveMovedOwner runs in an account's Read: for an account moved without
// its owner it finds the customer that owns it, as import does, and clears
// the mark. An account of no customer keeps customer_id null.
func resolveMovedOwner(ctx context.Context, c *client.Client, priv privateReader, out privateWriter, state *accountModel, diags *diag.Diagnostics) {
	if !state.CustomerID.IsNull() || !hasMarker(ctx, priv, privateMovedOwner, diags) {
		return
	}
	id := state.ID.ValueInt64()
	cust, err := c.FindAccountCustomer(ctx, id)
	if err != nil {
		addAPIError(diags, fmt.Sprintf("Unable to find the customer of account %d, moved from restapi_object", id), err, nil)
		return
	}
	if cust != nil {
		state.CustomerID = idOf(cust.ID)
	}
	diags.Append(out.SetKey(ctx, privateMovedOwner, nil)...)
}

// movedPasswordKept runs when an account's configuration gives a new
// password. For an account moved from restapi_object whose password
// Terraform never set (no password and no password_wo_version in state), it
// clears the mark and returns true: the password given is taken as the one
// the account has (restapi set it) and is recorded, not sent. Changing it
// afterwards sends it.
func movedPasswordKept(ctx context.Context, priv privateReader, out privateWriter, cur accountModel, diags *diag.Diagnostics) bool {
	if !cur.Password.IsNull() || !cur.PasswordWOVersion.IsNull() || !hasMarker(ctx, priv, privateMovedPassword, diags) {
		return false
	}
	diags.Append(out.SetKey(ctx, privateMovedPassword, nil)...)
	return true
}

// warnMovedPassword tells, at plan time, that the first password of an
// account moved from restapi_object is recorded and not sent.
func warnMovedPassword(ctx context.Context, priv privateReader, plan, state accountModel, diags *diag.Diagnostics) {
	first := (!plan.Password.IsNull() || !plan.PasswordWOVersion.IsNull()) && state.Password.IsNull() && state.PasswordWOVersion.IsNull()
	if !first || !hasMarker(ctx, priv, privateMovedPassword, diags) {
		return
	}
	diags.AddWarning("A moved account keeps its password",
		fmt.Sprintf("Account %q (id %d) was moved from restapi_object, which set its password. This apply records "+
			"password_wo_version (or password) without sending anything to the API; change password_wo_version (or "+
			"password) afterwards to set a new password.", state.Username.ValueString(), state.ID.ValueInt64()))
}

// checkMovedOwner stops a plan that would replace a moved account only
// because its owner is not known yet: the refresh after the move finds it,
// and a plan without refresh (-refresh=false) has not run one. It returns
// true when it added the error.
func checkMovedOwner(ctx context.Context, priv privateReader, plan, state accountModel, diags *diag.Diagnostics) bool {
	if !state.CustomerID.IsNull() || plan.CustomerID.IsNull() || !hasMarker(ctx, priv, privateMovedOwner, diags) {
		return false
	}
	diags.AddAttributeError(accountAttrs.CustomerID.path(), "Owner of a moved account not known yet",
		fmt.Sprintf("Account %q (id %d) was moved from restapi_object, whose data does not name its customer. The "+
			"refresh of the next plan finds it; this plan did not refresh (-refresh=false), so it would replace the "+
			"account. Run the plan again without -refresh=false.", state.Username.ValueString(), state.ID.ValueInt64()))
	return true
}
