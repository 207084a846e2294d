package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The API's messages end with a full stop ("Server Error."); the diagnostics
// that quote them must not end a sentence twice ("Server Error..").
func TestDiagnostics_noDoubleFullStop(t *testing.T) {
	serverErr := &client.APIError{Method: "POST", Path: "/accounts", StatusCode: 500, Message: "Server Error."}
	for name, err := range map[string]error{
		"unknown outcome":                &client.UnknownOutcomeError{Object: "project", Key: `"Acme"`, Err: serverErr},
		"unknown outcome with import id": &client.UnknownOutcomeError{Object: "account", Key: `username "alice"`, Ref: "alice", Err: serverErr},
		"other error":                    errors.New("something failed."),
	} {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			addAPIError(&diags, "Unable to create account", err, nil)
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics, want 1", len(diags))
			}
			if detail := diags[0].Detail(); strings.Contains(detail, "..") {
				t.Errorf("detail %q: want one full stop per sentence", detail)
			}
		})
	}
}
