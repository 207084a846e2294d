package client_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// Ownership comes from the caller's record, never from a password: an
// account that already has the username and accepts the very password sent
// (a copied workspace with the same variables made it) is not taken by a
// plain create.
func TestCreateAccount_neverTakesAnAccountByItsPassword(t *testing.T) {
	fx := newFixture(t)
	theirs := must[*client.Account](t)(fx.another(t).CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "same-pass-1"}))
	_, err := fx.client.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "alice", Password: "same-pass-1"})
	var exists *client.ExistingObjectError
	if !errors.As(err, &exists) || exists.Ref != "alice" {
		t.Fatalf("want an existing-object error for alice, got %v", err)
	}
	if _, _, accounts := fx.mock.Len(); accounts != 1 {
		t.Errorf("%d accounts, want only %d", accounts, theirs.ID)
	}
}

// With the caller's record of a create whose answer was lost, the account
// that create made is taken, without a second POST; an account of the
// username older than the record's mark, or refusing the password, is
// not; a username nobody has is created.
func TestResumeCreateAccount_takesOnlyWhatTheRecordedCreateMade(t *testing.T) {
	for _, name := range []string{"alice", "co:lon"} {
		t.Run(name, func(t *testing.T) {
			fx := newFixture(t, func(c *client.Config) { c.MaxRetries = -1 })
			fx.mock.FailNext("POST /accounts", 1, mockapi.FailAfter)
			fx.mock.InterceptNext("POST /accounts", func(next http.Handler, w http.ResponseWriter, r *http.Request) {
				// The look-up that would settle it fails too.
				fx.mock.FailNext("GET /un/accounts/show", 1, mockapi.FailServerError)
				fx.mock.FailNext("GET /accounts", 1, mockapi.FailServerError)
				next.ServeHTTP(w, r)
			})
			_, err := fx.client.CreateAccount(ctx(t), client.CreateAccountRequest{Username: name, Password: "secret-1"})
			var unknown *client.UnknownOutcomeError
			if !errors.As(err, &unknown) || unknown.Pending.Kind != client.KindAccount {
				t.Fatalf("want an unknown outcome with a record, got %v", err)
			}
			fx.mock.ResetCounts()
			later := fx.another(t) // the next run
			acc, err := later.ResumeCreateAccount(ctx(t), client.CreateAccountRequest{Username: name, Password: "secret-1"}, unknown.Pending)
			if err != nil || acc.Username != name {
				t.Fatalf("resume: %v, %v", acc, err)
			}
			if n := fx.mock.Count("POST /accounts"); n != 0 {
				t.Errorf("%d POSTs after the record settled it", n)
			}

			// Another username, made by hand before the mark: never taken.
			hand := must[*client.Account](t)(fx.another(t).CreateAccount(ctx(t), client.CreateAccountRequest{Username: name + "-2", Password: "secret-1"}))
			record := unknown.Pending
			record.Username, record.Mark = name+"-2", hand.ID
			_, err = later.ResumeCreateAccount(ctx(t), client.CreateAccountRequest{Username: name + "-2", Password: "secret-1"}, record)
			var notOurs *client.NotOursError
			if !errors.As(err, &notOurs) || !notOurs.Older || notOurs.ID != hand.ID {
				t.Errorf("an account older than the mark: want not ours (older), got %v", err)
			}
			// Made after the mark, with another password: never taken.
			record.Mark = 0
			_, err = later.ResumeCreateAccount(ctx(t), client.CreateAccountRequest{Username: name + "-2", Password: "other-pass"}, record)
			if !errors.As(err, &notOurs) || notOurs.Older {
				t.Errorf("an account refusing the password: want not ours, got %v", err)
			}
			// Nobody has it: created.
			record.Username = name + "-3"
			if acc, err := later.ResumeCreateAccount(ctx(t), client.CreateAccountRequest{Username: name + "-3", Password: "secret-1"}, record); err != nil || acc.Username != name+"-3" {
				t.Errorf("a free username: %v, %v", acc, err)
			}
			if _, _, accounts := fx.mock.Len(); accounts != 3 {
				t.Errorf("%d accounts, want 3", accounts)
			}
		})
	}
}

// A username with a colon cannot go through Basic auth; a create of one
// whose answer is lost is still settled by its own client (found by the
// account walk and checked with POST /accounts/{id}/validate), and made once.
func TestCreateAccount_withAColonSettlesALostAnswer(t *testing.T) {
	fx := newFixture(t)
	fx.mock.FailNext("POST /accounts", 1, mockapi.FailAfter)
	acc, err := fx.client.CreateAccount(ctx(t), client.CreateAccountRequest{Username: "co:lon", Password: "secret-1"})
	if err != nil || acc.Username != "co:lon" {
		t.Fatalf("%v, %v", acc, err)
	}
	if _, _, accounts := fx.mock.Len(); accounts != 1 || fx.mock.Count("POST /accounts") != 1 {
		t.Errorf("%d accounts from %d POSTs, want 1 from 1", accounts, fx.mock.Count("POST /accounts"))
	}
	if fx.mock.Count("POST /accounts/{id}/validate") == 0 {
		t.Error("the password was not checked with validate")
	}
}

func TestIsClaim(t *testing.T) {
	for s, want := range map[string]bool{
		"claim-0123456789abcdef01234567":  true,
		"claim-0123456789ABCDEF01234567":  false,
		"claim-0123456789abcdef0123456":   false,
		"claim-0123456789abcdef012345678": false,
		"claim-0123456789abcdef0123456z":  false,
		"Claim-0123456789abcdef01234567":  false,
		"a description":                   false,
	} {
		if IsClaim := client.IsClaim(s); IsClaim != want {
			t.Errorf("IsClaim(%q) = %v", s, IsClaim)
		}
	}
}

// EmailKey keys emails exactly as the API compares them (Unicode case
// folding, strings.EqualFold): Sam and ſam are one, İnfo and info two.
func TestEmailKey_foldsAsTheAPIDoes(t *testing.T) {
	emails := []string{"sam@x.io", "SAM@x.io", "ſam@x.io", "info@x.io", "İnfo@x.io", "INFO@x.io", "kelvin@x.io",
		"\u212Aelvin@x.io", "σς@x.io", "ΣΣ@x.io", "straße@x.io", "STRASSE@x.io", "ǅ@x.io", "ǆ@x.io", "Ǆ@x.io"}
	for _, a := range emails {
		for _, b := range emails {
			if same, keyed := strings.EqualFold(a, b), client.EmailKey(a) == client.EmailKey(b); same != keyed {
				t.Errorf("%q and %q: EqualFold %v, keys equal %v", a, b, same, keyed)
			}
		}
	}
}
