package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// Each kind of client error gets its own wording, naming what a person can
// act on, and an error wrapped by the caller reads the same.
func TestDiagnostics_addAPIErrorWording(t *testing.T) {
	const url = "https://api.example.test/v4_1/accounts"
	tests := []struct {
		name        string
		err         error
		wantSummary string
		want        []string
		never       []string // advice that could lead to holding someone else's object
		attr        bool     // reported on the attribute "username"
	}{
		{
			name: "transport",
			err:  &client.TransportError{Method: "POST", URL: url, Err: errors.New("connection refused")},
			want: []string{"Could not reach the API at " + url + ": connection refused", "base_url"},
		},
		{
			name: "timeout names request_timeout",
			err:  &client.TimeoutError{Method: "GET", URL: url, RequestTimeout: 30 * time.Second},
			want: []string{"Could not reach the API at " + url, "request_timeout (30s)"},
		},
		{
			name: "malformed",
			err:  &client.MalformedAnswerError{Method: "POST", URL: url, StatusCode: 201, Reason: "no data"},
			want: []string{"The API answered POST " + url + " with a malformed answer: no data", "nothing was recorded"},
		},
		{
			name: "a list whose pages contradict each other names the page",
			err:  &client.PagingError{URL: url + "?page=3&per_page=100", Reason: "the page size changed from 100 to 80", Walks: 3},
			want: []string{"any of 3 reads", "at " + url + "?page=3&per_page=100, the page size changed from 100 to 80", "nothing was removed", "try again"},
		},
		{
			name: "retry wait over the cap",
			err: &client.RetryWaitError{Method: "POST", URL: url, StatusCode: 429,
				Wait: time.Hour, Max: time.Minute},
			want: []string{"HTTP 429", "wait 1h0m0s", "max_retry_wait (1m0s)"},
		},
		{
			name: "route-level 404 gets the base_url hint",
			err:  &client.APIError{StatusCode: 404, Method: "GET", Path: "/projects/7", URL: "https://api.example.test/projects/7", Message: "Not Found."},
			want: []string{"GET https://api.example.test/projects/7", `404 "Not Found."`, "Check base_url", "/v4_1", "nothing was removed"},
		},
		{
			name: "HTML 404 page gets the base_url hint",
			err:  &client.APIError{StatusCode: 404, Method: "GET", Path: "/projects/7", URL: "https://api.example.test/v4_1/projects/7"},
			want: []string{"a 404 page", "Check base_url"},
		},
		{
			name: "documented not found",
			err:  &client.APIError{StatusCode: 404, Method: "PUT", Path: "/accounts/7/enable", URL: url + "/7/enable", Message: "Account not found."},
			want: []string{"PUT " + url + "/7/enable with 404: Account not found."},
		},
		{
			name: "server error names the URL",
			err:  &client.APIError{StatusCode: 500, Method: "GET", Path: "/accounts", URL: url, Message: "Server Error."},
			want: []string{"GET " + url + " with HTTP 500 (Server Error.)"},
		},
		{
			name:        "unknown outcome is loud, and the next apply settles it by the password",
			err:         &client.UnknownOutcomeError{Object: "account", Key: `username "alice"`, Ref: "alice", Err: errors.New("EOF")},
			wantSummary: `The account username "alice" may have been created`,
			want:        []string{"Run terraform apply again", "accepts the password this configuration sets", "billed"},
			never:       []string{"terraform import", "untaint", "state rm"},
		},
		{
			name: "unknown outcome of a project: the next apply settles it by the claim",
			err: &client.UnknownOutcomeError{Object: "project", Key: `named "Billed"`, Err: errors.New("EOF"),
				Pending: client.PendingCreate{Kind: client.KindProject, Mark: 41, Claim: "claim-1"}},
			wantSummary: `The project named "Billed" may have been created`,
			want:        []string{"Run terraform apply again", "one-time claim"},
			never:       []string{"terraform import", "untaint", "state rm"},
		},
		{
			name: "unknown outcome with several candidates",
			err: &client.UnknownOutcomeError{Object: "project", Key: `named "Billed"`, Err: errors.New("EOF"),
				Candidates: []int64{42, 43}},
			wantSummary: `The project named "Billed" may have been created`,
			want:        []string{"ids 42, 43", "none was adopted", "may belong to someone else"},
			never:       []string{"terraform import", "untaint", "state rm"},
		},
		{
			name: "existing object is refused on its attribute",
			err:  &client.ExistingObjectError{Object: "account", Key: `username "alice"`, ID: 9, Ref: "alice", Err: errors.New("HTTP 500")},
			want: []string{"already exists (id 9)", "not taken over", "may belong to someone else", "Only if it is yours", "terraform import vpnresellers_account.<name> alice"},
			attr: true,
		},
		{
			name:  "an account that refuses the password is someone else's, on its attribute",
			err:   &client.NotOursError{Object: "account", Key: `with username "alice"`, ID: 9},
			want:  []string{"(id 9)", "does not accept the password", "may belong to someone else", "Choose another username"},
			never: []string{"terraform import", "untaint", "state rm"},
			attr:  true,
		},
		{
			name: "a created project whose finishing PUT failed",
			err:  &client.IncompleteCreateError{Object: "project", ID: 7, Err: errors.New("HTTP 500")},
			want: []string{"Project 7 was created", "this workspace's", "terraform untaint"},
		},
		{
			name: "interrupted",
			err:  fmt.Errorf("creating: %w", context.Canceled),
			want: []string{"interrupted"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, err := range []error{tc.err, fmt.Errorf("wrapped: %w", tc.err)} {
				var diags diag.Diagnostics
				addAPIError(&diags, "Unable to do it", err, fieldPaths{"username": path.Root("username")})
				if len(diags) != 1 {
					t.Fatalf("%d diagnostics: %v", len(diags), diags)
				}
				d := diags[0]
				if tc.wantSummary == "" {
					tc.wantSummary = "Unable to do it"
				}
				if d.Summary() != tc.wantSummary {
					t.Errorf("summary %q, want %q", d.Summary(), tc.wantSummary)
				}
				for _, w := range tc.want {
					if !strings.Contains(d.Detail(), w) {
						t.Errorf("detail lacks %q:\n%s", w, d.Detail())
					}
				}
				for _, n := range tc.never {
					if strings.Contains(d.Detail(), n) {
						t.Errorf("detail advises %q:\n%s", n, d.Detail())
					}
				}
				_, isAttr := d.(diag.DiagnosticWithPath)
				if isAttr != tc.attr {
					t.Errorf("attribute diagnostic = %v, want %v", isAttr, tc.attr)
				}
			}
		})
	}
}
