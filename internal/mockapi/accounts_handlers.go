package mockapi

// The account endpoints: the reseller's (/accounts, bearer token) and the
// account's own (/un/accounts, Basic auth with the account's credentials).

import (
	"crypto/subtle"
	"net/http"
	"time"
)

// GET /accounts/check_username?username=
func (s *Server) checkUsername(rc *reqCtx) response {
	fe := fieldErrors{}
	in := queryInput(rc.r.URL.Query())
	username, ok := checkString(fe, in, "username", "username", stringRule{max: 255})
	s.mu.Lock()
	defer s.mu.Unlock()
	if ok && s.accountByUsernameLocked(username) != nil {
		fe.add("username", msgTaken("username"))
	}
	if len(fe) > 0 {
		return invalid(fe)
	}
	return response{status: http.StatusOK, body: errorBody{Message: "The username checking was successfully.", Code: http.StatusOK}}
}

// GET /accounts?page=&per_page=&status=
func (s *Server) listAccounts(rc *reqCtx) response {
	fe := fieldErrors{}
	q := rc.r.URL.Query()
	pg := s.pageParams(q, fe)
	status := ""
	if v, ok := queryInput(q).filled("status"); ok {
		status, _ = v.(string)
		if status != statusActive && status != statusDisabled {
			fe.add("status", msgInvalid("status"))
		}
	}
	if len(fe) > 0 {
		return invalid(fe)
	}
	s.mu.Lock()
	items := s.sortedAccountsLocked(func(a *account) bool { return status == "" || a.status == status })
	s.mu.Unlock()
	return paginate(rc.r, items, pg)
}

// newCustomerDraft is a customer to be created together with an account.
type newCustomerDraft struct {
	firstName, lastName, email string
	projectID                  int
}

// POST /accounts
//
// Body: username (required, string, max 255, unique), password (required,
// string, min 6), optional customer object: either customer_id (an existing
// customer) or first_name, last_name, email and project_id (all required
// then; creates that customer). The account is linked to the customer.
// Validation (422) comes first, then the balance check (402); nothing is
// created when either fails.
func (s *Server) createAccount(rc *reqCtx) response {
	fe := fieldErrors{}
	username, okUser := checkString(fe, rc.body, "username", "username", stringRule{max: 255})
	password, _ := checkString(fe, rc.body, "password", "password", stringRule{min: 6})

	s.mu.Lock()
	defer s.mu.Unlock()
	if okUser && s.accountByUsernameLocked(username) != nil {
		fe.add("username", msgTaken("username"))
	}
	linkID := 0
	var draft *newCustomerDraft
	if cv, ok := rc.body.filled("customer"); ok {
		obj, isObj := cv.(map[string]any)
		if !isObj {
			fe.add("customer", "The customer must be an array.")
		} else {
			cin := input(obj)
			if _, given := cin.filled("customer_id"); given {
				if id, ok := checkInt(fe, cin, "customer_id", "customer.customer_id"); ok {
					if s.customers[id] == nil {
						fe.add("customer.customer_id", msgInvalid("customer.customer_id"))
					} else {
						linkID = id
					}
				}
			} else {
				d := s.checkCustomerFieldsLocked(fe, cin, "customer.")
				draft = &d
			}
		}
	}
	if len(fe) > 0 {
		return invalid(fe)
	}
	if s.balance < s.price {
		return errResp(http.StatusPaymentRequired, "Insufficient Balance.")
	}
	a, err := s.newAccountLocked(username, password, func() int {
		if draft != nil {
			return s.newCustomerLocked(*draft).id
		}
		return linkID
	})
	if err != nil {
		return serverError
	}
	s.balance -= s.price
	return okData(http.StatusCreated, a.view())
}

// GET /accounts/{id}
func (s *Server) getAccount(rc *reqCtx) response {
	return s.withAccount(rc, func(a *account) response {
		return okData(http.StatusOK, a.view())
	})
}

// DELETE /accounts/{id}
func (s *Server) deleteAccount(rc *reqCtx) response {
	return s.withAccount(rc, func(a *account) response {
		s.removeAccountLocked(a)
		return okCode()
	})
}

// PUT /accounts/{id}/enable
func (s *Server) enableAccount(rc *reqCtx) response { return s.setStatusByID(rc, statusActive) }

// PUT /accounts/{id}/disable
func (s *Server) disableAccount(rc *reqCtx) response { return s.setStatusByID(rc, statusDisabled) }

func (s *Server) setStatusByID(rc *reqCtx, status string) response {
	return s.withAccount(rc, func(a *account) response {
		s.setStatusLocked(a, status)
		return okData(http.StatusOK, a.view())
	})
}

// PUT /accounts/{id}/change_password  body: password (required, min 6)
func (s *Server) changePassword(rc *reqCtx) response {
	return s.withAccount(rc, func(a *account) response {
		return s.setPasswordLocked(a, rc)
	})
}

// setPasswordLocked sets a's password from the body's password (required,
// at least 6 characters), for both change_password endpoints.
func (s *Server) setPasswordLocked(a *account, rc *reqCtx) response {
	fe := fieldErrors{}
	password, ok := checkString(fe, rc.body, "password", "password", stringRule{min: 6})
	if !ok {
		return invalid(fe)
	}
	a.password = password
	s.touch(a)
	return okData(http.StatusOK, a.view())
}

// PUT /accounts/{id}/expire  body: expire_at ("Y-m-d", or null/absent for
// auto-renewal; an empty string counts as null, as Laravel's
// ConvertEmptyStringsToNull does). The stored expired_at is that date at
// 00:00:00 UTC. Past dates are accepted (the document's own example is one).
func (s *Server) expireAccount(rc *reqCtx) response {
	return s.withAccount(rc, func(a *account) response {
		var when *time.Time
		if v, ok := rc.body.filled("expire_at"); ok {
			str, isStr := v.(string)
			t, err := time.Parse(dateLayout, str)
			if !isStr || err != nil {
				fe := fieldErrors{}
				fe.add("expire_at", "The expire at does not match the format Y-m-d.")
				return invalid(fe)
			}
			when = &t
		}
		if !sameTime(a.expiredAt, when) {
			a.expiredAt = when
			s.touch(a)
		}
		return okData(http.StatusOK, a.view())
	})
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// POST /accounts/{id}/validate  body: username, password.
// 404 when the path account is unknown; 422 when a field is missing; 460
// when the username is not that of the path account (unknown, or another
// account's); 461 on a wrong password.
func (s *Server) validateAccount(rc *reqCtx) response {
	return s.withAccount(rc, func(a *account) response {
		fe := fieldErrors{}
		username, _ := checkString(fe, rc.body, "username", "username", stringRule{})
		password, _ := checkString(fe, rc.body, "password", "password", stringRule{})
		if len(fe) > 0 {
			return invalid(fe)
		}
		if username != a.username {
			return errResp(460, "Username has not been found.")
		}
		if subtle.ConstantTimeCompare([]byte(password), []byte(a.password)) != 1 {
			return errResp(461, "Username has not been validated.")
		}
		return response{status: http.StatusOK, body: validatedBody{
			ID: a.id, Success: true, Message: "Username has been successfully validated.", Code: http.StatusOK}}
	})
}

type validatedBody struct {
	ID      int    `json:"id"`
	Success bool   `json:"success"`
	Message string `json:"message"`
	Code    int    `json:"code"`
}

// unAccountLocked returns the account authenticated by Basic auth, checking
// that the username named by the request (body or query), if any, is that
// account's own (403 otherwise).
func (s *Server) unAccountLocked(rc *reqCtx, in input) (*account, *response) {
	a := s.accounts[rc.authID]
	if a == nil || subtle.ConstantTimeCompare([]byte(a.password), []byte(rc.authPass)) != 1 {
		r := unauthorized(authBasic)
		return nil, &r
	}
	if v, ok := in.filled("username"); ok {
		name, isStr := v.(string)
		if !isStr {
			fe := fieldErrors{}
			fe.add("username", "The username must be a string.")
			r := invalid(fe)
			return nil, &r
		}
		if name != a.username {
			r := forbidden
			return nil, &r
		}
	}
	return a, nil
}

// PUT /un/accounts/enable  (Basic auth as the account; body: username)
func (s *Server) unEnable(rc *reqCtx) response { return s.unSetStatus(rc, statusActive) }

// PUT /un/accounts/disable  (Basic auth as the account; body: username)
func (s *Server) unDisable(rc *reqCtx) response { return s.unSetStatus(rc, statusDisabled) }

func (s *Server) unSetStatus(rc *reqCtx, status string) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, errR := s.unAccountLocked(rc, rc.body)
	if errR != nil {
		return *errR
	}
	s.setStatusLocked(a, status)
	return okData(http.StatusOK, a.view())
}

// PUT /un/accounts/change_password  (Basic auth; body: username, password)
func (s *Server) unChangePassword(rc *reqCtx) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, errR := s.unAccountLocked(rc, rc.body)
	if errR != nil {
		return *errR
	}
	return s.setPasswordLocked(a, rc)
}

// GET /un/accounts/show?username=  (Basic auth as the account)
func (s *Server) unShow(rc *reqCtx) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, errR := s.unAccountLocked(rc, queryInput(rc.r.URL.Query()))
	if errR != nil {
		return *errR
	}
	return okData(http.StatusOK, a.view())
}
