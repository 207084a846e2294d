package mockapi

import (
	"net/http"
	"strings"
	"unicode"
)

// customer belongs to a project; accounts may be linked to it.
type customer struct {
	id        int
	firstName string
	lastName  string
	email     string
	projectID int
}

// customerView is the documented customer object.
type customerView struct {
	ID        int    `json:"id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	UserID    int    `json:"user_id"`
	ProjectID int    `json:"project_id"`
}

func (c *customer) view() customerView {
	return customerView{ID: c.id, FirstName: c.firstName, LastName: c.lastName, Email: c.email,
		UserID: ResellerUserID, ProjectID: c.projectID}
}

// emailKey is the uniqueness key of an email. The API compares emails
// without regard to case, by Unicode case folding (as Go's
// strings.EqualFold): "Sam@" and "ſam@" are one address, "İnfo@" and
// "info@" two. Each letter becomes the least of its folding orbit.
func emailKey(email string) string {
	var b strings.Builder
	for _, r := range email {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

// emailTakenLocked reports whether another customer than except uses email.
func (s *Server) emailTakenLocked(email string, except int) bool {
	id, ok := s.emails[emailKey(email)]
	return ok && id != except
}

var customerStringRules = []struct {
	key  string
	rule stringRule
}{
	{"first_name", stringRule{max: 255}},
	{"last_name", stringRule{max: 255}},
	{"email", stringRule{max: 255, email: true}},
}

// checkCustomerFieldsLocked validates first_name, last_name, email (valid,
// unique) and project_id (existing), all required. Errors are reported under
// prefix+field ("customer.email" when nested in an account create).
func (s *Server) checkCustomerFieldsLocked(fe fieldErrors, in input, prefix string) newCustomerDraft {
	var vals [3]string
	for i, f := range customerStringRules {
		vals[i], _ = checkString(fe, in, f.key, prefix+f.key, f.rule)
	}
	if _, bad := fe[prefix+"email"]; !bad && s.emailTakenLocked(vals[2], 0) {
		fe.add(prefix+"email", msgTaken(prefix+"email"))
	}
	pid, ok := checkInt(fe, in, "project_id", prefix+"project_id")
	if ok && s.projects[pid] == nil {
		fe.add(prefix+"project_id", msgInvalid(prefix+"project_id"))
	}
	return newCustomerDraft{firstName: vals[0], lastName: vals[1], email: vals[2], projectID: pid}
}

func (s *Server) newCustomerLocked(d newCustomerDraft) *customer {
	s.nextCustomerID++
	c := &customer{id: s.nextCustomerID, firstName: d.firstName, lastName: d.lastName, email: d.email, projectID: d.projectID}
	s.customers[c.id] = c
	s.emails[emailKey(c.email)] = c.id
	return c
}

// withCustomer is withAccount for customers: 404 "Customer not found.".
func (s *Server) withCustomer(rc *reqCtx, fn func(*customer) response) response {
	return withObject(s, s.customers, rc, customerNotFound, fn)
}

func (s *Server) sortedCustomersLocked(keep func(*customer) bool) []customerView {
	return sortedViews(s.customers, keep, (*customer).view)
}

// SeedCustomer creates a customer directly (no validation beyond the
// project's existence and email uniqueness; no counters) and returns its id,
// or 0 when projectID is unknown or the email is taken.
func (s *Server) SeedCustomer(projectID int, firstName, lastName, email string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.projects[projectID] == nil || s.emailTakenLocked(email, 0) {
		return 0
	}
	return s.newCustomerLocked(newCustomerDraft{firstName: firstName, lastName: lastName, email: email, projectID: projectID}).id
}

// GET /customers
func (s *Server) listCustomers(rc *reqCtx) response {
	fe := fieldErrors{}
	pg := s.pageParams(rc.r.URL.Query(), fe)
	if len(fe) > 0 {
		return invalid(fe)
	}
	s.mu.Lock()
	items := s.sortedCustomersLocked(func(*customer) bool { return true })
	s.mu.Unlock()
	return paginate(rc.r, items, pg)
}

// POST /customers  body: first_name, last_name, email, project_id (all
// required). Answers 200 with the customer.
func (s *Server) createCustomer(rc *reqCtx) response {
	fe := fieldErrors{}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.checkCustomerFieldsLocked(fe, rc.body, "")
	if len(fe) > 0 {
		return invalid(fe)
	}
	return okData(http.StatusOK, s.newCustomerLocked(d).view())
}

// GET /customers/{id}
func (s *Server) getCustomer(rc *reqCtx) response {
	return s.withCustomer(rc, func(c *customer) response {
		return okData(http.StatusOK, c.view())
	})
}

// PUT /customers/{id}  body: any subset of first_name, last_name, email;
// a field that is present is validated as on create (email unique among the
// other customers). Answers {"code":200} with no data.
//
// A customer's project cannot be changed: project_id is not a documented
// parameter of this operation, so like any other undocumented field it is
// ignored (it is neither applied nor rejected).
func (s *Server) editCustomer(rc *reqCtx) response {
	return s.withCustomer(rc, func(c *customer) response {
		fe := fieldErrors{}
		vals := map[string]string{}
		for _, f := range customerStringRules {
			if rc.body.has(f.key) {
				if v, ok := checkString(fe, rc.body, f.key, f.key, f.rule); ok {
					vals[f.key] = v
				}
			}
		}
		if email, ok := vals["email"]; ok && s.emailTakenLocked(email, c.id) {
			fe.add("email", msgTaken("email"))
		}
		if len(fe) > 0 {
			return invalid(fe)
		}
		if v, ok := vals["first_name"]; ok {
			c.firstName = v
		}
		if v, ok := vals["last_name"]; ok {
			c.lastName = v
		}
		if v, ok := vals["email"]; ok {
			delete(s.emails, emailKey(c.email))
			c.email = v
			s.emails[emailKey(v)] = c.id
		}
		return okCode()
	})
}

// DELETE /customers/{id}: refused (422) while the customer has accounts.
func (s *Server) deleteCustomer(rc *reqCtx) response {
	return s.withCustomer(rc, func(c *customer) response {
		if anyObject(s.accounts, func(a *account) bool { return a.customerID == c.id }) {
			return unprocessable("customer", "Unable to delete a customer that has accounts.")
		}
		delete(s.customers, c.id)
		delete(s.emails, emailKey(c.email))
		return okCode()
	})
}

// GET /customers/{id}/accounts
func (s *Server) customerAccounts(rc *reqCtx) response {
	fe := fieldErrors{}
	pg := s.pageParams(rc.r.URL.Query(), fe)
	return s.withCustomer(rc, func(c *customer) response {
		if len(fe) > 0 {
			return invalid(fe)
		}
		return paginate(rc.r, s.sortedAccountsLocked(func(a *account) bool { return a.customerID == c.id }), pg)
	})
}
