package provider

import (
	"context"
	"os"
	"strings"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// LogEnvName is the part of TF_LOG_PROVIDER_<NAME> that sets this provider's
// own log level. terraform-plugin-go derives it from the registry address.
const LogEnvName = "VPNRESELLERS"

// QuietLogEnv returns the environment variables to set so that the provider
// writes no log lines when nobody listens: none of TF_LOG, TF_LOG_PROVIDER*
// or TF_LOG_SDK* is set (to a non-empty value) in environ, given as
// os.Environ returns it. It returns nil when one of them is set: then
// Terraform (or whoever set it) shows the logs, and every line is written as
// the SDK decides.
//
// Without a level, terraform-plugin-go, the framework and tflog log at TRACE
// and Terraform throws the lines away unless TF_LOG or TF_LOG_PROVIDER asks
// for them; formatting and writing them costs CPU on every RPC.
func QuietLogEnv(environ []string) map[string]string {
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if value == "" {
			continue
		}
		if name == "TF_LOG" || strings.HasPrefix(name, "TF_LOG_PROVIDER") || strings.HasPrefix(name, "TF_LOG_SDK") {
			return nil
		}
	}
	return map[string]string{
		"TF_LOG_SDK":                    "OFF",
		"TF_LOG_SDK_PROTO":              "OFF",
		"TF_LOG_SDK_FRAMEWORK":          "OFF",
		"TF_LOG_PROVIDER_" + LogEnvName: "OFF",
	}
}

// clientLog returns the API client's log function: tflog at the line's level (DEBUG or INFO) with the
// token masked (the client has already scrubbed every secret it knows from
// the fields, see internal/client/redact.go; this is a second guard), or nil when this provider's log level is OFF (as main sets
// it when nobody listens), so that the client builds no log fields at all.
func clientLog(token string) client.LogFunc {
	if hclog.LevelFromString(os.Getenv("TF_LOG_PROVIDER_"+LogEnvName)) == hclog.Off {
		return nil
	}
	return func(ctx context.Context, level client.Level, msg string, fields map[string]any) {
		if token != "" {
			ctx = tflog.MaskAllFieldValuesStrings(ctx, token)
			ctx = tflog.MaskMessageStrings(ctx, token)
		}
		if level >= client.LevelInfo {
			tflog.Info(ctx, msg, fields)
		} else {
			tflog.Debug(ctx, msg, fields)
		}
	}
}
