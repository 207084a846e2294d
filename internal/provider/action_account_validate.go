package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/actionvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

var (
	_ action.ActionWithConfigure        = (*accountValidateAction)(nil)
	_ action.ActionWithConfigValidators = (*accountValidateAction)(nil)
)

func newAccountValidateAction() action.Action { return &accountValidateAction{} }

// accountValidateAction asks the API whether accounts accept their
// passwords (POST /accounts/{id}/validate, the API's own check). It never
// writes: no account is created, changed or disabled, and a failure changes
// nothing in state.
type accountValidateAction struct {
	data *providerData
}

type accountValidateModel struct {
	Username   types.String `tfsdk:"username"`
	Password   types.String `tfsdk:"password"`
	AccountID  types.Int64  `tfsdk:"account_id"`
	AccountIDs types.Map    `tfsdk:"account_ids"`
	Passwords  types.Map    `tfsdk:"passwords"`
}

func (a *accountValidateAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_account_validate"
}

func (a *accountValidateAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Proves that accounts log in: asks the API whether each account accepts its password " +
			"(`POST /accounts/{id}/validate`). It changes nothing, on the API or in state; it fails, naming the account, " +
			"when the API does not accept the password or does not know the username. Terraform 1.14 and later.\n\n" +
			"It takes one account (`username`, `password`, optionally `account_id`) or the entries of a " +
			"`vpnresellers_accounts` fleet (`account_ids` and `passwords`), and runs alone " +
			"(`terraform apply -invoke=action.vpnresellers_account_validate.<name>`) or from an `action_trigger` " +
			"of a resource.\n\n" +
			"**Cost.** With `account_id`, one request. Without it, the account is first found by its username " +
			"with one walk of the account list (one `GET /accounts` per page of accounts, pages fetched side by " +
			"side): set `account_id` to `vpnresellers_account.<name>.id` to save it. The fleet form sends one " +
			"request per account it checks, at most `max_parallel_requests` at a time.\n\n" +
			"**Which fleet entries.** Triggered by `after_create` or `after_update` of a `vpnresellers_accounts`, " +
			"the action checks only the entries whose password that apply set: the accounts it created (or " +
			"replaced) and, when `passwords_wo_version` changed, every account. The fleet tells it so within the " +
			"same `terraform apply`; an update that only enables, disables or re-dates accounts checks none. " +
			"Invoked alone, or run by any other apply, it checks every entry of `account_ids`.\n\n" +
			"Passwords are write-only: they may come from ephemeral values (an `ephemeral = true` variable, an " +
			"ephemeral resource), the same ones `password_wo` and `passwords_wo` take, and they are never stored " +
			"in a plan or shown: Terraform shows `(write-only attribute)`.\n\n" +
			"**No action suspends accounts.** To cut a customer's accounts off during an incident, set `enabled = " +
			"false` on them (or on the fleet's entries) and apply: an action that disabled them behind " +
			"Terraform's back would be undone by the next plan, which sets `enabled` back to the configuration.",
		Attributes: map[string]schema.Attribute{
			"username": schema.StringAttribute{
				MarkdownDescription: "Username of the one account to check. Exactly one of `username` and `account_ids` " +
					"must be set.",
				Optional:   true,
				Validators: usernameValidators(),
			},
			"password": writeOnlyString(schema.StringAttribute{
				MarkdownDescription: "The password `username` should accept. Required with `username`. Write-only " +
					"and sensitive.",
				Optional: true,
			}),
			"account_id": schema.Int64Attribute{
				MarkdownDescription: "Numeric identifier of the account `username` names, for example " +
					"`vpnresellers_account.<name>.id`. Saves the walk of the account list that finds the account by " +
					"its username. The API checks that the username is this account's.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"account_ids": schema.MapAttribute{
				MarkdownDescription: "The accounts of a fleet to check: their ids keyed by username, for example " +
					"`{ for name, a in vpnresellers_accounts.<name>.accounts : name => a.id }`. Which of them are " +
					"checked is said above. Requires `passwords`.",
				ElementType: types.Int64Type,
				Optional:    true,
				Validators: []validator.Map{
					mapvalidator.KeysAre(usernameValidators()...),
					mapvalidator.ValueInt64sAre(int64validator.AtLeast(1)),
				},
			},
			"passwords": writeOnlyMap(schema.MapAttribute{
				MarkdownDescription: "The passwords of `account_ids`, keyed by username: the map given to the fleet's " +
					"`passwords_wo`. An account checked without a password here fails, naming it; passwords of " +
					"usernames not in `account_ids` are ignored. Write-only and sensitive.",
				ElementType: types.StringType,
				Optional:    true,
			}),
		},
	}
}

func (a *accountValidateAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{
		actionvalidator.ExactlyOneOf(path.MatchRoot("username"), path.MatchRoot("account_ids")),
		actionvalidator.RequiredTogether(path.MatchRoot("username"), path.MatchRoot("password")),
		actionvalidator.RequiredTogether(path.MatchRoot("account_ids"), path.MatchRoot("passwords")),
		actionvalidator.Conflicting(path.MatchRoot("account_id"), path.MatchRoot("account_ids")),
	}
}

func (a *accountValidateAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = dataFrom(req.ProviderData, &resp.Diagnostics)
}

// validation is one account to check, and what the check found.
type validation struct {
	username, password string
	id                 int64 // 0 until found by username
	checked            bool  // err is the outcome (an interrupted run skips some)
	err                error
}

// label names the account in messages: its username, and its id once known.
func (v validation) label() string {
	if v.id == 0 {
		return fmt.Sprintf("%q", client.Printable(v.username))
	}
	return fmt.Sprintf("%q (id %d)", client.Printable(v.username), v.id)
}

func (a *accountValidateAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m accountValidateModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	if a.data == nil {
		resp.Diagnostics.AddError("Provider not configured",
			"The action was invoked before the provider was configured. This is a bug in the provider; please report it.")
		return
	}
	if m.AccountIDs.IsNull() {
		a.one(ctx, m, resp)
		return
	}
	a.fleet(ctx, m, resp)
}

// one checks the account username names, found by account_id or else by
// its username.
func (a *accountValidateAction) one(ctx context.Context, m accountValidateModel, resp *action.InvokeResponse) {
	c := a.data.client
	v := validation{username: m.Username.ValueString(), password: m.Password.ValueString(), id: m.AccountID.ValueInt64()}
	if v.id == 0 {
		acc, err := c.FindAccountByUsername(ctx, v.username)
		if err != nil {
			addRefError(&resp.Diagnostics, "username", "Unable to find the account", client.KindAccount, usernameKey, objectRef{key: v.username}, false, err)
			return
		}
		v.id = acc.ID
	}
	if v.err = validate(ctx, c, v); v.err != nil {
		summary, detail := validationFailure(v)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Account %s accepts its password.", v.label())})
}

// fleet checks the entries of account_ids that this apply set a password
// on, or all of them (see the schema's description), side by side within
// max_parallel_requests.
func (a *accountValidateAction) fleet(ctx context.Context, m accountValidateModel, resp *action.InvokeResponse) {
	ids := map[string]types.Int64{}
	passwords := map[string]types.String{}
	resp.Diagnostics.Append(m.AccountIDs.ElementsAs(ctx, &ids, false)...)
	resp.Diagnostics.Append(m.Passwords.ElementsAs(ctx, &passwords, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	names, skipped := a.data.run.apply().toValidate(slices.Sorted(maps.Keys(ids)))
	if skipped > 0 {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("%d of %s left unchecked: this apply did not "+
			"create them or set their passwords.", skipped, countAccounts(len(ids)))})
	}
	vs := make([]validation, len(names))
	for i, name := range names {
		vs[i] = validation{username: name, id: ids[name].ValueInt64()}
		switch pw := passwords[name]; {
		case vs[i].id == 0:
			// A fleet entry whose create failed is kept without an id.
			vs[i].err, vs[i].checked = errNoAccountID, true
		case pw.IsNull():
			vs[i].err, vs[i].checked = errNoValidatePassword, true
		default:
			vs[i].password = pw.ValueString()
		}
	}
	c := a.data.client
	interrupted := c.Each(ctx, len(vs), func(ctx context.Context, i int) {
		if !vs[i].checked {
			vs[i].err, vs[i].checked = validate(ctx, c, vs[i]), true
		}
	})
	var failed []string
	var passed []validation
	for _, v := range vs {
		switch {
		case !v.checked:
			continue
		case v.err == nil:
			passed = append(passed, v)
			continue
		}
		_, detail := validationFailure(v)
		failed = append(failed, fmt.Sprintf("%s: %s", v.label(), detail))
	}
	if interrupted != nil {
		resp.Diagnostics.AddError("Account validation interrupted",
			fmt.Sprintf("The run was interrupted after %d of %s were checked.", len(passed)+len(failed), countAccounts(len(vs))))
		return
	}
	if len(failed) > 0 {
		more := ""
		if len(failed) > maxListedFailures {
			more = fmt.Sprintf("\n... and %d more", len(failed)-maxListedFailures)
			failed = failed[:maxListedFailures]
		}
		resp.Diagnostics.AddError(fmt.Sprintf("%d of %s failed validation", len(vs)-len(passed), countAccounts(len(vs))),
			strings.Join(failed, "\n")+more+"\n\nNothing was changed.")
	}
	switch {
	case len(passed) == 1:
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Account %s accepts its password.", passed[0].label())})
	case len(passed) > 1:
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("%d accounts accept their passwords.", len(passed))})
	}
}

// validate asks the API whether v's account accepts v's password. The
// client registers the password as a secret before sending it, so no
// message or log line it builds holds it.
func validate(ctx context.Context, c *client.Client, v validation) error {
	res, err := c.ValidateAccount(ctx, v.id, v.username, v.password)
	if err == nil && !res.Success {
		return errNotValidated
	}
	return err
}

var (
	// errNoValidatePassword is a fleet entry checked without a password.
	errNoValidatePassword = errors.New("passwords has no password for it")
	// errNoAccountID is a fleet entry without an id: no account.
	errNoAccountID = errors.New("account_ids gives it no id: the fleet has not created this account (its create " +
		"failed); run terraform apply to create it")
	// errNotValidated is a validation answered 200 without success.
	errNotValidated = errors.New("the API answered without validating it")
)

// validationFailure says why the API did not validate v: the summary of a
// diagnostic, and its detail. Neither holds the password.
func validationFailure(v validation) (summary, detail string) {
	var d diag.Diagnostics
	switch err := v.err; {
	case errors.Is(err, errNoValidatePassword):
		return fmt.Sprintf("No password for account %s", v.label()), err.Error() + "."
	case errors.Is(err, errNoAccountID):
		return fmt.Sprintf("No account %s", v.label()), err.Error() + "."
	case errors.Is(err, client.ErrWrongPassword), errors.Is(err, errNotValidated):
		code := " (461)"
		if errors.Is(err, errNotValidated) {
			code = ""
		}
		return fmt.Sprintf("Account %s does not accept the password", v.label()),
			"The API did not validate the password" + code + ": it is not this account's password. Nothing was " +
				"changed: if the configuration's password is the right one, set it on the account (bump " +
				"password_wo_version or passwords_wo_version) and apply."
	case errors.Is(err, client.ErrUsernameNotFound):
		return fmt.Sprintf("Account %s does not have this username", v.label()),
			fmt.Sprintf("The API does not know username %q for account id %d (460): the username is unknown, or "+
				"belongs to another account. Check the username and the id.", client.Printable(v.username), v.id)
	case client.IsGone(err, client.KindAccount):
		return fmt.Sprintf("No account %s", v.label()),
			fmt.Sprintf("There is no account with id %d: it may have been deleted.", v.id)
	default:
		addAPIError(&d, fmt.Sprintf("Unable to validate account %s", v.label()), err, nil)
	}
	return d[0].Summary(), strings.Join(strings.Fields(d[0].Detail()), " ")
}
