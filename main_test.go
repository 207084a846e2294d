package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

// TestLogging_QuietUnlessAsked runs the built provider binary the way a
// debugger does (-debug, attached through TF_REATTACH_PROVIDERS), so that its
// stderr, where the SDK, the framework and tflog write their JSON log lines,
// is ours to read; Terraform itself drops those lines unless TF_LOG or
// TF_LOG_PROVIDER asks for them. Each case runs a plan that makes an API call
// (a data source) with a given set of log variables in the provider's
// environment.
func TestLogging_QuietUnlessAsked(t *testing.T) {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no terraform on PATH and TF_ACC_TERRAFORM_PATH unset")
		}
	}

	dir := t.TempDir()
	bin := filepath.Join(dir, "terraform-provider-vpnresellers")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	api := mockapi.New(mockapi.Options{Token: "secret-token-4242"})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	config := fmt.Sprintf(`
terraform {
  required_providers {
    vpnresellers = { source = "vpnresellers/vpnresellers" }
  }
}

provider "vpnresellers" {
  base_url = %q
  token    = "secret-token-4242"
}

data "vpnresellers_profile" "me" {}
`, srv.URL+mockapi.PathPrefix)
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}

	jsonLine := regexp.MustCompile(`(?m)^\{.*"@level":.*$`)
	for _, tc := range []struct {
		name  string
		env   []string
		quiet bool
	}{
		{name: "no log variables", quiet: true},
		{name: "only Terraform's own variables", env: []string{"TF_LOG_CORE=trace", "TF_LOG_PATH=" + filepath.Join(dir, "tf.log")}, quiet: true},
		{name: "TF_LOG=trace", env: []string{"TF_LOG=trace"}},
		{name: "TF_LOG_PROVIDER=debug", env: []string{"TF_LOG_PROVIDER=debug"}},
		{name: "TF_LOG_SDK_PROTO=trace", env: []string{"TF_LOG_SDK_PROTO=trace"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := api.Count("GET /profile")
			stderr := planWithDebugProvider(t, tf, bin, work, tc.env)
			if api.Count("GET /profile") == before {
				t.Fatal("the plan made no API call: nothing to log")
			}
			if strings.Contains(stderr, "secret-token-4242") {
				t.Error("the token appears in the provider's log")
			}
			if tc.quiet {
				if m := jsonLine.FindString(stderr); m != "" {
					t.Errorf("with no one listening the provider logged, e.g.:\n%s", m)
				}
				return
			}
			for _, want := range []string{
				`"@module":"sdk.proto"`,     // terraform-plugin-go
				`"@module":"sdk.framework"`, // terraform-plugin-framework
			} {
				if !strings.Contains(stderr, want) {
					t.Errorf("the provider's log lacks %s", want)
				}
			}
			// The provider's own line per API request.
			request := regexp.MustCompile(`(?m)^.*"@message":"API request".*$`).FindString(stderr)
			for _, want := range []string{`"method":"GET"`, `"path":"/v4_1/profile"`, `"status":200`, `"duration_ms":`} {
				if !strings.Contains(request, want) {
					t.Errorf("no API request line with %s in the provider's log; the line: %q", want, request)
				}
			}
		})
	}
}

// planWithDebugProvider starts bin with -debug and env (plus the current
// environment without its TF_LOG variables), runs terraform plan in work
// attached to it, stops it and returns what it wrote to stderr.
func planWithDebugProvider(t *testing.T, tf, bin, work string, env []string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var base []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_LOG") && !strings.HasPrefix(kv, "TF_REATTACH_PROVIDERS=") {
			base = append(base, kv)
		}
	}
	errFile := filepath.Join(t.TempDir(), "provider.stderr")
	stderr, err := os.Create(errFile)
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	prov := exec.CommandContext(ctx, bin, "-debug")
	prov.Env = append(append([]string{}, base...), env...)
	prov.Stderr = stderr
	stdout, err := prov.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := prov.Start(); err != nil {
		t.Fatal(err)
	}
	reattach := ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if v, ok := strings.CutPrefix(line, "TF_REATTACH_PROVIDERS='"); ok {
			reattach = strings.TrimSuffix(v, "'")
			break
		}
	}
	if reattach == "" {
		_ = prov.Process.Kill()
		_ = prov.Wait()
		t.Fatal("the provider printed no TF_REATTACH_PROVIDERS")
	}
	go func() {
		for sc.Scan() {
		}
	}()

	plan := exec.CommandContext(ctx, tf, "plan", "-no-color", "-input=false")
	plan.Dir = work
	// Terraform gets no log variables: what is measured is the provider.
	plan.Env = append(append([]string{}, base...), "TF_REATTACH_PROVIDERS="+reattach, "CHECKPOINT_DISABLE=1")
	out, planErr := plan.CombinedOutput()

	_ = prov.Process.Signal(os.Interrupt)
	if err := prov.Wait(); err != nil {
		t.Errorf("provider exit: %v", err)
	}
	if planErr != nil {
		t.Fatalf("terraform plan: %v\n%s", planErr, out)
	}
	data, err := os.ReadFile(errFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
