package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Account statuses.
const (
	StatusActive   = "Active"
	StatusDisabled = "Disabled"
)

// DateLayout is the request format of expire_at ("Y-m-d").
const DateLayout = "2006-01-02"

// Account is a VPN account. WgPrivateKey is secret.
type Account struct {
	ID           int64   `json:"id"`
	Username     string  `json:"username"`
	Status       string  `json:"status"`
	WgIP         string  `json:"wg_ip"`
	WgPrivateKey string  `json:"wg_private_key"`
	WgPublicKey  string  `json:"wg_public_key"`
	ExpiredAt    *string `json:"expired_at"`
	Updated      string  `json:"updated"`
	Created      string  `json:"created"`
}

// String keeps the private key out of anything that prints an Account.
func (a Account) String() string {
	return fmt.Sprintf("Account{ID:%d Username:%q Status:%s}", a.ID, a.Username, a.Status)
}

// GoString keeps the private key out of %#v.
func (a Account) GoString() string { return a.String() }

// Enabled reports whether the account's status is Active.
func (a Account) Enabled() bool { return a.Status == StatusActive }

// ExpireDate returns the date part ("2006-01-02") of expired_at, or "" when
// the account auto-renews.
func (a Account) ExpireDate() string {
	if a.ExpiredAt == nil || *a.ExpiredAt == "" {
		return ""
	}
	return DateOf(*a.ExpiredAt)
}

// DateOf returns the calendar date of an API timestamp such as
// "2023-04-18T00:00:00.000000Z" or "2023-04-18 00:00:00".
func DateOf(ts string) string {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", DateLayout} {
		if t, err := time.Parse(layout, ts); err == nil {
			return t.UTC().Format(DateLayout)
		}
	}
	if len(ts) > len(DateLayout) {
		// Cut on a character boundary: the result goes into state,
		// which holds only valid UTF-8.
		cut := len(DateLayout)
		for cut > 0 && !utf8.RuneStart(ts[cut]) {
			cut--
		}
		return ts[:cut]
	}
	return ts
}

// AccountCustomer is the optional customer object of an account create:
// either CustomerID of an existing customer, or the fields of a new one.
type AccountCustomer struct {
	CustomerID int64  `json:"customer_id,omitempty"`
	FirstName  string `json:"first_name,omitempty"`
	LastName   string `json:"last_name,omitempty"`
	Email      string `json:"email,omitempty"`
	ProjectID  int64  `json:"project_id,omitempty"`
}

// CreateAccountRequest is the body of POST /accounts.
type CreateAccountRequest struct {
	Username string           `json:"username"`
	Password string           `json:"password"`
	Customer *AccountCustomer `json:"customer,omitempty"`
}

// ValidateResult is the answer of POST /accounts/{id}/validate.
type ValidateResult struct {
	ID      int64  `json:"id"`
	Success bool   `json:"success"`
	Message string `json:"message"`
}

// Customer belongs to a project and may own accounts.
type Customer struct {
	ID        int64  `json:"id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	UserID    int64  `json:"user_id"`
	ProjectID int64  `json:"project_id"`
}

// CreateCustomerRequest is the body of POST /customers.
type CreateCustomerRequest struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	ProjectID int64  `json:"project_id"`
}

// UpdateCustomerRequest is the body of PUT /customers/{id}: nil fields are
// left alone.
type UpdateCustomerRequest struct {
	FirstName *string `json:"first_name,omitempty"`
	LastName  *string `json:"last_name,omitempty"`
	Email     *string `json:"email,omitempty"`
}

// Project groups customers.
type Project struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	UserID      int64  `json:"user_id"`
}

// ProjectRequest is the body of POST /projects and PUT /projects/{id}.
type ProjectRequest struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Server is a VPN server.
type Server struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	IP          string `json:"ip"`
	CountryCode string `json:"country_code"`
	City        string `json:"city"`
	Capacity    int64  `json:"capacity"`
}

// Port is an OpenVPN port.
type Port struct {
	ID       int64    `json:"id"`
	Protocol string   `json:"protocol"`
	Number   int64    `json:"number"`
	Default  FlexBool `json:"default"`
}

// Profile is the reseller's own profile.
type Profile struct {
	// Balance is a decimal string such as "253.70".
	Balance FlexString `json:"balance"`
}

// GeoIP is the answer of GET /geoip.
type GeoIP struct {
	IP        string  `json:"ip"`
	Country   string  `json:"country"`
	ISOCode   string  `json:"iso_code"`
	City      string  `json:"city"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Continent string  `json:"continent"`
}

// VPNConfig is a client configuration file. Content of a WireGuard config
// holds the account's private key.
type VPNConfig struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

// String keeps the content out of anything that prints a VPNConfig.
func (c VPNConfig) String() string { return fmt.Sprintf("VPNConfig{Name:%q}", c.Name) }

// GoString keeps the content out of %#v.
func (c VPNConfig) GoString() string { return c.String() }

// PageMeta is Laravel's pagination meta.
type PageMeta struct {
	CurrentPage int    `json:"current_page"`
	LastPage    int    `json:"last_page"`
	PerPage     int    `json:"per_page"`
	Total       int    `json:"total"`
	From        *int   `json:"from"`
	To          *int   `json:"to"`
	Path        string `json:"path"`
}

// Page is one page of a paginated list.
type Page[T any] struct {
	Data []T      `json:"data"`
	Meta PageMeta `json:"meta"`
	url  string   // the page's URL, query included, for errors about it
}

// FlexBool decodes true/false, 1/0 and "1"/"0" (the API documents `default`
// of a port as the integer 1 or 0).
type FlexBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (b *FlexBool) UnmarshalJSON(data []byte) error {
	s := string(bytes.TrimSpace(data))
	if strings.HasPrefix(s, `"`) {
		// A string, escapes and all ("tru\u0065" is "true").
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
	}
	switch strings.ToLower(s) {
	case "true", "1":
		*b = true
	case "false", "0", "", "null":
		*b = false
	default:
		return fmt.Errorf("cannot read %s as a boolean", data)
	}
	return nil
}

// FlexString decodes a JSON string or number as its text ("253.70" or 253.7).
type FlexString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *FlexString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		*s = ""
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var str string
		if err := json.Unmarshal(data, &str); err != nil {
			return err
		}
		*s = FlexString(str)
		return nil
	}
	// A number too large for a float64 is still a number: its text is
	// what is kept.
	if _, err := strconv.ParseFloat(string(data), 64); err != nil && !errors.Is(err, strconv.ErrRange) {
		return fmt.Errorf("cannot read %s as a number", data)
	}
	*s = FlexString(data)
	return nil
}

func (a Account) objectID() int64  { return a.ID }
func (c Customer) objectID() int64 { return c.ID }
func (p Project) objectID() int64  { return p.ID }
func (s Server) objectID() int64   { return s.ID }
func (p Port) objectID() int64     { return p.ID }

// problem says what makes a decoded object unusable, or "".
func (a *Account) problem() string {
	switch {
	case a.ID <= 0:
		return "the account has no id"
	case a.Username == "":
		return "the account has no username"
	}
	return ""
}

func (c *Customer) problem() string {
	if c.ID <= 0 {
		return "the customer has no id"
	}
	return ""
}

func (p *Project) problem() string {
	if p.ID <= 0 {
		return "the project has no id"
	}
	return ""
}
