package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// lookupDataSource is each single-object lookup (vpnresellers_account,
// _customer, _project): one object by id (one GET) or by its search key
// (the client's search), as its lookupSpec says. Failures are reported on
// the attribute looked up by.
type lookupDataSource[T, M any] struct {
	dataSourceClient
	lookupSpec[T, M]
}

// lookupSpec is what one lookup data source is made of. T is the client's
// object, M the item model the data source holds.
type lookupSpec[T, M any] struct {
	kind       string                             // client.KindAccount, ...: the type name is vpnresellers_<kind>
	key        string                             // the search key's attribute: "username", "email", "name"
	doc        string                             // the data source's description
	keyDoc     string                             // the search key's description
	attributes func() map[string]schema.Attribute // the item's, all computed
	idOf       func(*T) int64
	get        func(*client.Client, context.Context, int64) (*T, error)
	find       func(*client.Client, context.Context, string) (*T, error)
	query      func(config *M) (idValue, types.String) // the configured id and key
	item       func(found *T, config *M) M             // what the state holds
}

func (d *lookupDataSource[T, M]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind
}

func (d *lookupDataSource[T, M]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := d.attributes()
	attrs["id"] = schema.Int64Attribute{
		CustomType: idType{},
		MarkdownDescription: fmt.Sprintf("Numeric identifier of the %s to look up. Exactly one of `id` and `%s` must be set; ", d.kind, d.key) +
			"looking up by id costs one API request.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
	attrs[d.key] = schema.StringAttribute{
		MarkdownDescription: d.keyDoc,
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{notBlankValidator()},
	}
	resp.Schema = schema.Schema{MarkdownDescription: d.doc, Attributes: attrs}
}

func (d *lookupDataSource[T, M]) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot(d.key)),
	}
}

func (d *lookupDataSource[T, M]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config M
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, key := d.query(&config)
	// The argument says what is named: id an id, the key argument a key,
	// whatever it looks like; the one rule of object_ref.go finds it.
	ref, attr := objectRef{key: key.ValueString()}, d.key
	if !id.IsNull() {
		ref, attr = objectRef{id: id.ValueInt64()}, "id"
	}
	src := refSource[T]{
		kind: d.kind, keyName: d.key, idOf: d.idOf,
		get:  func(ctx context.Context, id int64) (*T, error) { return d.get(d.client, ctx, id) },
		find: func(ctx context.Context, key string) (*T, error) { return d.find(d.client, ctx, key) },
	}
	obj, _, err := resolveRef(ctx, src, ref)
	if err != nil {
		addRefError(&resp.Diagnostics, attr, "Unable to look up the "+d.kind, d.kind, d.key, ref, false, err)
		return
	}
	item := d.item(obj, &config)
	resp.Diagnostics.Append(resp.State.Set(ctx, &item)...)
}

// listUnder lists the objects under one parent (a customer's accounts, a
// project's customers), whose id the argument attr holds: a parent the API
// does not know is an error on attr, as a lookup reports it (addRefError).
// A parent id not known yet (the parent is still to be made, in another
// component of a stack) defers the read when Terraform allows it, and is
// otherwise an error on attr; nothing is asked of the API. It reports
// whether it listed.
func listUnder[T any](ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse, attr, parent string,
	id types.Int64, list func(context.Context, int64) ([]T, error)) ([]T, bool) {
	if id.IsUnknown() {
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &datasource.Deferred{Reason: datasource.DeferredReasonDataSourceConfigUnknown}
			return nil, false
		}
		resp.Diagnostics.AddAttributeError(path.Root(attr), fmt.Sprintf("Unknown %s", attr),
			fmt.Sprintf("The %s's id is not known yet, so its list cannot be read now, and this Terraform run does not "+
				"allow deferring the read. Create the %s first, or read the list during apply.", parent, parent))
		return nil, false
	}
	items, err := list(ctx, id.ValueInt64())
	if err != nil {
		addRefError(&resp.Diagnostics, attr, "Unable to look up the "+parent, parent, "", objectRef{id: id.ValueInt64()}, false, err)
		return nil, false
	}
	return items, true
}
