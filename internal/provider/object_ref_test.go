package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// The one grammar of object references (object_ref.go): what each form
// reads as, and what it refuses.
func TestObjectRef_parse(t *testing.T) {
	for in, want := range map[string]objectRef{
		"5":               {id: 5, key: "5", bare: true},
		" 5 ":             {id: 5, key: "5", bare: true},
		"id:5":            {id: 5},
		"id: 5":           {id: 5},
		"username:5":      {key: "5"},
		"username: alice": {key: "alice"},
		"username:id:5":   {key: "id:5"},
		"alice":           {key: "alice"},
		"0":               {key: "0"},
		"-3":              {key: "-3"},
		"customer:5":      {key: "customer:5"},
	} {
		got, err := parseRef(in, client.KindAccount, "username")
		if err != nil || got != want {
			t.Errorf("parseRef(%q, account) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "  ", "id:", "id:x", "id:0", "id:-1", "username:", "username:  ", "id:99999999999999999999"} {
		if got, err := parseRef(in, client.KindAccount, "username"); err == nil {
			t.Errorf("parseRef(%q, account) = %+v, want an error", in, got)
		}
	}
	// Customers and projects are named by id alone.
	for in, want := range map[string]int64{"42": 42, "id:42": 42, " id: 42 ": 42} {
		if got, err := parseRef(in, client.KindCustomer, ""); err != nil || got != (objectRef{id: want}) {
			t.Errorf("parseRef(%q, customer) = %+v, %v", in, got, err)
		}
	}
	for _, in := range []string{"jane@example.com", "username:5", "0", ""} {
		_, err := parseRef(in, client.KindCustomer, "")
		if err == nil || !strings.Contains(err.Error(), "a customer is imported by its numeric id, such as 42 (or id:42)") {
			t.Errorf("parseRef(%q, customer): %v", in, err)
		}
	}
}

func TestResourceAccounts_parseImportID(t *testing.T) {
	for in, want := range map[string]fleetImportID{
		"customer:7":                 {scope: "customer", scopeID: 7},
		"project: 8":                 {scope: "project", scopeID: 8},
		"alice, 5,id:6 , username:7": {refs: []objectRef{{key: "alice"}, {id: 5, key: "5", bare: true}, {id: 6}, {key: "7"}}},
	} {
		got, err := parseFleetImportID(in)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("parseFleetImportID(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "customer:", "project:x", "alice,,bob", "alice,id:0", "customer:0"} {
		if got, err := parseFleetImportID(in); err == nil {
			t.Errorf("parseFleetImportID(%q) = %+v, want an error", in, got)
		}
	}
}

// FuzzResourceAccounts_parseImportID: whatever the import id, the grammar never panics;
// what it reads is well formed (an id positive, a key trimmed and not
// empty), every reference written back in the grammar reads the same, and
// an error quotes the input printably.
func FuzzResourceAccounts_parseImportID(f *testing.F) {
	for _, seed := range []string{"5", "id:5", "username:5", "alice,bob,42", "customer:12", "project:3",
		"id:", "username:", " , ", "id:5,username:id:5", "é,漢字", "customer:x", "\x00,\u202e", "username:a,b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := parseFleetImportID(in)
		if err != nil {
			if !utf8.ValidString(err.Error()) || strings.ContainsAny(err.Error(), "\x00\u202e") {
				t.Fatalf("error not printable: %q", err)
			}
			return
		}
		if got.scope != "" {
			if got.scopeID <= 0 || len(got.refs) != 0 {
				t.Fatalf("%q: %+v", in, got)
			}
			return
		}
		if len(got.refs) == 0 {
			t.Fatalf("%q: an empty list read without error", in)
		}
		for _, ref := range got.refs {
			switch {
			case ref.bare && (ref.id <= 0 || !sameID(ref.key, ref.id)):
				t.Fatalf("%q: bad bare reference %+v", in, ref)
			case !ref.bare && ref.id < 0, !ref.bare && ref.id > 0 && ref.key != "",
				ref.id == 0 && (ref.key == "" || strings.TrimSpace(ref.key) != ref.key):
				t.Fatalf("%q: bad reference %+v", in, ref)
			}
			text := ref.format("username")
			back, err := parseRef(text, client.KindAccount, "username")
			if err != nil || back != ref {
				t.Fatalf("%q: %+v written as %q reads as %+v, %v", in, ref, text, back, err)
			}
		}
	})
}

func sameID(s string, id int64) bool {
	n, ok := positiveID(s)
	return ok && n == id
}

// vpnresellers_account and vpnresellers_accounts read and resolve an import
// id the same way: with account 5 named "u5" and account 6 named "5", `5`
// is refused by both as ambiguous, `id:5` is account 5 and `username:5`
// account 6 for both; a number that is only an id (3) or only a username
// (77, account 7) is that account for both.
func TestResourceAccounts_importIDsSameAsAccount(t *testing.T) {
	env := newTestEnv(t)
	for _, u := range []string{"u1", "u2", "u3", "u4", "u5", "5", "77"} { // ids 1 to 7
		if _, err := env.client.CreateAccount(env.ctx(), client.CreateAccountRequest{Username: u, Password: "secret-1"}); err != nil {
			t.Fatal(err)
		}
	}
	w := faultWorkspace(t, env, "", `
resource "vpnresellers_account" "one" {
  username = "any"
}

resource "vpnresellers_accounts" "fleet" {
  accounts = {}
}
`)
	imported := func() (single, fleet []int) {
		var st struct {
			Resources []struct {
				Type      string `json:"type"`
				Instances []struct {
					Attributes struct {
						ID       int `json:"id"`
						Accounts map[string]struct {
							ID int `json:"id"`
						} `json:"accounts"`
					} `json:"attributes"`
				} `json:"instances"`
			} `json:"resources"`
		}
		if err := json.Unmarshal([]byte(w.Read("terraform.tfstate")), &st); err != nil {
			t.Fatal(err)
		}
		for _, r := range st.Resources {
			if r.Type == "vpnresellers_account" {
				single = append(single, r.Instances[0].Attributes.ID)
			}
			if r.Type == "vpnresellers_accounts" {
				for _, a := range r.Instances[0].Attributes.Accounts {
					fleet = append(fleet, a.ID)
				}
			}
		}
		return single, fleet
	}
	for ref, want := range map[string]int{"5": 0, "id:5": 5, "username:5": 6, "3": 3, "77": 7} {
		one := w.Run(nil, "import", "-no-color", "vpnresellers_account.one", ref)
		many := w.Run(nil, "import", "-no-color", "vpnresellers_accounts.fleet", ref)
		if want == 0 {
			for what, r := range map[string]cliResult{"vpnresellers_account": one, "vpnresellers_accounts": many} {
				if r.Err == nil {
					t.Errorf("%s took the ambiguous %q", what, ref)
					continue
				}
				mentions(t, r.Output(), "Ambiguous import ID", `"5" could be an account id, and it is also the username of account 6`,
					"id:5", "username:5")
			}
			continue
		}
		if one.Err != nil || many.Err != nil {
			t.Fatalf("import %q: %v, %v\n%s\n%s", ref, one.Err, many.Err, one.Output(), many.Output())
		}
		single, fleet := imported()
		if fmt.Sprint(single) != fmt.Sprint([]int{want}) || fmt.Sprint(fleet) != fmt.Sprint([]int{want}) {
			t.Errorf("import %q: vpnresellers_account took %v, vpnresellers_accounts %v; want account %d for both", ref, single, fleet, want)
		}
		w.MustRun(nil, "state", "rm", "-no-color", "vpnresellers_account.one", "vpnresellers_accounts.fleet")
	}
}
