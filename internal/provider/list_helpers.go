package provider

import (
	"context"
	"fmt"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

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
	// unfinished, when set, says why the object is no result: it is a
	// create that was never finished (it still carries a one-time claim,
	// client.IsClaim), and a result would make -generate-config-out write
	// the claim as a real value. The list warns about it instead.
	unfinished string
}

// streamResults turns objects, fetched lazily page by page, into list
// results. Display names go through client.Printable, so API data never
// reaches a terminal raw. Once the query's limit (0: none) is reached it
// pulls one object more: if there is one, the last result carries a
// warning that the list is incomplete (how many were listed, that more
// exist, to raise limit), so at most one page beyond the one holding the
// last result is fetched, and none when the limit falls inside a page. An
// API failure ends the stream with one error result saying what failed.
func streamResults[T any](ctx context.Context, req list.ListRequest, what string, objects iter.Seq2[T, error], describe func(T) listed) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		var (
			n       int64
			pending *list.ListResult // the limit-th result, held until it is known whether more exist
		)
		for obj, err := range objects {
			if err != nil {
				if pending != nil && !push(*pending) {
					return
				}
				pushError(push, "Unable to list "+what, err)
				return
			}
			if pending != nil {
				pending.Diagnostics.Append(incompleteList(req, what))
				push(*pending)
				return
			}
			d := describe(obj)
			if d.unfinished != "" {
				var warn list.ListResult
				warn.Diagnostics.AddWarning(fmt.Sprintf("Unfinished create left out: %s", client.Printable(d.name)), d.unfinished)
				if !push(warn) {
					return
				}
				continue
			}
			res := req.NewListResult(ctx)
			res.DisplayName = client.Printable(d.name)
			res.Diagnostics.Append(setIdentity(ctx, res.Identity, d.id)...)
			if req.IncludeResource {
				res.Diagnostics.Append(res.Resource.Set(ctx, d.object())...)
			}
			n++
			if req.Limit > 0 && n >= req.Limit {
				pending = &res
				continue
			}
			if !push(res) {
				return
			}
		}
		if pending != nil {
			push(*pending)
		}
	}
}

// incompleteList is the warning of a list that stopped at its limit with
// more objects left.
func incompleteList(req list.ListRequest, what string) diag.Diagnostic {
	return diag.NewWarningDiagnostic(fmt.Sprintf("More %s exist than were listed", what),
		fmt.Sprintf("This query listed %d %s, its limit, and the API holds more: the rest are not in the results, and "+
			"-generate-config-out writes no block for them. Raise `limit` in this list block (Terraform's default is 100) "+
			"above the number of %s you expect, and run the query again.", req.Limit, what, what))
}

// unfinishedCreate is what a list says of an object that still carries a
// create's one-time claim as its field what.
func unfinishedCreate(kind string, id int64, what string) string {
	return fmt.Sprintf("%s %d still has a create's one-time claim as its %s: an apply (of some workspace) was stopped "+
		"between the create and the request that sets the real value. It is not listed, so that no configuration is "+
		"generated with the claim as a real value. If it is yours, import it with a configuration you write "+
		"(import { to = vpnresellers_%s.<name>, id = \"%d\" }): the next apply sets the %s you configure. Otherwise "+
		"delete it in the web panel.", capitalize(kind), id, what, kind, id, what)
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

// idFilter is an optional id argument of a list resource's config (only
// the objects under that customer or project).
func idFilter(desc string, more ...validator.Int64) schema.Int64Attribute {
	return schema.Int64Attribute{CustomType: idType{}, MarkdownDescription: desc, Optional: true,
		Validators: append([]validator.Int64{int64validator.AtLeast(1)}, more...)}
}
