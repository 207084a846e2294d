package mockapi

import (
	"cmp"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
)

const (
	statusActive   = "Active"
	statusDisabled = "Disabled"

	timestampLayout = "2006-01-02 15:04:05"         // created / updated
	expiredLayout   = "2006-01-02T15:04:05.000000Z" // expired_at
	dateLayout      = "2006-01-02"                  // expire_at (request), PHP "Y-m-d"

	seedPassword = "password1"
)

// account is a VPN account. customerID links it to a customer (0 = none);
// it is never shown in the account object (NOTES: no customer_id).
type account struct {
	id         int
	username   string
	password   string
	status     string
	wgIP       string
	wgHost     uint16 // index of wgIP in the pool
	wgPrivate  string
	wgPublic   string
	expiredAt  *time.Time
	created    time.Time
	updated    time.Time
	customerID int
}

// accountView is the documented account object, fields in document order.
type accountView struct {
	ID           int     `json:"id"`
	Username     string  `json:"username"`
	Status       string  `json:"status"`
	WgIP         string  `json:"wg_ip"`
	WgPrivateKey string  `json:"wg_private_key"`
	WgPublicKey  string  `json:"wg_public_key"`
	ExpiredAt    *string `json:"expired_at"`
	Updated      string  `json:"updated"`
	Created      string  `json:"created"`
}

func (a *account) view() accountView {
	v := accountView{
		ID:           a.id,
		Username:     a.username,
		Status:       a.status,
		WgIP:         a.wgIP,
		WgPrivateKey: a.wgPrivate,
		WgPublicKey:  a.wgPublic,
		Updated:      a.updated.Format(timestampLayout),
		Created:      a.created.Format(timestampLayout),
	}
	if a.expiredAt != nil {
		e := a.expiredAt.Format(expiredLayout)
		v.ExpiredAt = &e
	}
	return v
}

// touch moves updated forward. Timestamps have one-second resolution, so
// when a change happens within the same second as the previous one,
// updated is advanced by one second to make every change visible.
func (s *Server) touch(a *account) {
	t := s.now().UTC().Truncate(time.Second)
	if !t.After(a.updated) {
		t = a.updated.Add(time.Second)
	}
	a.updated = t
}

// ipPool hands out unique addresses from 10.250.0.0/16, skipping addresses
// whose last byte is 0 or 255.
type ipPool struct {
	used map[uint16]bool
	next uint32
}

func newIPPool() ipPool { return ipPool{used: map[uint16]bool{}, next: 1} }

var errPoolExhausted = errors.New("mockapi: wg_ip pool 10.250.0.0/16 exhausted")

func (p *ipPool) alloc() (uint16, string, error) {
	for range 1 << 16 {
		h := uint16(p.next)
		p.next = (p.next + 1) & 0xffff
		if lo := h & 0xff; lo == 0 || lo == 0xff || p.used[h] {
			continue
		}
		p.used[h] = true
		return h, fmt.Sprintf("10.250.%d.%d", h>>8, h&0xff), nil
	}
	return 0, "", errPoolExhausted
}

func (p *ipPool) free(h uint16) { delete(p.used, h) }

// newKeyPair returns a fresh X25519 (WireGuard) key pair, base64 encoded.
func newKeyPair() (private, public string, err error) {
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	enc := base64.StdEncoding
	return enc.EncodeToString(k.Bytes()), enc.EncodeToString(k.PublicKey().Bytes()), nil
}

func (s *Server) accountByUsernameLocked(username string) *account {
	if id, ok := s.usernames[username]; ok {
		return s.accounts[id]
	}
	return nil
}

// newAccountLocked stores a new active account. The caller holds s.mu and
// has validated everything. linkCustomer, when not nil, is called once the
// account's resources are secured and returns the customer to link (so an
// inline customer is only created when the account will be too).
func (s *Server) newAccountLocked(username, password string, linkCustomer func() int) (*account, error) {
	priv, pub, err := newKeyPair()
	if err != nil {
		return nil, err
	}
	host, ip, err := s.ips.alloc()
	if err != nil {
		return nil, err
	}
	customerID := 0
	if linkCustomer != nil {
		customerID = linkCustomer()
	}
	now := s.now().UTC().Truncate(time.Second)
	s.nextAccountID++
	a := &account{
		id:         s.nextAccountID,
		username:   username,
		password:   password,
		status:     statusActive,
		wgIP:       ip,
		wgHost:     host,
		wgPrivate:  priv,
		wgPublic:   pub,
		created:    now,
		updated:    now,
		customerID: customerID,
	}
	s.accounts[a.id] = a
	s.usernames[username] = a.id
	return a, nil
}

// sortedAccountsLocked returns the accounts accepted by keep, by id.
func (s *Server) sortedAccountsLocked(keep func(*account) bool) []accountView {
	var as []*account
	for _, a := range s.accounts {
		if keep(a) {
			as = append(as, a)
		}
	}
	slices.SortFunc(as, func(x, y *account) int { return cmp.Compare(x.id, y.id) })
	out := make([]accountView, len(as))
	for i, a := range as {
		out[i] = a.view()
	}
	return out
}

// SeedAccounts creates n active accounts with password "password1" and
// returns their ids. Usernames are usernamePrefix followed by 1, 2, ...,
// skipping names already taken. No balance is charged and no counters move.
func (s *Server) SeedAccounts(n int, usernamePrefix string) []int {
	return s.seedAccounts(n, usernamePrefix, 0)
}

// SeedCustomerAccounts is SeedAccounts for accounts of the customer
// customerID; it returns nil when there is no such customer.
func (s *Server) SeedCustomerAccounts(customerID, n int, usernamePrefix string) []int {
	s.mu.Lock()
	known := s.customers[customerID] != nil
	s.mu.Unlock()
	if !known {
		return nil
	}
	return s.seedAccounts(n, usernamePrefix, customerID)
}

func (s *Server) seedAccounts(n int, usernamePrefix string, customerID int) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var link func() int
	if customerID > 0 {
		link = func() int { return customerID }
	}
	ids := make([]int, 0, max(n, 0))
	suffix := 0
	for range n {
		var name string
		for {
			suffix++
			name = fmt.Sprintf("%s%d", usernamePrefix, suffix)
			if _, taken := s.usernames[name]; !taken {
				break
			}
		}
		a, err := s.newAccountLocked(name, seedPassword, link)
		if err != nil {
			panic(err)
		}
		ids = append(ids, a.id)
	}
	return ids
}

// accountLocked resolves the {id} of the request; nil when unknown.
func (s *Server) accountLocked(rawID string) *account {
	id, ok := parseID(rawID)
	if !ok {
		return nil
	}
	return s.accounts[id]
}

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
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountLocked(rc.id)
	if a == nil {
		return accountNotFound
	}
	return okData(http.StatusOK, a.view())
}

// DELETE /accounts/{id}
func (s *Server) deleteAccount(rc *reqCtx) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountLocked(rc.id)
	if a == nil {
		return accountNotFound
	}
	s.removeAccountLocked(a)
	return okCode()
}

func (s *Server) removeAccountLocked(a *account) {
	delete(s.accounts, a.id)
	delete(s.usernames, a.username)
	s.ips.free(a.wgHost)
}

// setStatusLocked changes the status; updated moves only on a real change.
func (s *Server) setStatusLocked(a *account, status string) {
	if a.status != status {
		a.status = status
		s.touch(a)
	}
}

// PUT /accounts/{id}/enable
func (s *Server) enableAccount(rc *reqCtx) response { return s.setStatusByID(rc, statusActive) }

// PUT /accounts/{id}/disable
func (s *Server) disableAccount(rc *reqCtx) response { return s.setStatusByID(rc, statusDisabled) }

func (s *Server) setStatusByID(rc *reqCtx, status string) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountLocked(rc.id)
	if a == nil {
		return accountNotFound
	}
	s.setStatusLocked(a, status)
	return okData(http.StatusOK, a.view())
}

// PUT /accounts/{id}/change_password  body: password (required, min 6)
func (s *Server) changePassword(rc *reqCtx) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountLocked(rc.id)
	if a == nil {
		return accountNotFound
	}
	return s.setPasswordLocked(a, rc)
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
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountLocked(rc.id)
	if a == nil {
		return accountNotFound
	}
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
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountLocked(rc.id)
	if a == nil {
		return accountNotFound
	}
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
