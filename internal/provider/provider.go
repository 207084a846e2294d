// Package provider implements the VPNresellers Terraform provider.
package provider

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Environment variables read when the provider block leaves a setting out.
const (
	EnvToken             = "VPNRESELLERS_TOKEN"
	EnvBaseURL           = "VPNRESELLERS_BASE_URL"
	EnvMaxRetries        = "VPNRESELLERS_MAX_RETRIES"
	EnvRequestTimeout    = "VPNRESELLERS_REQUEST_TIMEOUT"
	EnvRequestsPerSecond = "VPNRESELLERS_REQUESTS_PER_SECOND"
	EnvMaxRetryWait      = "VPNRESELLERS_MAX_RETRY_WAIT"
	EnvMaxParallel       = "VPNRESELLERS_MAX_PARALLEL_REQUESTS"
)

var (
	_ provider.Provider                       = (*vpnProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*vpnProvider)(nil)
	_ provider.ProviderWithListResources      = (*vpnProvider)(nil)
	_ provider.ProviderWithActions            = (*vpnProvider)(nil)
	_ provider.ProviderWithFunctions          = (*vpnProvider)(nil)
)

type vpnProvider struct {
	version string
	stop    context.Context // nil: the API clients are never stopped
	// part is what this instance serves: everything (New), or one side of
	// NewServer's split (see server.go).
	part servedPart
	// configured is what the last Configure made, which the directly
	// served side of NewServer hands on instead of configuring again.
	configured *configuredProvider
}

// configuredProvider is the outcome of the last Configure: the provider
// data, or the deferral of everything this provider configuration serves.
type configuredProvider struct {
	data     atomic.Pointer[providerData]
	deferred atomic.Pointer[provider.Deferred]
}

// New returns a constructor of the provider for NewProtocol6.
func New(version string) func() provider.Provider {
	return NewWithStop(version, nil)
}

// NewWithStop is New whose API clients stop (abort what is in flight, send
// nothing more) when stop is done: see StopWhenParentGone.
func NewWithStop(version string, stop context.Context) func() provider.Provider {
	return func() provider.Provider { return newVPNProvider(version, stop) }
}

func newVPNProvider(version string, stop context.Context) *vpnProvider {
	return &vpnProvider{version: version, stop: stop, configured: &configuredProvider{}}
}

type providerModel struct {
	Token             types.String  `tfsdk:"token"`
	BaseURL           types.String  `tfsdk:"base_url"`
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
	RequestTimeout    types.String  `tfsdk:"request_timeout"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
	MaxRetryWait      types.String  `tfsdk:"max_retry_wait"`
	MaxParallel       types.Int64   `tfsdk:"max_parallel_requests"`
}

// maxParallelLimit is the largest max_parallel_requests accepted.
const maxParallelLimit = 32

func (p *vpnProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "vpnresellers"
	resp.Version = p.version
}

func (p *vpnProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manage VPN reselling on the VPNresellers REST API v4.1: projects, customers, " +
			"VPN accounts, and their OpenVPN and WireGuard configurations.",
		Attributes: map[string]schema.Attribute{
			"token": schema.StringAttribute{
				MarkdownDescription: "API access token, sent as a bearer token. May also be set with the `" + EnvToken +
					"` environment variable, which keeps it out of the configuration. Surrounding white space, such as " +
					"the line break `file()` reads at the end of a token file, is trimmed. Required.",
				Optional:  true,
				Sensitive: true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the API, including the version path. Defaults to `" + client.DefaultBaseURL +
					"`; may also be set with `" + EnvBaseURL + "` (for example to point at a local test API). A user " +
					"name or password in it (`https://user:password@host/...`) is ignored, with a warning, and never " +
					"shown: the API authenticates with the token.",
				Optional:   true,
				Validators: []validator.String{baseURLValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request that failed with a 5xx status, a network error or a timeout is retried, "+
					"with jittered exponential backoff that honours the server's `Retry-After`, from `0` (no retries) to `20`. "+
					"A create's attempts and the lookups that settle an unanswered one share this budget, so a failure never "+
					"duplicates an object. `429 Too Many Requests` answers have a budget of their own (%d), and the provider "+
					"slows down on its own when it gets them. Defaults to `%d`; may also be set with `%s`.",
					client.DefaultMaxRateLimitRetries, client.DefaultMaxRetries, EnvMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Timeout of each HTTP request attempt, as a Go duration such as `30s` or `2m`. "+
					"Defaults to `%s`; may also be set with `%s`.", client.DefaultRequestTimeout, EnvRequestTimeout),
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"requests_per_second": schema.Float64Attribute{
				MarkdownDescription: "Client-side cap on requests per second, shared by every resource and data source " +
					"of this provider configuration. With or without it, when the API answers `429 Too Many Requests` the " +
					"provider slows down to just under the rate the API accepts, and speeds up again little by little as " +
					"answers come. No cap when unset or `0`; may also be set with `" + EnvRequestsPerSecond + "`.",
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0)},
			},
			"max_retry_wait": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Longest `Retry-After` the provider waits before retrying, as a Go duration such as `60s` or `5m`. "+
					"An answer asking for a longer wait fails at once, naming the wait, the status and this setting, instead of "+
					"stalling the run. Defaults to `%s`; may also be set with `%s`.", client.DefaultMaxRetryWait, EnvMaxRetryWait),
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"max_parallel_requests": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The most API requests this provider configuration has in flight at once, "+
					"whatever sends them: Terraform's operations running side by side (`-parallelism` above this number "+
					"only queues them), the pages of a list read ahead, the customers' account lists of an import, and "+
					"the creates, updates and deletes of `vpnresellers_accounts`. A request holds its place only while it "+
					"is sent and answered, not while it waits to be retried. `requests_per_second` still applies on top. "+
					"From 1 to %d; defaults to `%d`; may also be set with `%s`.",
					maxParallelLimit, client.DefaultMaxInFlight, EnvMaxParallel),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, maxParallelLimit)},
			},
		},
	}
}

func (p *vpnProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	if p.part == partDirect {
		// The framework side, configured first (NewServer), made the client
		// or deferred.
		if data := p.configured.data.Load(); data != nil {
			resp.ResourceData = data
		}
		resp.Deferred = p.configured.deferred.Load()
		return
	}
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var unknown []string
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"token": cfg.Token, "base_url": cfg.BaseURL, "max_retries": cfg.MaxRetries,
		"request_timeout": cfg.RequestTimeout, "requests_per_second": cfg.RequestsPerSecond,
		"max_retry_wait":        cfg.MaxRetryWait,
		"max_parallel_requests": cfg.MaxParallel,
	} {
		if v.IsUnknown() {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	if len(unknown) > 0 && req.ClientCapabilities.DeferralAllowed {
		// A setting from another component (Terraform Stacks) or an
		// experimental build's -allow-deferral: everything this provider
		// configuration serves is deferred to a later round, in which the
		// setting is known (the framework answers for each of them).
		resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		p.configured.deferred.Store(resp.Deferred)
		return
	}
	for _, name := range unknown {
		resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown provider setting",
			"The provider cannot be configured with a value that is only known after apply, and this Terraform "+
				"run does not allow deferring the work that needs it (only Terraform Stacks, and experimental "+
				"builds with -allow-deferral, do). Set "+name+" to a value known at plan time, or use its "+
				"environment variable.")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	// A token read with file() ends with a line break; one pasted into an
	// environment variable may carry spaces: neither is part of it.
	token := strings.TrimSpace(stringSetting(cfg.Token, EnvToken, ""))
	tokenFrom := "The token argument"
	if cfg.Token.IsNull() {
		tokenFrom = "The " + EnvToken + " environment variable"
	}
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing API token",
			"The provider needs a VPNresellers API token. Set the token argument in the provider block, "+
				"or the "+EnvToken+" environment variable. Tokens are issued on the API access page of the reseller panel.")
	} else if err := client.CheckToken(token); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Invalid API token",
			fmt.Sprintf("%s cannot be used: %s. Surrounding white space is already trimmed; the token is not shown "+
				"here. Copy it again from the API access page of the reseller panel.", tokenFrom, err))
	}
	baseURL := stringSetting(cfg.BaseURL, EnvBaseURL, client.DefaultBaseURL)
	baseURLFrom := "base_url"
	if cfg.BaseURL.IsNull() && os.Getenv(EnvBaseURL) != "" {
		baseURLFrom = EnvBaseURL
	}
	checkBaseURL(&resp.Diagnostics, baseURL, baseURLFrom)

	ccfg := client.Config{
		BaseURL:   baseURL,
		Token:     token,
		UserAgent: fmt.Sprintf("terraform-provider-vpnresellers/%s (+https://registry.terraform.io/providers/vpnresellers/vpnresellers) terraform/%s", p.version, req.TerraformVersion),
		Log:       clientLog(token),
	}

	d := &resp.Diagnostics
	if n, set := setting(d, "max_retries", cfg.MaxRetries, EnvMaxRetries, wholeNumber(0, 20)); set {
		ccfg.MaxRetries = int(n)
		if n == 0 {
			ccfg.MaxRetries = -1 // an explicit 0 disables retries
		}
	}
	if v, set := setting(d, "request_timeout", cfg.RequestTimeout, EnvRequestTimeout, positiveDuration(`"30s" or "2m"`)); set {
		ccfg.RequestTimeout = v
	}
	if v, set := setting(d, "max_retry_wait", cfg.MaxRetryWait, EnvMaxRetryWait, positiveDuration(`"60s" or "5m"`)); set {
		ccfg.MaxRetryWait = v
	}
	if v, set := setting(d, "requests_per_second", cfg.RequestsPerSecond, EnvRequestsPerSecond, nonNegativeNumber); set {
		ccfg.RequestsPerSecond = v
	}
	if n, set := setting(d, "max_parallel_requests", cfg.MaxParallel, EnvMaxParallel, wholeNumber(1, maxParallelLimit)); set {
		ccfg.MaxInFlight = int(n)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	ccfg.Stop = p.stop
	c, err := client.New(ccfg)
	if err != nil {
		resp.Diagnostics.AddError("Unable to create the API client", err.Error())
		return
	}
	data := &providerData{client: c, run: &runMemory{}, cli: cliVersion(req.TerraformVersion)}
	p.configured.data.Store(data)
	p.configured.deferred.Store(nil)
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// setting applies "configuration beats environment" to one optional
// setting: its value in the provider block (v: types.Int64, Float64 or
// String) or else its environment variable, read with parse, which returns
// what a valid value is when it refuses one. set reports whether either
// gave a value; an invalid one is an error on the attribute, naming where
// it came from.
func setting[T any](diags *diag.Diagnostics, attr string, v attr.Value, env string, parse func(string) (T, string)) (val T, set bool) {
	raw, from := "", attr
	if !v.IsNull() && !v.IsUnknown() {
		switch x := v.(type) {
		case types.Int64:
			raw = strconv.FormatInt(x.ValueInt64(), 10)
		case types.Float64:
			raw = strconv.FormatFloat(x.ValueFloat64(), 'g', -1, 64)
		case types.String:
			raw = x.ValueString()
		}
	}
	if raw == "" {
		raw, from = strings.TrimSpace(os.Getenv(env)), env
	}
	if raw == "" {
		return val, false
	}
	val, want := parse(raw)
	if want != "" {
		diags.AddAttributeError(path.Root(attr), "Invalid "+from, fmt.Sprintf("%s must be %s, got %q.", from, want, raw))
	}
	return val, true
}

func wholeNumber(lo, hi int64) func(string) (int64, string) {
	return func(s string) (int64, string) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < lo || n > hi {
			return 0, fmt.Sprintf("a whole number from %d to %d", lo, hi)
		}
		return n, ""
	}
}

func positiveDuration(example string) func(string) (time.Duration, string) {
	return func(s string) (time.Duration, string) {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return 0, "a positive duration such as " + example
		}
		return d, ""
	}
}

func nonNegativeNumber(s string) (float64, string) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return 0, "a number of at least 0"
	}
	return f, ""
}

// stringSetting applies "configuration beats environment beats default".
func stringSetting(v types.String, env, def string) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	if e := strings.TrimSpace(os.Getenv(env)); e != "" {
		return e
	}
	return def
}

func (p *vpnProvider) Resources(context.Context) []func() resource.Resource {
	framework := []func() resource.Resource{
		newProjectResource,
		newCustomerResource,
		newAccountResource,
	}
	switch p.part {
	case partFramework:
		return framework
	case partDirect:
		return directResources
	}
	return append(framework, directResources...)
}

func (p *vpnProvider) DataSources(context.Context) []func() datasource.DataSource {
	if p.part == partDirect {
		return nil
	}
	return []func() datasource.DataSource{
		newServersDataSource,
		newPortsDataSource,
		newOpenVPNConfigDataSource,
		newWireGuardConfigDataSource,
		newProfileDataSource,
		newGeoIPDataSource,
		newAccountDataSource,
		newAccountsDataSource,
		newCustomerDataSource,
		newCustomersDataSource,
		newProjectDataSource,
		newProjectsDataSource,
	}
}

func (p *vpnProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	if p.part == partDirect {
		return nil
	}
	return []func() ephemeral.EphemeralResource{
		newOpenVPNConfigEphemeral,
		newWireGuardConfigEphemeral,
	}
}

func (p *vpnProvider) ListResources(context.Context) []func() list.ListResource {
	if p.part == partDirect {
		return nil
	}
	return []func() list.ListResource{
		newProjectListResource,
		newCustomerListResource,
		newAccountListResource,
	}
}

func (p *vpnProvider) Actions(context.Context) []func() action.Action {
	if p.part == partDirect {
		return nil
	}
	return []func() action.Action{
		newAccountValidateAction,
	}
}

// Functions are pure: they read and write configuration text, never call
// the API, and need no provider configuration (Terraform 1.8+, OpenTofu 1.7+).
func (p *vpnProvider) Functions(context.Context) []func() function.Function {
	if p.part == partDirect {
		return nil
	}
	return []func() function.Function{
		newWireGuardConfigDecodeFunction,
		newWireGuardConfigEncodeFunction,
		newOpenVPNConfigDecodeFunction,
	}
}
