package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Plumbing shared by the list resources (`terraform query`, Terraform 1.14
// and later).

// listed is what a list resource says of one object: its id (the
// identity), its display name and, built only when the query asks for the
// resource objects (include_resource), its resource model.
type listed struct {
	id     int64
	name   string
	object func() any
}

// streamResults turns objects, fetched lazily page by page, into list
// results. It stops pulling objects as soon as the query's limit (0: none)
// is reached, so no page beyond the one holding the last result is fetched.
// An API failure ends the stream with one error result saying what failed.
func streamResults[T any](ctx context.Context, req list.ListRequest, what string, objects iter.Seq2[T, error], describe func(T) listed) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		var n int64
		for obj, err := range objects {
			if err != nil {
				pushError(push, "Unable to list "+what, err)
				return
			}
			d := describe(obj)
			res := req.NewListResult(ctx)
			res.DisplayName = d.name
			res.Diagnostics.Append(setIdentity(ctx, res.Identity, d.id)...)
			if req.IncludeResource {
				res.Diagnostics.Append(res.Resource.Set(ctx, d.object())...)
			}
			n++
			if !push(res) || (req.Limit > 0 && n >= req.Limit) {
				return
			}
		}
	}
}

// pushError ends a stream with one result carrying an API error.
func pushError(push func(list.ListResult) bool, summary string, err error) {
	var diags diag.Diagnostics
	addAPIError(&diags, summary, err, nil)
	push(list.ListResult{Diagnostics: diags})
}

func accountKey(a client.Account) int64   { return a.ID }
func customerKey(c client.Customer) int64 { return c.ID }
func projectKey(p client.Project) int64   { return p.ID }
