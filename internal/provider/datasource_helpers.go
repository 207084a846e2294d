package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Plumbing shared by the data sources and ephemeral resources.

// dataSourceClient is embedded by every data source: its Configure keeps the
// API client the provider hands over.
type dataSourceClient struct {
	client *client.Client
}

func (d *dataSourceClient) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// ephemeralClient is the same for ephemeral resources.
type ephemeralClient struct {
	client *client.Client
}

func (e *ephemeralClient) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// mapAll maps items with f. The result is never nil, so an empty answer is an
// empty list in Terraform rather than null.
func mapAll[T, U any](items []T, f func(T) U) []U {
	out := make([]U, 0, len(items))
	for _, item := range items {
		out = append(out, f(item))
	}
	return out
}

// byID sorts items by id, the order the list data sources promise
// (pages fetched side by side, or lists walked customer by customer, come
// in no particular order).
func byID[T any](items []T, id func(T) int64) []T {
	slices.SortStableFunc(items, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	return items
}

// filterAll keeps the items keep accepts, in order.
func filterAll[T any](items []T, keep func(T) bool) []T {
	out := make([]T, 0, len(items))
	for _, item := range items {
		if keep(item) {
			out = append(out, item)
		}
	}
	return out
}

// addLookupError reports a failed lookup of one object: the API's own "not
// found" answer (client.IsGone) or a search that matched nothing
// (client.ErrNoMatch) becomes an error on the attribute attr that says what
// was not found; anything else, a proxy's 404 or a wrong base_url included,
// goes through addAPIError, which names the URL. kind is "account", "customer" or "project"; key
// says how it was looked for, as a person would write it ("id 42",
// `username "alice"`).
func addLookupError(diags *diag.Diagnostics, attr, kind, key string, err error) {
	if client.IsGone(err, kind) || errors.Is(err, client.ErrNoMatch) {
		addNoMatch(diags, attr, kind, key)
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

// configFileModel is the result part of the OpenVPN and WireGuard
// configuration data sources and ephemeral resources.
type configFileModel struct {
	Name    types.String `tfsdk:"name"`
	Content types.String `tfsdk:"content"`
}

func (m *configFileModel) set(cfg *client.VPNConfig) {
	m.Name = types.StringValue(cfg.Name)
	m.Content = types.StringValue(cfg.Content)
}

// Descriptions shared by the list data sources.
const (
	descEmptyListIsNoError = "A filter that matches nothing gives an empty list, not an error; add a `postcondition` " +
		"(for example `length(self.%[1]s) > 0`) when the configuration needs at least one."
	descWalksEveryPage = "The API serves this list page by page; the provider fetches every page (several at a " +
		"time) and returns them all, sorted by id."
)
