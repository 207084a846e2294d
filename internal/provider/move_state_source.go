package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The source of a move: a restapi_object's state, read into the API's
// fields of the object it holds (its data as configured, its last answer,
// api_data), whatever version of Mastercard/restapi wrote it.

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
