package mockapi

// The account's credentials: its password changed, checked and used by the
// account's own endpoints (/un/accounts), and its username's availability.

import (
	"testing"
	"time"
)

func TestAPIAccounts_changePassword(t *testing.T) {
	s, c := newAPI(t, Options{})
	fixedClock(s, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	id := intOf(t, c.createAccount("pw", "secret1")["id"])
	tests := []struct {
		body any
		want map[string][]string
	}{
		{map[string]any{}, map[string][]string{"password": {"The password field is required."}}},
		{map[string]any{"password": "12345"}, map[string][]string{"password": {"The password must be at least 6 characters."}}},
		{map[string]any{"password": 1234567}, map[string][]string{"password": {"The password must be a string."}}},
	}
	for _, tc := range tests {
		c.put(path("/accounts/%d/change_password", id), tc.body).mustInvalid(t, tc.want)
	}
	d := c.put(path("/accounts/%d/change_password", id), map[string]any{"password": "newpass"}).mustStatus(t, 200).data(t)
	checkAccountObject(t, d)
	if d["updated"] != "2024-01-01 00:00:01" {
		t.Errorf("updated %v", d["updated"])
	}
	c.post(path("/accounts/%d/validate", id), map[string]any{"username": "pw", "password": "secret1"}).
		mustError(t, 461, "Username has not been validated.")
	c.post(path("/accounts/%d/validate", id), map[string]any{"username": "pw", "password": "newpass"}).mustStatus(t, 200)
	// Multi-byte characters count as characters, not bytes.
	c.put(path("/accounts/%d/change_password", id), map[string]any{"password": "ééééé"}).
		mustInvalid(t, map[string][]string{"password": {"The password must be at least 6 characters."}})
}

func TestAPIAccounts_validate(t *testing.T) {
	_, c := newAPI(t, Options{})
	id := intOf(t, c.createAccount("val", "secret1")["id"])
	other := intOf(t, c.createAccount("other", "secret2")["id"])
	p := path("/accounts/%d/validate", id)
	r := c.post(p, map[string]any{"username": "val", "password": "secret1"}).mustStatus(t, 200)
	mustKeys(t, r.body, "id", "success", "message", "code")
	if intOf(t, r.body["id"]) != id || r.body["success"] != true || r.body["message"] != "Username has been successfully validated." {
		t.Errorf("validate body %s", r.raw)
	}
	c.post(p, map[string]any{"username": "nobody", "password": "secret1"}).mustError(t, 460, "Username has not been found.")
	c.post(p, map[string]any{"username": "other", "password": "secret2"}).mustError(t, 460, "Username has not been found.")
	c.post(p, map[string]any{"username": "val", "password": "wrong!"}).mustError(t, 461, "Username has not been validated.")
	c.post(p, map[string]any{}).mustInvalid(t, map[string][]string{
		"username": {"The username field is required."}, "password": {"The password field is required."}})
	c.post(p, map[string]any{"password": "x"}).mustInvalid(t, map[string][]string{"username": {"The username field is required."}})
	c.post("/accounts/999/validate", map[string]any{"username": "val", "password": "secret1"}).mustError(t, 404, "Account not found.")
	// A disabled account still validates: validation checks credentials.
	c.put(path("/accounts/%d/disable", id), nil).mustStatus(t, 200)
	c.post(p, map[string]any{"username": "val", "password": "secret1"}).mustStatus(t, 200)
	_ = other
}

func TestAPIAccounts_checkUsername(t *testing.T) {
	_, c := newAPI(t, Options{})
	c.createAccount("exists", "secret1")
	r := c.get("/accounts/check_username?username=free").mustStatus(t, 200)
	mustKeys(t, r.body, "message", "code")
	if r.body["message"] != "The username checking was successfully." {
		t.Errorf("message %v", r.body["message"])
	}
	c.get("/accounts/check_username?username=exists").mustInvalid(t, map[string][]string{"username": {"The username has already been taken."}})
	c.get("/accounts/check_username").mustInvalid(t, map[string][]string{"username": {"The username field is required."}})
	c.get("/accounts/check_username?username=").mustInvalid(t, map[string][]string{"username": {"The username field is required."}})
	// Usernames are case-sensitive.
	c.get("/accounts/check_username?username=EXISTS").mustStatus(t, 200)
	c.del("/accounts/1").mustStatus(t, 200)
	c.get("/accounts/check_username?username=exists").mustStatus(t, 200)
}

func TestUnAccounts_routes(t *testing.T) {
	s, c := newAPI(t, Options{})
	fixedClock(s, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	me := c.createAccount("me", "mypass1")
	c.createAccount("you", "yourpass")
	auth := withBasic("me", "mypass1")

	// Authentication.
	for name, opt := range map[string]reqOpt{
		"bearer token":   withToken(c.token),
		"none":           noAuth(),
		"wrong password": withBasic("me", "nope"),
		"unknown user":   withBasic("ghost", "mypass1"),
		"other's pass":   withBasic("me", "yourpass"),
	} {
		t.Run(name, func(t *testing.T) {
			c.get("/un/accounts/show?username=me", opt).mustError(t, 401, "Unauthorized.")
			c.put("/un/accounts/disable", map[string]any{"username": "me"}, opt).mustError(t, 401, "Unauthorized.")
		})
	}

	// Show.
	d := c.get("/un/accounts/show?username=me", auth).mustStatus(t, 200).data(t)
	if d["id"] != me["id"] || d["wg_private_key"] != me["wg_private_key"] {
		t.Errorf("show %v", d)
	}
	c.get("/un/accounts/show", auth).mustStatus(t, 200) // missing username = self
	c.get("/un/accounts/show?username=you", auth).mustError(t, 403, "Forbidden.")
	c.get("/un/accounts/show?username=ghost", auth).mustError(t, 403, "Forbidden.")

	// Disable / enable.
	d = c.put("/un/accounts/disable", map[string]any{"username": "me"}, auth).mustStatus(t, 200).data(t)
	if d["status"] != "Disabled" || d["updated"] != "2024-01-01 00:00:01" {
		t.Errorf("disable: %v", d)
	}
	c.put("/un/accounts/disable", map[string]any{"username": "you"}, auth).mustError(t, 403, "Forbidden.")
	if st := c.get("/accounts/2").data(t)["status"]; st != "Active" {
		t.Errorf("other account touched: %v", st)
	}
	// A disabled account can still authenticate and enable itself.
	d = c.put("/un/accounts/enable", nil, auth).mustStatus(t, 200).data(t)
	if d["status"] != "Active" {
		t.Errorf("enable: %v", d)
	}
	c.put("/un/accounts/enable", map[string]any{"username": 5}, auth).
		mustInvalid(t, map[string][]string{"username": {"The username must be a string."}})
	c.put("/un/accounts/enable", "{bad", auth).mustError(t, 400, "Bad Request.")

	// Change password.
	c.put("/un/accounts/change_password", map[string]any{"username": "me", "password": "short"}, auth).
		mustInvalid(t, map[string][]string{"password": {"The password must be at least 6 characters."}})
	c.put("/un/accounts/change_password", map[string]any{"username": "me"}, auth).
		mustInvalid(t, map[string][]string{"password": {"The password field is required."}})
	c.put("/un/accounts/change_password", map[string]any{"username": "you", "password": "hijack1"}, auth).
		mustError(t, 403, "Forbidden.")
	c.put("/un/accounts/change_password", map[string]any{"username": "me", "password": "newpass1"}, auth).mustStatus(t, 200)
	c.get("/un/accounts/show", auth).mustError(t, 401, "Unauthorized.")
	c.get("/un/accounts/show", withBasic("me", "newpass1")).mustStatus(t, 200)
	c.get("/un/accounts/show", withBasic("you", "yourpass")).mustStatus(t, 200)

	// A deleted account cannot authenticate.
	c.del(path("/accounts/%d", intOf(t, me["id"]))).mustStatus(t, 200)
	c.get("/un/accounts/show", withBasic("me", "newpass1")).mustError(t, 401, "Unauthorized.")
}
