package provider

import (
	"maps"
	"testing"
)

func TestLogging_quietLogEnv(t *testing.T) {
	off := map[string]string{
		"TF_LOG_SDK":                   "OFF",
		"TF_LOG_SDK_PROTO":             "OFF",
		"TF_LOG_SDK_FRAMEWORK":         "OFF",
		"TF_LOG_PROVIDER_VPNRESELLERS": "OFF",
	}
	for _, tc := range []struct {
		name    string
		environ []string
		want    map[string]string
	}{
		{"nothing set", []string{"HOME=/root", "PATH=/bin"}, off},
		{"empty values count as unset", []string{"TF_LOG=", "TF_LOG_PROVIDER="}, off},
		{"Terraform-only settings", []string{"TF_LOG_CORE=trace", "TF_LOG_PATH=/tmp/tf.log", "TF_CLI_CONFIG_FILE=x"}, off},
		{"TF_LOG", []string{"TF_LOG=trace"}, nil},
		{"TF_LOG json", []string{"TF_LOG=JSON"}, nil},
		{"TF_LOG_PROVIDER", []string{"TF_LOG_PROVIDER=debug"}, nil},
		{"this provider's variable", []string{"TF_LOG_PROVIDER_VPNRESELLERS=info"}, nil},
		{"TF_LOG_SDK", []string{"TF_LOG_SDK=trace"}, nil},
		{"TF_LOG_SDK_PROTO", []string{"TF_LOG_SDK_PROTO=trace"}, nil},
		{"TF_LOG_SDK_FRAMEWORK", []string{"TF_LOG_SDK_FRAMEWORK=debug"}, nil},
		{"protocol data dir", []string{"TF_LOG_SDK_PROTO_DATA_DIR=/tmp/proto"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := QuietLogEnv(tc.environ); !maps.Equal(got, tc.want) {
				t.Errorf("QuietLogEnv(%q) = %v, want %v", tc.environ, got, tc.want)
			}
		})
	}
}

func TestLogging_clientLogOffOnlyWhenProviderLogsAreOff(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER_"+LogEnvName, "OFF")
	if clientLog("tok") != nil {
		t.Error("with TF_LOG_PROVIDER_VPNRESELLERS=OFF the client still gets a log function")
	}
	for _, level := range []string{"", "trace", "debug"} {
		t.Setenv("TF_LOG_PROVIDER_"+LogEnvName, level)
		if clientLog("tok") == nil {
			t.Errorf("with TF_LOG_PROVIDER_VPNRESELLERS=%q the client logs nothing", level)
		}
	}
}
