package provider

import (
	"context"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"

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
func (baseURLValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	stringCheck{check: func(s string) string {
		if _, err := client.ParseBaseURL(s); err != nil {
			return err.Error() + "."
		}
		return ""
	}}.ValidateString(ctx, req, resp)
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
