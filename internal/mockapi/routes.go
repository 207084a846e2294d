package mockapi

// The routing table: every documented operation, how it authenticates its
// caller, and how a request path finds its route.

import (
	"net/http"
	"slices"
	"strings"
)

// authKind says how a route authenticates its caller.
type authKind int

const (
	authBearer authKind = iota // Authorization: Bearer <token>
	authNone                   // no credentials needed (/geoip)
	authBasic                  // Authorization: Basic <account username:password> (/un/accounts/*)
)

// route is one documented operation.
type route struct {
	method  string
	pattern string // as in NOTES, ids as {id}
	auth    authKind
	handle  func(*reqCtx) response
}

// routes lists every documented operation (docs/development/api-notes.md, "Endpoints").
func (s *Server) routes() []route {
	return []route{
		{http.MethodGet, "/accounts", authBearer, s.listAccounts},
		{http.MethodPost, "/accounts", authBearer, s.createAccount},
		{http.MethodGet, "/accounts/check_username", authBearer, s.checkUsername},
		{http.MethodGet, "/accounts/{id}", authBearer, s.getAccount},
		{http.MethodDelete, "/accounts/{id}", authBearer, s.deleteAccount},
		{http.MethodPut, "/accounts/{id}/enable", authBearer, s.enableAccount},
		{http.MethodPut, "/accounts/{id}/disable", authBearer, s.disableAccount},
		{http.MethodPut, "/accounts/{id}/change_password", authBearer, s.changePassword},
		{http.MethodPut, "/accounts/{id}/expire", authBearer, s.expireAccount},
		{http.MethodPost, "/accounts/{id}/validate", authBearer, s.validateAccount},

		{http.MethodPut, "/un/accounts/enable", authBasic, s.unEnable},
		{http.MethodPut, "/un/accounts/disable", authBasic, s.unDisable},
		{http.MethodPut, "/un/accounts/change_password", authBasic, s.unChangePassword},
		{http.MethodGet, "/un/accounts/show", authBasic, s.unShow},

		{http.MethodGet, "/configuration/openvpn", authBearer, s.openvpnConfig},
		{http.MethodGet, "/configuration/wireguard", authBearer, s.wireguardConfig},

		{http.MethodGet, "/geoip", authNone, s.geoip},
		{http.MethodGet, "/servers", authBearer, s.listServers},
		{http.MethodGet, "/ports", authBearer, s.listPorts},
		{http.MethodGet, "/profile", authBearer, s.profile},

		{http.MethodGet, "/customers", authBearer, s.listCustomers},
		{http.MethodPost, "/customers", authBearer, s.createCustomer},
		{http.MethodGet, "/customers/{id}", authBearer, s.getCustomer},
		{http.MethodPut, "/customers/{id}", authBearer, s.editCustomer},
		{http.MethodDelete, "/customers/{id}", authBearer, s.deleteCustomer},
		{http.MethodGet, "/customers/{id}/accounts", authBearer, s.customerAccounts},

		{http.MethodGet, "/projects", authBearer, s.listProjects},
		{http.MethodPost, "/projects", authBearer, s.createProject},
		{http.MethodGet, "/projects/{id}", authBearer, s.getProject},
		{http.MethodPut, "/projects/{id}", authBearer, s.editProject},
		{http.MethodDelete, "/projects/{id}", authBearer, s.deleteProject},
		{http.MethodGet, "/projects/{id}/customers", authBearer, s.projectCustomers},
		{http.MethodGet, "/projects/{id}/accounts", authBearer, s.projectAccounts},
	}
}

// pattern groups the routes sharing one path pattern.
type pattern struct {
	text     string
	segs     []string
	literals int
	methods  map[string]*route
}

func buildPatterns(rs []route) []*pattern {
	var ps []*pattern
	byText := map[string]*pattern{}
	for i := range rs {
		r := &rs[i]
		p := byText[r.pattern]
		if p == nil {
			p = &pattern{text: r.pattern, segs: strings.Split(strings.TrimPrefix(r.pattern, "/"), "/"), methods: map[string]*route{}}
			for _, sg := range p.segs {
				if sg != "{id}" {
					p.literals++
				}
			}
			byText[r.pattern] = p
			ps = append(ps, p)
		}
		p.methods[r.method] = r
	}
	return ps
}

func (p *pattern) match(segs []string) (id string, ok bool) {
	if len(segs) != len(p.segs) {
		return "", false
	}
	for i, sg := range p.segs {
		switch {
		case sg == "{id}":
			if segs[i] == "" {
				return "", false
			}
			id = segs[i]
		case sg != segs[i]:
			return "", false
		}
	}
	return id, true
}

// matchResult is what the router found for a request path.
type matchResult struct {
	key   string // "METHOD /pattern" used for counters and FailNext
	route *route // nil when the path is known but the method is not
	id    string // raw {id} segment
	allow []string
}

// match finds the most specific pattern for the path that accepts the
// method (so DELETE /accounts/check_username is DELETE /accounts/{id}, as in
// Laravel or net/http). When no pattern accepts the method, the result has
// no route and Allow lists the methods of every pattern matching the path.
func (s *Server) match(method, path string) (matchResult, bool) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	var best, bestAny *pattern
	var bestID, bestAnyID string
	allow := map[string]bool{}
	for _, p := range s.patterns {
		id, ok := p.match(segs)
		if !ok {
			continue
		}
		for m := range p.methods {
			allow[m] = true
		}
		if bestAny == nil || p.literals > bestAny.literals {
			bestAny, bestAnyID = p, id
		}
		if _, has := p.methods[method]; has && (best == nil || p.literals > best.literals) {
			best, bestID = p, id
		}
	}
	if best != nil {
		return matchResult{key: method + " " + best.text, route: best.methods[method], id: bestID}, true
	}
	if bestAny == nil {
		return matchResult{}, false
	}
	res := matchResult{key: method + " " + bestAny.text, id: bestAnyID}
	for m := range allow {
		res.allow = append(res.allow, m)
	}
	slices.Sort(res.allow)
	return res, true
}
