package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"

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

// restapiObject is what a mover reads of a restapi_object state, 2.x
// (SDKv2) or 3.x (framework) alike: only string attributes and the two
// JSON documents; every other attribute (read_search, whose shape differs
// between the two, force_new, ...) is ignored.
type restapiObject struct {
	attrs  map[string]json.RawMessage
	fields map[string]any // data over api_response over api_data
	data   map[string]any // data alone
}

// str returns a string attribute of the source state ("" when absent or
// null).
func (o *restapiObject) str(name string) string {
	var s string
	_ = json.Unmarshal(o.attrs[name], &s)
	return strings.TrimSpace(s)
}

// field is a string field of the object ("" when absent).
func (o *restapiObject) field(name string) types.String {
	switch v := o.fields[name].(type) {
	case string:
		return types.StringValue(v)
	case json.Number:
		return types.StringValue(v.String())
	}
	return types.StringNull()
}

// number is a positive whole-number field, also given as a string.
func number(v any) (int64, bool) {
	var s string
	switch n := v.(type) {
	case json.Number:
		s = n.String()
	case string:
		s = n
	default:
		return 0, false
	}
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return id, err == nil && id > 0
}

// num is a positive whole-number field of the object, or null.
func (o *restapiObject) num(name string) types.Int64 {
	if n, ok := number(o.fields[name]); ok {
		return types.Int64Value(n)
	}
	return types.Int64Null()
}

// decodeInto decodes the object's API fields into an API type (for the
// read-only attributes Read would set); false when the restapi state holds
// no answer of the API.
func (o *restapiObject) decodeInto(v any) bool {
	if len(o.fields) == 0 {
		return false
	}
	b, err := json.Marshal(o.fields)
	return err == nil && json.Unmarshal(b, v) == nil
}

// decodeLoose is decodeInto for fields that restapi may hold as another
// JSON type than the API's (a number as a string, a string as a number):
// such a field is converted, or left out when it cannot be.
func (o *restapiObject) decodeLoose(v any) {
	fields := maps.Clone(o.fields)
	for range len(fields) + 1 {
		b, err := json.Marshal(fields)
		if err != nil {
			return
		}
		var te *json.UnmarshalTypeError
		if err = json.Unmarshal(b, v); !errors.As(err, &te) || te.Field == "" {
			return
		}
		switch f := fields[te.Field].(type) {
		case json.Number:
			fields[te.Field] = f.String()
		case string:
			if n, ok := number(f); ok {
				fields[te.Field] = n
				continue
			}
			delete(fields, te.Field)
		default:
			delete(fields, te.Field)
		}
	}
}

// apiKinds maps a collection path of the API to the kind of object and the
// resource that manages it.
var apiKinds = map[string]struct{ kind, resource string }{
	"/accounts":  {"account", "vpnresellers_account"},
	"/projects":  {"project", "vpnresellers_project"},
	"/customers": {"customer", "vpnresellers_customer"},
}

// collectionOf returns the API collection a restapi path names ("/accounts"
// for "/v4_1/accounts", "/accounts/", "/v4_1/accounts/{id}" as a read
// path), or "" when it is not one of this API's.
func collectionOf(p string, readPath bool) string {
	p = strings.TrimSpace(p)
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	p = "/" + strings.Trim(p, "/")
	if readPath {
		p = strings.TrimSuffix(p, "/{id}")
	}
	// The provider's uri may hold the version prefix, or the path may.
	p = strings.TrimPrefix(p, "/v4_1")
	if _, ok := apiKinds[p]; ok {
		return p
	}
	return ""
}

// readRestapiObject parses a restapi_object's raw state and checks that it
// is an object of kind (its id, and path, create_path and read_path naming
// this API's collection of that kind). Errors name what was found; they
// never quote `data`, which holds the password of an account.
func readRestapiObject(req resource.MoveStateRequest, resp *resource.MoveStateResponse, kind string) (*restapiObject, int64) {
	if req.SourceTypeName != restapiType {
		return nil, 0 // not ours: the framework says no mover applies
	}
	summary := fmt.Sprintf("Unable to move %s into vpnresellers_%s", restapiType, kind)
	if req.SourceSchemaVersion != 0 {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("The restapi_object state has schema version %d; this provider "+
			"knows version 0 (restapi 2.x and 3.x). Upgrade the state with the restapi provider version that wrote "+
			"it, or import the object instead: %s.", req.SourceSchemaVersion, importCommand(kind, "<id>")))
		return nil, 0
	}
	o, err := parseRestapiState(req)
	if err != nil {
		resp.Diagnostics.AddError(summary, "The restapi_object state cannot be read: "+err.Error())
		return nil, 0
	}

	// The kind: path, create_path and read_path must all name the same
	// collection of this API.
	var found []string
	coll := ""
	for _, attr := range []string{"path", "create_path", "read_path"} {
		p := o.str(attr)
		if p == "" {
			continue
		}
		c := collectionOf(p, attr == "read_path")
		if c == "" {
			resp.Diagnostics.AddError(summary, fmt.Sprintf("The restapi_object's %s is %q, which is not a path of the "+
				"VPNresellers API v4.1 (/v4_1/accounts, /v4_1/projects or /v4_1/customers, or the same without /v4_1 "+
				"when the restapi provider's uri holds it). Only objects of this API can be moved.", attr, p))
			return nil, 0
		}
		if coll != "" && c != coll {
			resp.Diagnostics.AddError(summary, fmt.Sprintf("The restapi_object's paths disagree: %s and %s is %q. "+
				"Fix the restapi configuration, or import the object instead.", strings.Join(found, ", "), attr, p))
			return nil, 0
		}
		coll = c
		found = append(found, fmt.Sprintf("%s is %q", attr, p))
	}
	if coll == "" {
		resp.Diagnostics.AddError(summary, "The restapi_object has no path, create_path or read_path: nothing says what kind of object it is.")
		return nil, 0
	}
	if got := apiKinds[coll]; got.kind != kind {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("The restapi_object is %s (%s), not %s. Move it to %s instead.",
			withArticle(got.kind), strings.Join(found, ", "), withArticle(kind), got.resource))
		return nil, 0
	}

	raw := o.str("id")
	id, ok := number(raw)
	if !ok {
		detail := fmt.Sprintf("The restapi_object's id is %q, not the numeric id of a %s.", raw, kind)
		if raw == "" {
			detail = fmt.Sprintf("The restapi_object has no id: restapi leaves it empty when its last read did not find "+
				"the object. Check that the %s still exists, then import it instead of moving it: %s.",
				kind, importCommand(kind, "<id>"))
		}
		resp.Diagnostics.AddError(summary, detail+" Check that id_attribute is \"data/id\" in the restapi configuration.")
		return nil, 0
	}
	return o, id
}

// withArticle is "an account", "a project".
func withArticle(kind string) string {
	if strings.HasPrefix(kind, "a") {
		return "an " + kind
	}
	return "a " + kind
}

// parseRestapiState reads the source's raw state (JSON, or the flatmap of
// states written before Terraform 0.12) and gathers the object's fields.
func parseRestapiState(req resource.MoveStateRequest) (*restapiObject, error) {
	o := &restapiObject{attrs: map[string]json.RawMessage{}, fields: map[string]any{}}
	switch {
	case req.SourceRawState == nil:
		return nil, fmt.Errorf("the state is missing")
	case len(req.SourceRawState.JSON) > 0:
		if err := json.Unmarshal(req.SourceRawState.JSON, &o.attrs); err != nil {
			return nil, fmt.Errorf("its JSON is malformed (%v)", err)
		}
	default:
		apiData := map[string]string{}
		for k, v := range req.SourceRawState.Flatmap {
			if name, ok := strings.CutPrefix(k, "api_data."); ok && name != "%" {
				apiData[name] = v
			} else if !strings.Contains(k, ".") {
				o.attrs[k], _ = json.Marshal(v)
			}
		}
		o.attrs["api_data"], _ = json.Marshal(apiData)
	}

	// Lowest first: api_data (flat keys; a nested value is Go's %v of a
	// map, read only for its simple "key:value" words), then the API's
	// last answer, then data as configured.
	var apiData map[string]string
	_ = json.Unmarshal(o.attrs["api_data"], &apiData)
	for k, v := range apiData {
		if m := goMapFields(v); m != nil && k == "data" {
			for fk, fv := range m {
				o.fields[fk] = fv
			}
		} else if m == nil {
			o.fields[k] = v
		}
	}
	for _, attr := range []string{"create_response", "api_response"} {
		for k, v := range answerFields(o.str(attr)) {
			o.fields[k] = v
		}
	}
	o.data = decodeObject(o.str("data"))
	for k, v := range o.data {
		o.fields[k] = v
	}
	return o, nil
}

// decodeObject decodes a JSON object, numbers kept as json.Number; nil when
// s is not one.
func decodeObject(s string) map[string]any {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil {
		return nil
	}
	return m
}

// answerFields returns the object of an API answer: its "data" envelope, or
// the answer itself.
func answerFields(s string) map[string]any {
	m := decodeObject(s)
	if inner, ok := m["data"].(map[string]any); ok {
		return inner
	}
	return m
}

var goMapWord = regexp.MustCompile(`(?:^| )([a-z_]+):(\S*)`)

// goMapFields reads the words of Go's %v of a map ("map[id:1 name:x]"),
// as restapi writes nested values into api_data; nil when s is not one.
// Values with spaces are cut at the first one: these fields are a last
// resort, the refresh after the move sets them all.
func goMapFields(s string) map[string]any {
	inner, ok := strings.CutPrefix(s, "map[")
	if !ok || !strings.HasSuffix(inner, "]") {
		return nil
	}
	out := map[string]any{}
	for _, m := range goMapWord.FindAllStringSubmatch(strings.TrimSuffix(inner, "]"), -1) {
		if m[2] != "" && m[2] != "<nil>" && !strings.HasPrefix(m[2], "map[") {
			out[m[1]] = m[2]
		}
	}
	return out
}

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
	var p client.Project
	o.decodeLoose(&p)
	p.ID = id
	var m projectModel
	m.fill(&p)
	nullMissing(o, &m, projectBinding, projectAttrs.ID.name)
	movedTarget(ctx, resp, &m, id)
}

func moveCustomer(ctx context.Context, o *restapiObject, id int64, resp *resource.MoveStateResponse) {
	var c client.Customer
	o.decodeLoose(&c)
	c.ID = id
	var m customerModel
	m.fill(&c)
	nullMissing(o, &m, customerBinding, customerAttrs.ID.name)
	movedTarget(ctx, resp, &m, id)
}

// nullMissing sets to null each attribute of m, but the id, that the
// object's fields do not give: a string field that is no string or number,
// a number field that is no positive whole number.
func nullMissing[M, O any](o *restapiObject, m *M, b modelBinding[M, O], id string) {
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
		if !ok && f.name != id {
			b.null(m, f.name)
		}
	}
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
