package client_test

import (
	"fmt"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

func TestHasDependents(t *testing.T) {
	refusal := func(status int, msg string) error {
		return fmt.Errorf("wrapped: %w", &client.APIError{StatusCode: status, Message: msg})
	}
	for _, tc := range []struct {
		err  error
		kind string
		want bool
	}{
		{refusal(422, "Unable to delete a customer that has accounts."), client.KindCustomer, true},
		{refusal(422, "Unable to delete a project that has customers."), client.KindProject, true},
		{refusal(422, "Unable to delete a project that has customers."), client.KindCustomer, false},
		{refusal(422, "The given data was invalid."), client.KindCustomer, false},
		{refusal(500, "Unable to delete a customer that has accounts."), client.KindCustomer, false},
		{refusal(422, "Unable to delete a customer that has accounts."), client.KindAccount, false},
		{nil, client.KindCustomer, false},
	} {
		if got := client.HasDependents(tc.err, tc.kind); got != tc.want {
			t.Errorf("HasDependents(%v, %s) = %v, want %v", tc.err, tc.kind, got, tc.want)
		}
	}
}
