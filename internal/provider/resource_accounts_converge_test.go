package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// vpnresellers_accounts: first applies that stop partway (faults, SIGINT,
// a partial failure) converge by doing what the messages say.

// convergedFleet checks that the API holds exactly the n configured
// accounts, each in state once, and the hand-made ones untouched.
func convergedFleet(t *testing.T, env *testEnv, w *cliWorkspace, hand []int, n int) {
	t.Helper()
	byHand := noObjects()
	for i, id := range hand {
		byHand.Accounts[id] = fmt.Sprintf("handmade%d", i+1)
	}
	checkExactly(t, env, w, byHand, 0, 0, n)
}

// A 300-entry first apply with max_retries = 1, 30% of requests failing
// and 10% of the creates' answers lost converges in at most two plain
// applies: no untaint, no state rm, no duplicate, hand-made accounts
// untouched.
func TestResourceAccounts_faultyFirstApplyConverges(t *testing.T) {
	const n = 300
	env := newTestEnv(t)
	hand := env.mock.SeedAccounts(3, "handmade")
	w := faultWorkspace(t, env, "max_retries = 1", fleetOf(
		fmt.Sprintf(`{ for i in range(%d) : format("fleet-%%04d", i) => {} }`, n), ""))
	w.skipBelow("1.11.0") // passwords_wo
	w.MustRun(nil, "plan", "-out=tfplan", "-no-color")
	env.mock.SetFailureRate(0.3)
	env.mock.FailNext("POST /accounts", n/10, mockapi.FailDropAfter)
	r := w.Run(nil, "apply", "-auto-approve", "-no-color", "tfplan")
	env.mock.SetFailureRate(0)
	env.mock.FailNext("POST /accounts", 0, mockapi.FailDropAfter)
	made := len(env.mock.Objects().Accounts) - len(hand)
	t.Logf("faulty apply (%v): %d of %d accounts made, %d in state", r.Err, made, n, len(stateObjects(t, w).Accounts))
	if made == n && len(stateObjects(t, w).Accounts) == n {
		t.Fatalf("the faults did nothing, so nothing was tested:\n%s", r.Output())
	}
	if strings.Contains(r.Output(), "tainted") {
		t.Errorf("the faulty first apply tainted the fleet:\n%s", r.Output())
	}
	for _, out := range converge(t, w, 2) {
		if strings.Contains(out, "already exists") || strings.Contains(out, "untaint") {
			t.Errorf("an apply needed more than a plain re-run:\n%s", out)
		}
	}
	t.Logf("after converging: %d unfinished creates settled by their record (GET /un/accounts/show)",
		env.mock.Count("GET /un/accounts/show"))
	convergedFleet(t, env, w, hand, n)
}

// An interrupted first apply (SIGINT while creates are in flight, on an
// API that carries a request out after its caller has gone) converges in
// at most two plain applies.
func TestResourceAccounts_interruptedFirstApplyConverges(t *testing.T) {
	const n = 40
	env := newTestEnv(t)
	hand := env.mock.SeedAccounts(2, "handmade")
	w := faultWorkspace(t, env, "", fleetOf(
		fmt.Sprintf(`{ for i in range(%d) : format("ctrl-c-%%02d", i) => {} }`, n), ""))
	w.skipBelow("1.11.0") // passwords_wo
	interruptApply(t, env, w, "POST /accounts", 6)
	env.mock.SetLatency(0)
	env.mock.SetActOnDisconnect(false)
	t.Logf("interrupted apply: %d accounts on the API, %d in state", len(env.mock.Objects().Accounts)-len(hand),
		len(stateObjects(t, w).Accounts))
	for _, o := range converge(t, w, 2) {
		if regexp.MustCompile(`already exists|untaint|state rm`).MatchString(o) {
			t.Errorf("an apply needed more than a plain re-run:\n%s", o)
		}
	}
	t.Logf("after converging: %d unfinished creates settled by their record (GET /un/accounts/show)",
		env.mock.Count("GET /un/accounts/show"))
	convergedFleet(t, env, w, hand, n)
}

// After a partial failure of an apply that grows the fleet (creates whose
// answers are lost, and whose settling look-ups fail too), doing exactly
// what the error says, running terraform apply again, converges: the
// accounts that were made are proven ours and adopted, none made twice.
func TestResourceAccounts_partialFailureAdviceConverges(t *testing.T) {
	env := newTestEnv(t)
	hand := env.mock.SeedAccounts(1, "handmade")
	cfg := func(n int) string {
		return fleetOf(fmt.Sprintf(`{ for i in range(%d) : format("grow-%%02d", i) => {} }`, n), "")
	}
	w := faultWorkspace(t, env, "max_retries = 0", cfg(5))
	w.skipBelow("1.11.0") // passwords_wo
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	w.Write("main.tf", env.providerBlock("max_retries = 0")+cfg(20))
	env.mock.FailNext("POST /accounts", 6, mockapi.FailDropAfter)
	env.mock.FailNext("GET /un/accounts/show", 6, mockapi.FailBefore)
	r := apply(w)
	if r.Err == nil {
		t.Fatalf("the apply with lost answers succeeded, so nothing was tested:\n%s", r.Output())
	}
	mentions(t, r.Output(), "Error: Unable to apply", "run terraform apply again to retry only these accounts",
		"the API did not confirm whether it was created")
	env.resetCalls()
	r = apply(w) // what the error says
	if r.Err != nil {
		t.Fatalf("running terraform apply again, as the error says, failed:\n%s", r.Output())
	}
	mentions(t, r.Output(), "created by an earlier apply will be taken into state")
	if n := env.mock.Count("GET /un/accounts/show"); n == 0 {
		t.Errorf("no account was settled by its record, so the lost creates were not tested")
	}
	mustPlanEmpty(t, w)
	convergedFleet(t, env, w, hand, 20)
}
