package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// proxy is what a reverse proxy between the provider and the API does, as
// an interceptor on the mock (newProxiedTestEnv): it can answer some
// requests with its own HTML 404 page, an empty object or a page quoting
// the request, or reorder lists.
type proxy struct {
	mu     sync.Mutex
	notFor *regexp.Regexp // "METHOD /path" requests it answers 404 itself
	empty  *regexp.Regexp // requests it answers {"data":{},"code":200}
	// reverse makes it reverse the `data` list of every list answer, as an
	// API that lists in another order than by id would.
	reverse bool
	// echo: requests it answers echoStatus with a page quoting the request
	// (see echoRequests).
	echo       *regexp.Regexp
	echoStatus int
}

// echoRequests makes the proxy answer the "METHOD /path" requests matching
// pattern ("" for none) with status and the API's JSON error shape, whose
// message and (for a 422) field error quote the request's headers and body,
// as sent and as a JSON string with PHP's `\/`, the way a framework's debug
// page (Laravel's) does. A GET is carried out and the mock's answer quoted
// too; nothing else is carried out.
func (p *proxy) echoRequests(pattern string, status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.echo, p.echoStatus = nil, status
	if pattern != "" {
		p.echo = regexp.MustCompile(pattern)
	}
}

// echoPage writes the page echoRequests describes.
func echoPage(m http.Handler, w http.ResponseWriter, r *http.Request, status int) {
	body, _ := io.ReadAll(r.Body)
	var answer string
	if r.Method == http.MethodGet {
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		answer = rec.Body.String()
	}
	var headers []string
	for name, values := range r.Header {
		headers = append(headers, name+": "+strings.Join(values, ", "))
	}
	slices.Sort(headers)
	quoted, _ := json.Marshal(string(body) + answer)
	php := strings.ReplaceAll(string(quoted), "/", `\/`)
	page := map[string]any{
		"message": fmt.Sprintf("Whoops! %s %s. Headers: %s. Body: %s. Answer: %s. As JSON: %s",
			r.Method, r.URL, strings.Join(headers, "; "), body, answer, php),
		"code": status,
	}
	if status == http.StatusUnprocessableEntity {
		page["errors"] = map[string][]string{"password": {"The password in " + string(body) + " (" + php + ") is not valid."}}
	}
	b, _ := json.Marshal(page)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (p *proxy) fail(pattern string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pattern == "" {
		p.notFor = nil
		return
	}
	p.notFor = regexp.MustCompile(pattern)
}

func (p *proxy) answerEmpty(pattern string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.empty = nil
	if pattern != "" {
		p.empty = regexp.MustCompile(pattern)
	}
}

// newProxiedTestEnv is newTestEnv with a proxy's behaviours on the mock.
func newProxiedTestEnv(t *testing.T) (*testEnv, *proxy) {
	t.Helper()
	env, p := newTestEnv(t), &proxy{}
	env.intercept(p.serve)
	return env, p
}

// serve is the proxy's handling of one request (an interceptor).
func (p *proxy) serve(_ string, w http.ResponseWriter, r *http.Request, m http.Handler) {
	p.mu.Lock()
	re, empty := p.notFor, p.empty
	echo, echoStatus := p.echo, p.echoStatus
	p.mu.Unlock()
	if echo != nil && echo.MatchString(r.Method+" "+r.URL.Path) {
		echoPage(m, w, r, echoStatus)
		return
	}
	if empty != nil && empty.MatchString(r.Method+" "+r.URL.Path) {
		m.ServeHTTP(httptest.NewRecorder(), r) // the API acts; the answer is lost
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":{},"code":200}`)
		return
	}
	if re != nil && re.MatchString(r.Method+" "+r.URL.Path) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>")
		return
	}
	if !p.reverse {
		m.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, r)
	var body map[string]json.RawMessage
	var list []json.RawMessage
	if json.Unmarshal(rec.Body.Bytes(), &body) == nil && json.Unmarshal(body["data"], &list) == nil {
		slices.Reverse(list)
		body["data"], _ = json.Marshal(list)
		b, _ := json.Marshal(body)
		rec.Body = bytes.NewBuffer(b)
	}
	for k, v := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// expectNoWrites checks that, since the last resetCalls, the mock served
// only GET requests.
func (e *testEnv) expectNoWrites() error {
	for route, n := range e.mock.Counts() {
		if n > 0 && !strings.HasPrefix(route, "GET ") {
			return fmt.Errorf("the API was written to: %s called %d times (all: %s)", route, n, formatCalls(e.mock.Counts()))
		}
	}
	return nil
}

// mustNoWrites is expectNoWrites for a PreConfig.
func (e *testEnv) mustNoWrites() {
	e.t.Helper()
	if err := e.expectNoWrites(); err != nil {
		e.t.Fatal(err)
	}
}

// Only the API's own "Account not found." removes an object from state: a
// proxy's HTML 404 on one object, and a base_url that makes every path 404,
// fail the plan and change nothing, neither state nor API. A proxy's 404 on
// a DELETE is an error too, not "already deleted".
func TestResource_onlyTheAPIsOwnNotFoundRemoves(t *testing.T) {
	env, px := newProxiedTestEnv(t)
	cfg := env.config(accountConfig("ann", `password = "secret-1"`))
	wrongBase := strings.Replace(cfg, env.url, strings.TrimSuffix(env.url, "/v4_1"), 1)
	same := func(preConfig func()) resource.TestStep {
		// The same configuration plans no change: nothing was forgotten.
		return resource.TestStep{PreConfig: preConfig, Config: cfg, PlanOnly: true}
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkEmpty,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig:   func() { env.resetCalls(); px.fail(`^GET /v4_1/accounts/\d+$`) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Unable to read account 1.*404`),
			},
			same(func() { px.fail(""); env.mustNoWrites() }),
			{
				PreConfig:   func() { env.resetCalls(); px.fail(`^GET /v4_1/projects/\d+$`) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Unable to read project 1.*404`),
			},
			same(func() { px.fail(""); env.mustNoWrites() }),
			{
				// base_url without /v4_1: every path is a 404.
				PreConfig:   env.resetCalls,
				Config:      wrongBase,
				ExpectError: regexp.MustCompile(`(?s)Unable to read .*404`),
			},
			same(func() {
				env.mustNoWrites()
				if err := env.holds(1, 1, 1); err != nil {
					t.Fatal(err)
				}
			}),
			{
				// The account leaves the configuration, but its DELETE meets
				// the proxy's 404: an error, and the account stays in state.
				PreConfig:   func() { px.fail(`^DELETE /v4_1/accounts/\d+$`) },
				Config:      env.config(accountParents),
				ExpectError: regexp.MustCompile(`(?s)Unable to delete account 1.*404`),
			},
			{
				PreConfig: func() {
					px.fail("")
					if err := env.holds(-1, -1, 1); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(accountParents),
				Check:  env.accountCount(0),
			},
		},
	})
}

// The list data sources sort by id, as documented, whatever order the API
// lists in.
func TestDataSource_listsSortedByID(t *testing.T) {
	env, px := newProxiedTestEnv(t)
	px.reverse = true
	p1, p2 := env.mock.SeedProject("A", "a"), env.mock.SeedProject("B", "b")
	env.mock.SeedCustomer(p1, "A", "A", "a@example.com")
	env.mock.SeedCustomer(p2, "B", "B", "b@example.com")
	env.mock.SeedAccounts(3, "sorted")
	ascending := func(addr, list string, n int) resource.TestCheckFunc {
		checks := []resource.TestCheckFunc{resource.TestCheckResourceAttr(addr, list+".#", fmt.Sprint(n))}
		for i := range n {
			checks = append(checks, resource.TestCheckResourceAttr(addr, fmt.Sprintf("%s.%d.id", list, i), fmt.Sprint(i+1)))
		}
		return resource.ComposeTestCheckFunc(checks...)
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(`
data "vpnresellers_projects" "all" {}
data "vpnresellers_customers" "all" {}
data "vpnresellers_accounts" "all" {}
`),
			Check: resource.ComposeTestCheckFunc(
				ascending("data.vpnresellers_projects.all", "projects", 2),
				ascending("data.vpnresellers_customers.all", "customers", 2),
				ascending("data.vpnresellers_accounts.all", "accounts", 3),
			),
		}},
	})
}

// An answer with an empty object is never taken for the object: a refresh
// that gets one fails and keeps the state, a create that gets one records
// nothing with id 0.
func TestResource_emptyAnswerIsNotAnObject(t *testing.T) {
	env, px := newProxiedTestEnv(t)
	cfg := env.config(accountConfig("eve", `password = "secret-1"`))
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig:   func() { px.answerEmpty(`^GET /v4_1/accounts/\d+$`) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Unable to read account.*malformed`),
			},
			{
				PreConfig: func() { px.answerEmpty("") },
				Config:    cfg,
				PlanOnly:  true,
			},
			{
				// The create acted but its answer is empty: the client finds
				// the project this request made (newer than any before it)
				// and records that, never an id-0 object and never a second
				// project.
				PreConfig: func() { px.answerEmpty(`^POST /v4_1/projects$`) },
				Config:    cfg + `resource "vpnresellers_project" "q" {` + "\n" + `name = "q"` + "\n" + `description = "q"` + "\n}",
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vpnresellers_project.q", tfjsonpath.New("id"), knownvalue.Int64Exact(2)),
				},
				Check: func(*terraform.State) error { return env.holds(2, -1, -1) },
			},
		},
	})
}

// adoptGenerated adopts every object of the mock with `terraform query
// -generate-config-out` and one apply: a configuration that refers to
// objects by literal id, as generated ones do. extra is added to the
// generated customers and projects.
func adoptGenerated(t *testing.T, env *testEnv, w *cliWorkspace, extra string) {
	t.Helper()
	w.Write("main.tf", env.providerBlock(""))
	w.Write("adopt.tfquery.hcl", `
list "vpnresellers_project" "all" {
  provider = vpnresellers
  limit    = 1000
}
list "vpnresellers_customer" "all" {
  provider = vpnresellers
  limit    = 1000
}
list "vpnresellers_account" "all" {
  provider = vpnresellers
  limit    = 1000
}
`)
	w.MustRun(nil, "init", "-no-color")
	w.MustRun(nil, "query", "-no-color", "-generate-config-out=generated.tf")
	w.Write("adopt.tfquery.hcl", "")
	gen := w.Read("generated.tf")
	if extra != "" {
		gen = regexp.MustCompile(`(resource "vpnresellers_(customer|project)" "[^"]+" \{)`).ReplaceAllString(gen, "$1\n"+extra)
	}
	w.Write("generated.tf", gen)
	env.resetCalls()
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	total := 0
	for _, n := range env.mock.Counts() {
		total += n
	}
	t.Logf("the apply importing the generated configuration made %d calls: %v", total, env.mock.Counts())
}

// One terraform destroy deletes a generated configuration of 31 objects, a
// project, its 5 customers and their 25 accounts, although nothing orders
// the deletes: the customers' and the
// project's deletes, refused while accounts (customers) are still being
// deleted, are retried.
func TestDestroy_literalIDsOrderThemselves(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.skipBelow("1.14.0")
	makeOutside(t, env, 1, 5, 5, 0)
	adoptGenerated(t, env, w, "")
	env.resetCalls()
	out := w.MustRun(nil, "destroy", "-auto-approve", "-no-color").Stdout
	if !strings.Contains(out, "Destroy complete! Resources: 31 destroyed.") {
		t.Fatalf("destroy:\n%s", out)
	}
	if err := env.checkEmpty(nil); err != nil {
		t.Fatal(err)
	}
	c := env.mock.Counts()
	if c["DELETE /accounts/{id}"] != 25 || c["DELETE /customers/{id}"] < 5 || c["DELETE /projects/{id}"] < 1 {
		t.Errorf("deletes: %d accounts, %d customers, %d projects; want 10, at least 3, at least 1",
			c["DELETE /accounts/{id}"], c["DELETE /customers/{id}"], c["DELETE /projects/{id}"])
	}
	t.Logf("destroy of 31 objects: DELETE accounts %d, customers %d, projects %d",
		c["DELETE /accounts/{id}"], c["DELETE /customers/{id}"], c["DELETE /projects/{id}"])
}

// An account nobody deletes keeps its customer (and so the project): the
// delete waits no longer than the timeouts block's delete, touches the
// account never, and fails naming it.
func TestDestroy_dependentNobodyDeletes(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.skipBelow("1.14.0")
	f := makeOutside(t, env, 1, 2, 2, 0)
	adoptGenerated(t, env, w, `  timeouts {
    delete = "2s"
  }`)
	if _, err := env.client.CreateAccount(env.ctx(), client.CreateAccountRequest{Username: "handmade", Password: "s3cret-pass",
		Customer: &client.AccountCustomer{CustomerID: f.customers[0].ID}}); err != nil {
		t.Fatal(err)
	}
	env.resetCalls()
	r := w.Run(nil, "destroy", "-auto-approve", "-no-color")
	out := strings.Join(strings.Fields(r.Output()), " ")
	if r.Err == nil {
		t.Fatalf("the destroy succeeded:\n%s", out)
	}
	for _, want := range []string{
		fmt.Sprintf("Unable to delete customer %d", f.customers[0].ID),
		"Unable to delete a customer that has accounts.",
		"waited 2s (timeouts.delete)",
		"its accounts still there (1): handmade (id",
		"none of them was touched",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the destroy's output lacks %q:\n%s", want, out)
		}
	}
	c := env.mock.Counts()
	if c["DELETE /customers/{id}"] < 2 { // the other customer once, this one at least once
		t.Errorf("DELETE /customers/{id} called %d times", c["DELETE /customers/{id}"])
	}
	if c["DELETE /accounts/{id}"] != 4 {
		t.Errorf("DELETE /accounts/{id} called %d times, want 4 (the managed accounts)", c["DELETE /accounts/{id}"])
	}
	if _, cs, as := env.mock.Len(); cs != 1 || as != 1 {
		t.Errorf("after the destroy: %d customers, %d accounts; want the hand-made account and its customer", cs, as)
	}
	t.Logf("failed destroy: DELETE customers %d, projects %d", c["DELETE /customers/{id}"], c["DELETE /projects/{id}"])
}
