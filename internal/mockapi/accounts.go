package mockapi

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
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
	return sortedViews(s.accounts, keep, (*account).view)
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

// withAccount runs fn, holding s.mu, on the account the request's {id}
// names: 404 "Account not found." when none.
func (s *Server) withAccount(rc *reqCtx, fn func(*account) response) response {
	return withObject(s, s.accounts, rc, accountNotFound, fn)
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
