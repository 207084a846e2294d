// Package mockapi is an in-memory simulation of the VPNresellers REST API v4.1,
// written from the API reference (VPNresellers REST API v4.1) read
// together with docs/development/api-notes.md (the notes win where they disagree).
//
// A *Server is an http.Handler serving every documented endpoint under the
// path prefix /v4_1, so a client's base URL is http://HOST:PORT/v4_1.
// All state lives in memory and is guarded by a mutex, so a Server may be
// used by many goroutines at once. Knobs (latency, failure rate, rate limit,
// deterministic faults, balance, price) may be changed while it serves.
//
// Request processing order:
//
//	unknown path or outside /v4_1  -> 404 {"message":"Not Found.","code":404}
//	count the route                   ("METHOD /pattern")
//	Intercept / InterceptNext         a test's interceptor takes the request over;
//	                                  what follows is its next handler
//	receive a POST/PUT body
//	latency knob                      (a request whose context ends is abandoned,
//	                                   unless SetActOnDisconnect)
//	rate limit knob                -> 429 + Retry-After
//	FailNext fault that does not act -> 503 / 429 / HTML 404 / HTML 503 /
//	                                  404 "Not Found." / 500
//	else failure rate              -> 500
//	FailActLate                       (waits, whether or not the caller is there)
//	known path, wrong method       -> 405 + Allow
//	authentication                 -> 401
//	JSON body                      -> 400 when malformed
//	handler                        -> 404 unknown or non-numeric id, 422, ...
//	FailNext fault that acts       -> the answer is replaced: 500, a dropped or
//	                                  reset connection, a mangled 2xx
//
// Validation failures (422) always carry the top-level message
// "The given data was invalid." (the rule of most samples of the document);
// business-rule 422s (deleting a customer with accounts, a project with
// customers) carry their documented message. Each invalid field reports one
// message: the first rule it fails.
package mockapi

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	// PathPrefix is the path under which every endpoint is served.
	PathPrefix = "/v4_1"

	// ResellerUserID is the reseller's own id, reported as user_id on
	// customers and projects.
	ResellerUserID = 3595

	defaultToken        = "test-token"
	defaultBalance      = "253.70"
	defaultAccountPrice = "0.00"
	defaultMaxPerPage   = 100
	maxBodyBytes        = 1 << 20
)

// Options configures a Server. The zero value is usable.
type Options struct {
	Token        string // bearer token accepted; "" means "test-token"
	Balance      string // initial profile balance, decimal string; "" means "253.70"
	AccountPrice string // charged from balance on each account create; "" means "0.00"
	MaxPerPage   int    // cap on per_page for paginated lists; 0 means 100
}

// Server is the in-memory API. Create it with New.
type Server struct {
	token      string
	maxPerPage int
	now        func() time.Time // wall clock; called (and replaced in tests) only under mu
	patterns   []*pattern

	mu             sync.Mutex // guards everything below up to kmu
	balance        int64      // cents
	price          int64      // cents
	accounts       map[int]*account
	usernames      map[string]int // username -> account id
	nextAccountID  int
	customers      map[int]*customer
	emails         map[string]int // emailKey(email) -> customer id
	nextCustomerID int
	projects       map[int]*project
	nextProjectID  int
	ips            ipPool
	servers        []server
	ports          []port

	kmu sync.Mutex // guards the knobs below
	knobs
}

// New returns a Server seeded with the documented servers and ports and no
// projects, customers or accounts. It panics when Options.Balance or
// Options.AccountPrice is not a decimal amount (a programming error).
func New(opts Options) *Server {
	s := &Server{
		token:      opts.Token,
		maxPerPage: opts.MaxPerPage,
		now:        func() time.Time { return time.Now().UTC() },
		accounts:   map[int]*account{},
		usernames:  map[string]int{},
		customers:  map[int]*customer{},
		emails:     map[string]int{},
		projects:   map[int]*project{},
		ips:        newIPPool(),
	}
	if s.token == "" {
		s.token = defaultToken
	}
	if s.maxPerPage <= 0 {
		s.maxPerPage = defaultMaxPerPage
	}
	bal, price := opts.Balance, opts.AccountPrice
	if bal == "" {
		bal = defaultBalance
	}
	if price == "" {
		price = defaultAccountPrice
	}
	s.balance = mustMoney("Balance", bal)
	s.price = mustMoney("AccountPrice", price)
	s.servers = seedServers()
	s.ports = seedPorts()
	s.init()
	s.patterns = buildPatterns(s.routes())
	return s
}

// Token returns the bearer token the server accepts.
func (s *Server) Token() string { return s.token }

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

// reqCtx is what a handler sees.
type reqCtx struct {
	r        *http.Request
	id       string // raw {id} path segment
	body     input  // parsed JSON object body (empty for GET/DELETE or no body)
	authID   int    // account id authenticated by Basic auth
	authPass string // the password it authenticated with
}

// response is a handler's answer, written by ServeHTTP (or replaced by an
// acting FailNext fault).
type response struct {
	status int
	body   any    // JSON-encoded when raw is nil
	raw    []byte // verbatim body (configuration downloads)
	header http.Header
}

type errorBody struct {
	Message string              `json:"message"`
	Errors  map[string][]string `json:"errors,omitempty"`
	Code    int                 `json:"code"`
}

type dataBody struct {
	Data any `json:"data"`
	Code int `json:"code"`
}

type codeBody struct {
	Code int `json:"code"`
}

func errResp(status int, msg string) response {
	return response{status: status, body: errorBody{Message: msg, Code: status}}
}

func okData(status int, data any) response {
	return response{status: status, body: dataBody{Data: data, Code: status}}
}

func okCode() response {
	return response{status: http.StatusOK, body: codeBody{Code: http.StatusOK}}
}

func invalid(fe fieldErrors) response {
	return response{status: http.StatusUnprocessableEntity, body: errorBody{
		Message: "The given data was invalid.", Errors: fe, Code: http.StatusUnprocessableEntity}}
}

// unprocessable is a business-rule 422 whose message is also its only error.
func unprocessable(field, msg string) response {
	return response{status: http.StatusUnprocessableEntity, body: errorBody{
		Message: msg, Errors: map[string][]string{field: {msg}}, Code: http.StatusUnprocessableEntity}}
}

var (
	notFound         = errResp(http.StatusNotFound, "Not Found.")
	accountNotFound  = errResp(http.StatusNotFound, "Account not found.")
	customerNotFound = errResp(http.StatusNotFound, "Customer not found.")
	projectNotFound  = errResp(http.StatusNotFound, "Project not found.")
	badRequest       = errResp(http.StatusBadRequest, "Bad Request.")
	forbidden        = errResp(http.StatusForbidden, "Forbidden.")
	serverError      = errResp(http.StatusInternalServerError, "Server Error.")
	unavailable      = errResp(http.StatusServiceUnavailable, "Service Unavailable.")
)

func unauthorized(kind authKind) response {
	r := errResp(http.StatusUnauthorized, "Unauthorized.")
	r.header = http.Header{}
	if kind == authBasic {
		r.header.Set("WWW-Authenticate", `Basic realm="VPNresellers"`)
	} else {
		r.header.Set("WWW-Authenticate", "Bearer")
	}
	return r
}

func tooManyAttempts(retryAfter int) response {
	r := errResp(http.StatusTooManyRequests, "Too Many Attempts.")
	r.header = http.Header{}
	r.header.Set("Retry-After", fmt.Sprint(retryAfter))
	return r
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.enter()
	defer s.leave()
	rest, ok := strings.CutPrefix(r.URL.Path, PathPrefix)
	if !ok || !strings.HasPrefix(rest, "/") {
		writeResponse(w, notFound)
		return
	}
	m, ok := s.match(r.Method, rest)
	if !ok {
		writeResponse(w, notFound)
		return
	}
	s.count(m.key)
	if f := s.takeInterceptor(r.Method+" "+rest, m.key); f != nil {
		f(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serveMatched(w, r, m) }), w, r)
		return
	}
	s.serveMatched(w, r, m)
}

// serveMatched runs the processing order after the count for a request
// matched to m.
func (s *Server) serveMatched(w http.ResponseWriter, r *http.Request, m matchResult) {
	// The body is received before the latency, as a real server would, which
	// also lets net/http notice a client that goes away during the sleep.
	raw, rawErr := receiveBody(r)
	if !s.sleep(r.Context()) {
		return // the caller has gone away; do nothing
	}
	if ok, retry := s.allowRate(); !ok {
		writeResponse(w, tooManyAttempts(retry))
		return
	}
	mode, faulty := s.takeFailure(m.key)
	switch {
	case !faulty:
		if s.randomFailure() {
			writeResponse(w, serverError)
			return
		}
	case !mode.acts():
		writeResponse(w, s.refusal(mode))
		return
	case mode == FailActLate:
		s.actLate()
	}
	resp := s.handle(r, m, raw, rawErr)
	if faulty {
		deliverFault(w, mode, resp)
		return
	}
	writeResponse(w, resp)
}

// handle runs the steps from "known path, wrong method" to "handler" of the
// processing order.
func (s *Server) handle(r *http.Request, m matchResult, raw []byte, rawErr error) response {
	if m.route == nil {
		resp := errResp(http.StatusMethodNotAllowed, "Method Not Allowed.")
		resp.header = http.Header{"Allow": {strings.Join(m.allow, ", ")}}
		return resp
	}
	rc := &reqCtx{r: r, id: m.id}
	switch m.route.auth {
	case authBearer:
		if !s.bearerOK(r) {
			return unauthorized(authBearer)
		}
	case authBasic:
		id, pass, ok := s.basicAccount(r)
		if !ok {
			return unauthorized(authBasic)
		}
		rc.authID, rc.authPass = id, pass
	}
	body, err := parseBody(raw, rawErr)
	if err != nil {
		return badRequest
	}
	rc.body = body
	return m.route.handle(rc)
}

func (s *Server) bearerOK(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	tok = strings.TrimSpace(tok)
	return subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) == 1
}

// basicAccount authenticates an account by its own username and password.
func (s *Server) basicAccount(r *http.Request) (int, string, bool) {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return 0, "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountByUsernameLocked(user)
	if a == nil || subtle.ConstantTimeCompare([]byte(a.password), []byte(pass)) != 1 {
		return 0, "", false
	}
	return a.id, pass, true
}

var errBadBody = errors.New("malformed JSON body")

// receiveBody reads a POST/PUT body (at most 1 MiB); other methods' bodies
// are ignored.
func receiveBody(r *http.Request) ([]byte, error) {
	if r.Method != http.MethodPost && r.Method != http.MethodPut || r.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil || len(data) > maxBodyBytes {
		return nil, errBadBody
	}
	return data, nil
}

// parseBody parses a body as a JSON object. An absent or blank body is an
// empty object; anything that is not a single JSON object is an error.
func parseBody(data []byte, readErr error) (input, error) {
	if readErr != nil {
		return nil, readErr
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return input{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errBadBody
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errBadBody
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errBadBody
	}
	return input(obj), nil
}

func writeResponse(w http.ResponseWriter, resp response) {
	h := w.Header()
	for k, vs := range resp.header {
		h[k] = vs
	}
	if resp.raw != nil {
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "text/plain; charset=utf-8")
		}
		w.WriteHeader(resp.status)
		_, _ = w.Write(resp.raw)
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(resp.body); err != nil {
		buf.Reset()
		resp.status = http.StatusInternalServerError
		_ = enc.Encode(errorBody{Message: "Server Error.", Code: http.StatusInternalServerError})
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	_, _ = w.Write(buf.Bytes())
}

// Len reports how many projects, customers and accounts exist.
func (s *Server) Len() (projects, customers, accounts int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.projects), len(s.customers), len(s.accounts)
}

// Objects is what the server holds, by id: a test's view for checking that
// exactly the expected objects exist.
type Objects struct {
	Projects  map[int]string // id -> name
	Customers map[int]string // id -> email
	Accounts  map[int]string // id -> username
}

// Objects returns a snapshot of every project, customer and account.
func (s *Server) Objects() Objects {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := Objects{Projects: map[int]string{}, Customers: map[int]string{}, Accounts: map[int]string{}}
	for id, p := range s.projects {
		o.Projects[id] = p.name
	}
	for id, c := range s.customers {
		o.Customers[id] = c.email
	}
	for id, a := range s.accounts {
		o.Accounts[id] = a.username
	}
	return o
}
