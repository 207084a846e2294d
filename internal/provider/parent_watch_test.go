package provider

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

func TestParentWatch_cancelsWhenReparented(t *testing.T) {
	var ppid atomic.Int64
	ppid.Store(4242)
	gone := make(chan struct{})
	ctx := watchParent(func() int { return int(ppid.Load()) }, time.Millisecond, func() { close(gone) })
	select {
	case <-ctx.Done():
		t.Fatal("cancelled while the parent is there")
	case <-time.After(20 * time.Millisecond):
	}
	ppid.Store(1) // re-parented to init: Terraform is gone
	select {
	case <-gone:
	case <-time.After(10 * time.Second):
		t.Fatal("gone was not called")
	}
	if ctx.Err() == nil {
		t.Fatal("the context is not cancelled when gone runs")
	}
}

func TestParentWatch_notWatchedUnderInit(t *testing.T) {
	calls := 0
	ctx := watchParent(func() int { calls++; return 1 }, time.Millisecond, func() { t.Error("gone called") })
	time.Sleep(10 * time.Millisecond)
	if ctx.Err() != nil || calls != 1 {
		t.Fatalf("err %v, %d calls", ctx.Err(), calls)
	}
}

// Terraform killed with SIGKILL while its provider process has 20 account
// creates in flight on a slow API, half of them answered 503 (so they go on
// looking and retrying): the provider notices, aborts them,
// sends nothing more and exits. The next plan names what the killed one
// left behind and the import of each, writes nothing, and following it
// finishes without a duplicate.
func TestParentWatch_terraformKilled(t *testing.T) {
	const accounts = 20
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.UseProviderBinary()
	// All 20 creates in flight at once: max_parallel_requests bounds the
	// provider's requests in flight.
	w.Write("main.tf", env.providerBlock(fmt.Sprintf("max_parallel_requests = %d", accounts))+fmt.Sprintf(`
resource "vpnresellers_account" "a" {
  count    = %d
  username = "killed-${count.index}"
  password = "secret-1"
}
`, accounts))
	w.MustRun(nil, "plan", "-out=tfplan", "-no-color")

	// Every request takes 6 s, and is carried out even when its caller has
	// gone; the first half of the POSTs are answered 503 without acting, so
	// their creates go on looking and retrying: a create already sent goes
	// on settling (its cancel grace) after Terraform is gone, and its lookup
	// would reach the API 6 s after the kill.
	env.mock.SetLatency(6 * time.Second)
	env.mock.SetActOnDisconnect(true)
	env.mock.FailNext("POST /accounts", accounts/2, mockapi.FailBefore)
	cmd, out, stop := w.Start([]string{"TF_CLI_ARGS_apply=-parallelism=" + fmt.Sprint(accounts)}, "apply", "-no-color", "tfplan")
	defer stop()
	deadline := time.Now().Add(60 * time.Second)
	var providers []int
	for env.mock.Count("POST /accounts") < accounts {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("the creates did not reach the API:\n%s%s", out.stdout.String(), out.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	providers = childProcesses(t, cmd.Process.Pid)
	if len(providers) == 0 {
		t.Fatal("terraform has no provider process")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	_ = cmd.Wait()
	inFlight := env.mock.Count("POST /accounts") + env.mock.Count("GET /un/accounts/show")

	// The bound is 5 s; look past it, and past the in-flight POSTs' latency.
	time.Sleep(8 * time.Second)
	last := env.mock.LastRequest()
	t.Logf("the last request reached the API %v after the kill", last.Sub(killed).Round(time.Millisecond))
	if last.After(killed.Add(5 * time.Second)) {
		t.Errorf("a request reached the API %v after terraform was killed", last.Sub(killed).Round(time.Millisecond))
	}
	for _, pid := range providers {
		if alive(pid) {
			t.Errorf("provider process %d is still running %v after terraform was killed", pid, time.Since(killed).Round(time.Millisecond))
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	made := env.mock.Objects().Accounts
	t.Logf("%d POST and lookup requests reached the API; %d accounts were made", inFlight, len(made))
	if len(made) == 0 {
		t.Fatal("the killed apply made no account, so nothing was left unsettled")
	}

	// The next plan: no latency, no faults. The killed apply recorded
	// nothing, so nothing proves the accounts it made to be this state's
	// (a copy of this workspace with the same password would make the same
	// ones): the plan fails, naming each and the import that takes it, and
	// writes nothing. Doing exactly that converges: exactly the configured
	// accounts exist, none made twice.
	env.mock.SetLatency(0)
	env.mock.FailNext("POST /accounts", 0, mockapi.FailBefore)
	env.resetCalls()
	r := w.Run(nil, "plan", "-no-color")
	if r.Err == nil {
		t.Fatalf("the plan after the kill passed:\n%s", r.Output())
	}
	var imports strings.Builder
	for _, username := range made {
		mentions(t, r.Output(), fmt.Sprintf(`id = "username:%s"`, username))
		var i int
		if _, err := fmt.Sscanf(username, "killed-%d", &i); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&imports, "import {\n  to = vpnresellers_account.a[%d]\n  id = %q\n}\n", i, "username:"+username)
	}
	if err := env.expectNoWrites(); err != nil {
		t.Error(err)
	}
	w.Write("imports.tf", imports.String())
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	mustPlanEmpty(t, w)
	checkExactly(t, env, w, noObjects(), 0, 0, accounts)
}

// childProcesses returns the ids of pid's child processes (Linux /proc).
func childProcesses(t *testing.T, pid int) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	var kids []int
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, _ := procStat(n); ppid == pid {
			kids = append(kids, n)
		}
	}
	return kids
}

// procStat returns a process's parent id and state letter ("" when it does
// not exist).
func procStat(pid int) (int, string) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, ""
	}
	// pid (comm) state ppid ...: comm may hold spaces and parentheses.
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(fields) < 2 {
		return 0, ""
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid, fields[0]
}

// alive reports whether pid runs (a zombie has exited).
func alive(pid int) bool {
	_, state := procStat(pid)
	return state != "" && state != "Z"
}
