package provider

import (
	"context"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// stringCheck is a validator.String from a description and a check that
// returns a problem ("" when the value is fine). Null and unknown values are
// left to other rules.
type stringCheck struct {
	desc  string
	check func(string) string
}

func (v stringCheck) Description(context.Context) string         { return v.desc }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.desc }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := v.check(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), problem)
	}
}

// dateValidator accepts a calendar date written YYYY-MM-DD.
func dateValidator() validator.String {
	return stringCheck{
		desc: "must be a date in the form YYYY-MM-DD",
		check: func(s string) string {
			if _, err := time.Parse(client.DateLayout, s); err != nil || len(s) != len(client.DateLayout) {
				return fmt.Sprintf("%q is not a date in the form YYYY-MM-DD, such as \"2027-01-31\".", s)
			}
			return ""
		},
	}
}

// emailValidator accepts a bare address such as jane@example.com.
func emailValidator() validator.String {
	return stringCheck{
		desc: "must be an email address",
		check: func(s string) string {
			addr, err := mail.ParseAddress(s)
			if err != nil || addr.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
				return fmt.Sprintf("%q is not an email address such as \"jane@example.com\".", s)
			}
			return ""
		},
	}
}

// charsBetween accepts a string of lo to hi characters (0: no bound),
// counted as the API's validation counts them: Laravel's min and max rules
// count characters (Unicode code points, mb_strlen), not bytes, so a
// username of 255 "é" (510 bytes) is accepted and one of 256 ASCII letters
// is not. Every length limit of the provider is one of these
// (stringvalidator's LengthAtMost counts bytes).
func charsBetween(lo, hi int) validator.String {
	desc := fmt.Sprintf("must be at least %d characters", lo)
	switch {
	case lo > 0 && hi > 0:
		desc = fmt.Sprintf("must be %d to %d characters", lo, hi)
	case hi > 0:
		desc = fmt.Sprintf("must be at most %d characters", hi)
	}
	return stringCheck{
		desc: desc + " (Unicode characters, not bytes)",
		check: func(s string) string {
			n := utf8.RuneCountInString(s)
			switch {
			case lo > 0 && n < lo:
				return fmt.Sprintf("The value is %d characters long; the API takes at least %d.", n, lo)
			case hi > 0 && n > hi:
				return fmt.Sprintf("The value is %d characters long; the API takes at most %d (characters, not bytes).", n, hi)
			}
			return ""
		},
	}
}

// maxChars is the API's usual limit of string fields: 255 characters.
const maxChars = 255

// notBlankValidator rejects empty and whitespace-only strings.
func notBlankValidator() validator.String {
	return stringCheck{
		desc: "must not be empty or blank",
		check: func(s string) string {
			if strings.TrimSpace(s) == "" {
				return "The value must not be empty or only white space."
			}
			return ""
		},
	}
}

type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "must be an absolute http(s) URL"
}
func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := client.ParseBaseURL(req.ConfigValue.ValueString()); err != nil {
		addBaseURLDiag(&resp.Diagnostics, req.ConfigValue.ValueString(), diag.SeverityError, "Invalid base_url", err.Error()+".")
	}
}

// checkBaseURL reports what is wrong with the base URL the provider is
// configured with (from, base_url or its environment variable): an invalid
// URL is an error; user info in it, and plain http to another machine,
// are warnings. No diagnostic shows user info (client.RedactURL).
//
// User info is ignored (the client drops it): the API authenticates with
// the bearer token alone, so a user name and password in the URL are not
// the API's credentials, and sending them (Go sends a URL's user info as
// Basic auth on requests without a token, such as GET /geoip) would hand
// them to whatever answers.
func checkBaseURL(diags *diag.Diagnostics, raw, from string) {
	u, err := client.ParseBaseURL(raw)
	if err != nil {
		addBaseURLDiag(diags, raw, diag.SeverityError, "Invalid "+from, err.Error()+".")
		return
	}
	if u.User != nil {
		addBaseURLDiag(diags, raw, diag.SeverityWarning, "Credentials in base_url are ignored",
			fmt.Sprintf("The base URL %q holds a user name or password before its host. They are ignored: not sent "+
				"to the API and not shown in any message or log, because the API authenticates with the token "+
				"alone (sent as a bearer token). Remove them from base_url (or %s), and keep credentials in the "+
				"token argument or %s.", client.RedactURL(raw), EnvBaseURL, EnvToken))
	}
	if insecureRemote(u) {
		addBaseURLDiag(diags, raw, diag.SeverityWarning, "Unencrypted API connection",
			fmt.Sprintf("base_url %q uses http:// to a host that is not this machine: the API token, passwords and "+
				"WireGuard keys travel in clear text. Use https:// (http:// is meant for a local test API).", client.RedactURL(raw)))
	}
}

// addBaseURLDiag adds a diagnostic about the base URL raw: on the base_url
// attribute, unless raw holds what may be user info. Terraform shows an
// attribute's diagnostic with the line of configuration that sets it,
// value and all, so such a diagnostic is not tied to the attribute.
func addBaseURLDiag(diags *diag.Diagnostics, raw string, severity diag.Severity, summary, detail string) {
	if client.RedactURL(raw) != raw {
		detail += " (This message is about base_url.)"
		if severity == diag.SeverityError {
			diags.AddError(summary, detail)
		} else {
			diags.AddWarning(summary, detail)
		}
		return
	}
	if severity == diag.SeverityError {
		diags.AddAttributeError(path.Root("base_url"), summary, detail)
	} else {
		diags.AddAttributeWarning(path.Root("base_url"), summary, detail)
	}
}

type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s"
}
func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	stringCheck{check: func(s string) string {
		if d, err := time.ParseDuration(s); err != nil || d <= 0 {
			return fmt.Sprintf("%q is not a positive duration such as \"30s\" or \"2m\".", s)
		}
		return ""
	}}.ValidateString(ctx, req, resp)
}

// insecureRemote reports whether u is plain http to a host other than this
// machine (localhost or a loopback address).
func insecureRemote(u *url.URL) bool {
	if u.Scheme != "http" {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}
