package provider

import (
	"fmt"
	"testing"
)

// The refreshes of many single resources of one run are served from the
// account list's pages once that is cheaper than a GET each
// (client.ReadAccount), and stay GETs when the list is large and the
// resources few.
func TestResourceAccount_refreshByPages(t *testing.T) {
	for _, tc := range []struct {
		mine, others, maxCalls int
	}{
		{mine: 200, others: 800, maxCalls: 30},
		{mine: 5, others: 19995, maxCalls: 10},
	} {
		t.Run(fmt.Sprintf("%d among %d", tc.mine, tc.mine+tc.others), func(t *testing.T) {
			env := newTestEnv(t)
			env.mock.SeedAccounts(tc.others, "other-")
			w := newCLIWorkspace(t)
			w.Write("main.tf", env.providerBlock("")+fmt.Sprintf(`
resource "vpnresellers_account" "a" {
  count    = %d
  username = "mine-${count.index}"
  password = "password-${count.index}"
}
`, tc.mine))
			w.MustRun(nil, "init", "-no-color")
			w.MustRun(nil, "apply", "-auto-approve", "-no-color")
			env.mock.ResetCounts()
			w.MustRun(nil, "plan", "-detailed-exitcode", "-no-color") // exit 2 (changes) fails
			calls := 0
			for _, n := range env.mock.Counts() {
				calls += n
			}
			t.Logf("no-change plan of %d accounts among %d: %d API calls %v", tc.mine, tc.mine+tc.others, calls, env.mock.Counts())
			if calls > tc.maxCalls {
				t.Errorf("the plan made %d API calls, want at most %d", calls, tc.maxCalls)
			}
		})
	}
}
