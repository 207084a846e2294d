package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// lookupOne is the Read of the single-object lookups (vpnresellers_account,
// _customer, _project): by id (one GET) when id is set, otherwise by its key
// (keyAttr: username, email, name) with find, the client's search. Failures
// are reported on the attribute looked up by; nil then.
func lookupOne[T any](ctx context.Context, diags *diag.Diagnostics, kind, keyAttr string, id idValue, key types.String,
	get func(context.Context, int64) (*T, error), find func(context.Context, string) (*T, error)) *T {
	var (
		obj       *T
		err       error
		attr, how string
	)
	if !id.IsNull() {
		attr, how = "id", "id "+strconv.FormatInt(id.ValueInt64(), 10)
		obj, err = get(ctx, id.ValueInt64())
	} else {
		attr, how = keyAttr, fmt.Sprintf("%s %q", keyAttr, key.ValueString())
		obj, err = find(ctx, key.ValueString())
	}
	if err != nil {
		addLookupError(diags, attr, kind, how, err)
		return nil
	}
	return obj
}

// addLookupError reports a failed lookup of one object: the API's own "not
// found" answer (client.IsGone) or a search that matched nothing
// (client.ErrNoMatch) or several (client.ManyMatchesError) becomes an error on the attribute attr that says what
// was not found; anything else, a proxy's 404 or a wrong base_url included,
// goes through addAPIError, which names the URL. kind is "account", "customer" or "project"; key
// says how it was looked for, as a person would write it ("id 42",
// `username "alice"`).
func addLookupError(diags *diag.Diagnostics, attr, kind, key string, err error) {
	var many *client.ManyMatchesError
	switch {
	case client.IsGone(err, kind) || errors.Is(err, client.ErrNoMatch):
		addNoMatch(diags, attr, kind, key)
		return
	case errors.As(err, &many):
		addManyMatches(diags, attr, kind, key, many.IDs,
			fmt.Sprintf("%s %ss are not unique: look the %s up by `id` instead.", capitalize(kind), attr, kind))
		return
	}
	addAPIError(diags, fmt.Sprintf("Unable to look up the %s with %s", kind, key), err, nil)
}

// addNoMatch reports, on the attribute attr, that no object matches.
func addNoMatch(diags *diag.Diagnostics, attr, kind, key string) {
	diags.AddAttributeError(path.Root(attr), fmt.Sprintf("No %s found", kind),
		fmt.Sprintf("There is no %s with %s. Check the value; the %s may have been deleted.", kind, key, kind))
}

// addManyMatches reports, on the attribute attr, that several objects match
// a key that must pick one.
func addManyMatches(diags *diag.Diagnostics, attr, kind, key string, ids []int64, hint string) {
	diags.AddAttributeError(path.Root(attr), fmt.Sprintf("More than one %s found", kind),
		fmt.Sprintf("%d %ss have %s (ids %s). %s", len(ids), kind, key, client.JoinIDs(ids), hint))
}
