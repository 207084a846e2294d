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
	"net/http"
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

// anyObject reports whether one of the objects of m is such that f holds.
func anyObject[T any](m map[int]*T, f func(*T) bool) bool {
	for _, o := range m {
		if f(o) {
			return true
		}
	}
	return false
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
