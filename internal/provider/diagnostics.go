package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// clientFrom returns the API client the provider put in ProviderData. It is
// nil (and no error is added) before the provider is configured, which
// Terraform does for validation.
func clientFrom(data any, diags *diag.Diagnostics) *client.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*client.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *client.Client, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return c
}

// fieldPaths maps the API's field names in 422 answers to attribute paths.
type fieldPaths map[string]path.Path

// addAPIError turns an error of the API client into diagnostics a person can
// act on. summary says what failed ("Unable to create account"). Validation
// errors on fields that fields maps become attribute errors. The API's own
// messages never contain the secrets sent to it, and neither do these.
func addAPIError(diags *diag.Diagnostics, summary string, err error, fields fieldPaths) {
	var apiErr *client.APIError
	var unknown *client.UnknownOutcomeError
	switch {
	case errors.As(err, &unknown):
		diags.AddError(summary, strings.TrimRight(unknown.Error(), ".")+".")
	case errors.As(err, &apiErr):
		addAPIErrorAnswer(diags, summary, apiErr, fields)
	default:
		diags.AddError(summary, "The API could not be reached: "+strings.TrimRight(err.Error(), ".")+".")
	}
}

func addAPIErrorAnswer(diags *diag.Diagnostics, summary string, e *client.APIError, fields fieldPaths) {
	switch {
	case errors.Is(e, client.ErrValidation):
		names := make([]string, 0, len(e.Errors))
		for name := range e.Errors {
			names = append(names, name)
		}
		sort.Strings(names)
		var unmatched []string
		for _, name := range names {
			msg := strings.Join(e.Errors[name], " ")
			if p, ok := fields[name]; ok {
				diags.AddAttributeError(p, summary, "The API rejected this value: "+msg)
			} else {
				unmatched = append(unmatched, fmt.Sprintf("%s: %s", name, msg))
			}
		}
		if len(unmatched) > 0 || len(names) == 0 {
			detail := "The API rejected the request: " + e.Message
			if len(unmatched) > 0 {
				detail += "\n\n" + strings.Join(unmatched, "\n")
			}
			diags.AddError(summary, detail)
		}
	case errors.Is(e, client.ErrUnauthorized):
		diags.AddError(summary, "The API rejected the token (401 Unauthorized). Check the provider's token argument or the "+
			EnvToken+" environment variable.")
	case errors.Is(e, client.ErrInsufficientBalance):
		diags.AddError(summary, "The reseller balance is too low for this operation (402 Insufficient Balance). "+
			"Top up the balance, then run terraform apply again; nothing was created.")
	case errors.Is(e, client.ErrForbidden):
		diags.AddError(summary, "The API refused this operation for this token (403 Forbidden).")
	case errors.Is(e, client.ErrNotFound):
		diags.AddError(summary, fmt.Sprintf("The API answered 404: %s", e.Message))
	case errors.Is(e, client.ErrRateLimited):
		detail := "The API kept answering 429 Too Many Requests after every retry."
		if e.RetryAfter > 0 {
			detail += fmt.Sprintf(" It asked to wait %s.", e.RetryAfter)
		}
		detail += " Lower requests_per_second, raise max_retries, or run with a lower -parallelism."
		diags.AddError(summary, detail)
	case errors.Is(e, client.ErrServer):
		diags.AddError(summary, fmt.Sprintf("The API failed with HTTP %d (%s) after every retry. Try again later.", e.StatusCode, e.Message))
	default:
		diags.AddError(summary, fmt.Sprintf("The API answered HTTP %d: %s", e.StatusCode, e.Message))
	}
}

// importNumericID handles `terraform import` and import blocks whose ID is
// the object's numeric id.
func importNumericID(ctx context.Context, kind string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := strconv.ParseInt(strings.TrimSpace(req.ID), 10, 64)
	if err != nil || id <= 0 {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("A %s is imported by its numeric id, such as 42; got %q.", kind, req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
