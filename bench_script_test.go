package main

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// `make bench-terraform` is a benchmark, not a test, but what it prints is
// the evidence: each layout runs here once at the smallest size,
// with the mock at no latency, and the table must have every phase with the
// floors the layout declares (terraform_data and the no-call provider; the
// same-schema resources beside the single resources, the directly served
// no-call fleet beside the fleet) and Terraform's own CPU. No figure is
// compared: the timings belong to the benchmark.
func TestBench_everyLayoutPrintsItsFloors(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs Terraform: set TF_ACC=1 (make test does)")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no terraform on PATH and TF_ACC_TERRAFORM_PATH unset")
		}
	}
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the benchmark script needs %s", tool)
		}
	}
	for _, c := range []struct {
		mode    string
		columns []string
	}{
		{"graph", []string{"tf_data_s", "noop_s", "snoop_s", "prov/slim", "limit_s", "tf_c:prov/base/d"}},
		{"accounts", []string{"tf_data_s", "noop_s", "snoop_s", "prov/slim", "limit_s", "tf_c:prov/base/d"}},
		{"fleet", []string{"tf_data_s", "noop_s", "dnoop_s", "limit_s", "tf_c:prov/base/d"}},
	} {
		t.Run(c.mode, func(t *testing.T) {
			cmd := exec.Command("bash", "tools/bench/terraform.sh")
			cmd.Env = append(os.Environ(), "TF_ACC_TERRAFORM_PATH="+tf, "MODE="+c.mode, "N=2", "LATENCY=0", "REPEAT=1",
				"CHECKPOINT_DISABLE=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("tools/bench/terraform.sh MODE=%s: %v\n%s", c.mode, err, out)
			}
			rows := map[string][]string{}
			var header []string
			for _, line := range strings.Split(string(out), "\n") {
				f := strings.Fields(line)
				switch {
				case len(f) > 0 && f[0] == "phase":
					header = f
				case len(f) > 0 && (f[0] == "apply" || f[0] == "plan" || f[0] == "destroy") && header != nil:
					rows[f[0]] = f
				}
			}
			for _, col := range c.columns {
				if !slices.Contains(header, col) {
					t.Errorf("MODE=%s: no column %s in %q", c.mode, col, header)
				}
			}
			for _, phase := range []string{"apply", "plan", "destroy"} {
				r, ok := rows[phase]
				if !ok {
					t.Errorf("MODE=%s: no %s row in:\n%s", c.mode, phase, out)
					continue
				}
				// Every column up to the calls by route has a figure, and
				// Terraform's own CPU has one for each of its three runs.
				if len(r) < len(header)-3 {
					t.Errorf("MODE=%s: the %s row has %d fields for %d columns: %q", c.mode, phase, len(r), len(header), r)
					continue
				}
				if i := slices.Index(header, "tf_c:prov/base/d"); i >= 0 && !threeFigures.MatchString(r[i]) {
					t.Errorf("MODE=%s: the %s row's Terraform CPU is %q, not three figures", c.mode, phase, r[i])
				}
			}
		})
	}
}

var threeFigures = regexp.MustCompile(`^[0-9.]+/[0-9.]+/[0-9.]+$`)
