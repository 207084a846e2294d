package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// fieldPaths maps the API's field names in 422 answers to attribute paths.
type fieldPaths map[string]path.Path

// addAPIError turns an error of the API client into diagnostics a person can
// act on. summary says what failed ("Unable to create account"). Each kind of
// failure has its own wording: no answer (transport, timeout), an answer that
// is not a valid one (malformed), a wait longer than max_retry_wait, a create
// that may have happened, an object that exists but is not ours, and the
// API's own error answers. Validation errors on fields that fields maps
// become attribute errors. The messages hold URLs (without query), methods,
// statuses and the API's own messages, never a token, password or key.
func addAPIError(diags *diag.Diagnostics, summary string, err error, fields fieldPaths) {
	var (
		unknown   *client.UnknownOutcomeError
		existing  *client.ExistingObjectError
		notOurs   *client.NotOursError
		partial   *client.IncompleteCreateError
		waitErr   *client.RetryWaitError
		timeout   *client.TimeoutError
		malformed *client.MalformedAnswerError
		paging    *client.PagingError
		transport *client.TransportError
		apiErr    *client.APIError
	)
	switch {
	case errors.As(err, &unknown):
		addUnknownOutcome(diags, unknown)
	case errors.As(err, &notOurs):
		addNotOurs(diags, summary, notOurs, fields)
	case errors.As(err, &partial):
		addIncompleteCreate(diags, summary, partial)
	case errors.As(err, &existing):
		id := ""
		if existing.ID != 0 {
			id = fmt.Sprintf(" (id %d)", existing.ID)
		}
		detail := fmt.Sprintf("%s %s already exists%s, and this run did not create it, so it is not taken over: it may "+
			"belong to someone else sharing the API account (another workspace, a person in the web panel). Choose another "+
			"value. Only if it is yours and nothing else manages it, adopt it with `%s`.",
			capitalize(existing.Object), existing.Key, id, importCommand(existing.Object, existing.Ref))
		if p, ok := fields[keyField(existing.Object)]; ok {
			diags.AddAttributeError(p, summary, detail)
		} else {
			diags.AddError(summary, detail)
		}
	case errors.As(err, &waitErr):
		diags.AddError(summary, fmt.Sprintf("The API answered %s %s with HTTP %d and asked to wait %s before retrying. "+
			"That is longer than max_retry_wait (%s), so the provider stopped instead of waiting. "+
			"Try again later, or raise max_retry_wait.", waitErr.Method, waitErr.URL, waitErr.StatusCode, waitErr.Wait, waitErr.Max))
	case errors.As(err, &timeout):
		diags.AddError(summary, fmt.Sprintf("Could not reach the API at %s: %s got no answer within request_timeout (%s). "+
			"Try again later, or raise request_timeout if the API is slow.", timeout.URL, timeout.Method, timeout.RequestTimeout))
	case errors.As(err, &paging):
		diags.AddError(summary, fmt.Sprintf("The API's pages of a list could not be trusted on any of %d reads, so the list "+
			"was not taken (nothing was removed or changed): at %s, %s. Pages contradict each other while objects are "+
			"created or deleted during the read, or when the API's page size changes: try again. If it persists, check "+
			"any proxy between Terraform and the API, and base_url.", paging.Walks, paging.URL, paging.Reason))
	case errors.As(err, &malformed):
		diags.AddError(summary, fmt.Sprintf("The API answered %s %s with a malformed answer: %s (HTTP %d); nothing was recorded. "+
			"If a proxy or gateway sits between Terraform and the API, check it, and check base_url.",
			malformed.Method, malformed.URL, malformed.Reason, malformed.StatusCode))
	case errors.As(err, &transport):
		diags.AddError(summary, fmt.Sprintf("Could not reach the API at %s: %v. Check base_url and the network, then try again.",
			transport.URL, transport.Err))
	case errors.As(err, &apiErr):
		addAPIErrorAnswer(diags, summary, apiErr, fields)
	case errors.Is(err, context.Canceled):
		diags.AddError(summary, "The operation was interrupted before the API answered.")
	default:
		diags.AddError(summary, fmt.Sprintf("The request to the API failed: %s.", withoutFullStop(err)))
	}
}

// addUnknownOutcome reports a create that may have happened: loudly, with
// the step that settles it. No step it names can lead to holding or
// deleting an object that someone else sharing the API account made.
func addUnknownOutcome(diags *diag.Diagnostics, e *client.UnknownOutcomeError) {
	summary := fmt.Sprintf("The %s %s may have been created", e.Object, e.Key)
	var b strings.Builder
	fmt.Fprintf(&b, "The API did not confirm whether the %s was created: %s. It may exist on the API without being in the "+
		"Terraform state, and it may be billed.\n\n", e.Object, withoutFullStop(e.Err))
	switch {
	case len(e.Candidates) > 1 && e.Pending.Proves():
		fmt.Fprintf(&b, "%d new %ss carry the one-time claim this create sent (ids %s): the API made it more than once, and "+
			"all of them are this workspace's. Keep one with\n\n  %s\n\nand delete the others in the web panel.",
			len(e.Candidates), e.Object, client.JoinIDs(e.Candidates), importCommand(e.Object, "<id>"))
	case len(e.Candidates) > 1:
		fmt.Fprintf(&b, "%d new %ss match it (ids %s). They may belong to someone else sharing the API account (another "+
			"workspace, a person in the web panel), so none was adopted, and none is deleted. Run terraform apply again: "+
			"it creates the %s only if it was not made.", len(e.Candidates), e.Object, client.JoinIDs(e.Candidates), e.Object)
	default:
		fmt.Fprintf(&b, "Run terraform apply again: it first looks for this %s, adopts it only when %s, and creates it "+
			"only if it was not made. Nothing that someone else made is adopted or deleted.", e.Object, proofOf(e.Object))
	}
	diags.AddError(summary, b.String())
}

// proofOf says what proves that an object is the one this workspace
// created (see client.PendingCreate and client.SettleAccount): always this
// state's own record of the create, and what ties the object to it.
func proofOf(kind string) string {
	if kind == client.KindAccount {
		return "this state's record of this create says so: it was made after the create was sent, and accepts the " +
			"password this configuration sets"
	}
	return "it carries the one-time claim this create sent"
}

// addNotOurs reports an object that holds a create's key and fails the
// proof of ownership.
func addNotOurs(diags *diag.Diagnostics, summary string, e *client.NotOursError, fields fieldPaths) {
	id := ""
	if e.ID != 0 {
		id = fmt.Sprintf(" (id %d)", e.ID)
	}
	why := "does not accept the password this configuration sets"
	if e.Older {
		why = "existed before this workspace's create of it was sent"
	}
	detail := fmt.Sprintf("%s %s exists%s and %s, so it is not the account this workspace's earlier create made: it may "+
		"belong to someone else sharing the API account (another workspace, a person in the web panel), and it is "+
		"left alone. Choose another username. Only if the account is yours and nothing else manages it, import it "+
		"(by its username) instead of creating it.", capitalize(e.Object), e.Key, id, why)
	if p, ok := fields[keyField(e.Object)]; ok {
		diags.AddAttributeError(p, summary, detail)
		return
	}
	diags.AddError(summary, detail)
}

// addIncompleteCreate reports a create whose object is made, and proven
// this workspace's, but whose last step failed.
func addIncompleteCreate(diags *diag.Diagnostics, summary string, e *client.IncompleteCreateError) {
	diags.AddError(summary, fmt.Sprintf("%s %d was created, and it is this workspace's, but setting its final values failed: %s. "+
		"It is recorded in state, and Terraform marks it tainted: the next terraform apply replaces it with a new %s "+
		"(this one is new and empty). To keep %s %d instead, run terraform untaint on this resource's address first: "+
		"the next apply then sets its values in place.",
		capitalize(e.Object), e.ID, withoutFullStop(e.Err), e.Object, e.Object, e.ID))
}

// withoutFullStop is err's text without the full stop the API's messages end
// with ("Server Error."), for quoting it inside a sentence.
func withoutFullStop(err error) string {
	return strings.TrimRight(err.Error(), ".")
}

// importCommand is the terraform import command for an object of kind
// ("account", "customer", "project"); the resource's name in the
// configuration is unknown here.
func importCommand(kind, importID string) string {
	return fmt.Sprintf("terraform import vpnresellers_%s.<name> %s", kind, importID)
}

// keyField is the API field holding an object's unique key.
func keyField(kind string) string {
	if kind == client.KindCustomer {
		return "email"
	}
	return "username"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
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
		if documentedGone(e) {
			diags.AddError(summary, fmt.Sprintf("The API answered %s %s with 404: %s", e.Method, apiURL(e), e.Message))
			return
		}
		what := "a 404 page"
		if e.Message != "" {
			what = fmt.Sprintf("404 %q", e.Message)
		}
		diags.AddError(summary, fmt.Sprintf("The API answered %s %s with %s, which is not the API's answer for a missing "+
			"object, so nothing was removed or re-created. Check base_url: it must include the version path %s (for example %s). "+
			"If it does, a proxy in front of the API may be answering instead of it.",
			e.Method, apiURL(e), what, versionPath, client.DefaultBaseURL))
	case errors.Is(e, client.ErrRateLimited):
		detail := "The API kept answering 429 Too Many Requests after every retry."
		if e.RetryAfter > 0 {
			detail += fmt.Sprintf(" It asked to wait %s.", e.RetryAfter)
		}
		detail += " Lower requests_per_second, raise max_retries, or run with a lower -parallelism."
		diags.AddError(summary, detail)
	case errors.Is(e, client.ErrServer):
		diags.AddError(summary, fmt.Sprintf("The API answered %s %s with HTTP %d (%s) after every retry. Try again later.",
			e.Method, apiURL(e), e.StatusCode, e.Message))
	default:
		diags.AddError(summary, fmt.Sprintf("The API answered %s %s with HTTP %d: %s", e.Method, apiURL(e), e.StatusCode, e.Message))
	}
}

// versionPath is the path every API URL starts with.
const versionPath = "/v4_1"

// documentedGone reports whether a 404 is the API's own "X not found."
// answer for an account, customer or project.
func documentedGone(e *client.APIError) bool {
	for _, kind := range []string{client.KindAccount, client.KindCustomer, client.KindProject} {
		if client.IsGone(e, kind) {
			return true
		}
	}
	return false
}

// apiURL is the URL an error answer came from.
func apiURL(e *client.APIError) string {
	if e.URL != "" {
		return e.URL
	}
	return e.Path
}
