package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// cliWorkspace runs the real Terraform (or OpenTofu) CLI, as a user runs it,
// in a temporary working directory against this provider served in-process
// (TF_REATTACH_PROVIDERS). It is for what terraform-plugin-testing cannot
// express: interrupting an apply, grepping a saved plan or a trace log, and
// `terraform query -generate-config-out`.
//
// Each command gets a fresh provider server, as each terraform command gets a
// fresh provider process in real use.
type cliWorkspace struct {
	t   *testing.T
	Dir string
	tf  string
	env []string
	// binary is set by UseProviderBinary: commands then run the provider
	// built as a plugin binary instead of the in-process server.
	binary bool
}

// newCLIWorkspace makes a workspace using the CLI the acceptance tests use
// (TF_ACC_TERRAFORM_PATH, set by TestMain from PATH when unset). It skips
// the test when there is none.
func newCLIWorkspace(t *testing.T) *cliWorkspace {
	t.Helper()
	skipWithoutTerraform(t)
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	dir := t.TempDir()
	env := append(os.Environ(),
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, ".terraformrc"),
	)
	w := &cliWorkspace{t: t, Dir: dir, tf: tf, env: env}
	// An empty CLI configuration: no credentials, no plugin cache, nothing
	// from the machine's own configuration.
	w.Write(".terraformrc", "")
	return w
}

// UseProviderBinary builds the provider into a binary and makes the
// workspace's commands run it (through dev_overrides) instead of the
// in-process server. Slower; for tests that need the provider's own log
// lines in TF_LOG_PATH, which the in-process server writes to the test's
// stderr instead. Do not run init in such a workspace.
func (w *cliWorkspace) UseProviderBinary() {
	w.t.Helper()
	dir, err := providerBinaryDir()
	if err != nil {
		w.t.Fatal(err)
	}
	w.Write(".terraformrc", fmt.Sprintf(`provider_installation {
  dev_overrides {
    "vpnresellers/vpnresellers" = %q
    "registry.opentofu.org/vpnresellers/vpnresellers" = %q
  }
  direct {}
}
`, dir, dir))
	w.binary = true
}

// providerBinaryDir builds the provider into a directory of its own, once
// per test process, and returns the directory (removed by TestMain at the
// end: builtBinaryDir).
var providerBinaryDir = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "provider-binary-")
	if err != nil {
		return "", err
	}
	builtBinaryDir = dir
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-vpnresellers"),
		"github.com/vpnresellers/terraform-provider-vpnresellers")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %v\n%s", err, out)
	}
	return dir, nil
})

// builtBinaryDir is the directory providerBinaryDir made, if it ran.
var builtBinaryDir string

// Write writes a file (a configuration, usually) into the workspace.
func (w *cliWorkspace) Write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.Dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// Read returns a file of the workspace ("" when it does not exist).
func (w *cliWorkspace) Read(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.Dir, name))
	if err != nil && !os.IsNotExist(err) {
		w.t.Fatal(err)
	}
	return string(b)
}

// cliResult is what one terraform command printed.
type cliResult struct {
	Stdout, Stderr string
	Err            error // non-nil when the command failed
}

// Output is stdout and stderr together.
func (r cliResult) Output() string { return r.Stdout + r.Stderr }

// Run runs one terraform command to completion, with extra environment
// variables (NAME=value).
func (w *cliWorkspace) Run(env []string, args ...string) cliResult {
	w.t.Helper()
	cmd, out, stop := w.Start(env, args...)
	err := cmd.Wait()
	stop()
	return cliResult{Stdout: out.stdout.String(), Stderr: out.stderr.String(), Err: err}
}

// MustRun is Run that fails the test when the command fails.
func (w *cliWorkspace) MustRun(env []string, args ...string) cliResult {
	w.t.Helper()
	r := w.Run(env, args...)
	if r.Err != nil {
		w.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), r.Err, r.Output())
	}
	return r
}

// cliOutput collects a running command's output.
type cliOutput struct{ stdout, stderr bytes.Buffer }

// Start starts a terraform command and returns at once, so that a test can
// signal it (cmd.Process.Signal(os.Interrupt)). The caller waits for cmd and
// then calls stop, which shuts the provider server down.
func (w *cliWorkspace) Start(env []string, args ...string) (*exec.Cmd, *cliOutput, func()) {
	w.t.Helper()
	out := &cliOutput{}
	cmd := exec.Command(w.tf, args...)
	cmd.Dir = w.Dir
	cmd.Env = append(append([]string{}, w.env...), env...)
	stop := func() {}
	if !w.binary {
		var reattach string
		reattach, stop = w.serveProvider()
		cmd.Env = append(cmd.Env, "TF_REATTACH_PROVIDERS="+reattach)
	}
	cmd.Stdout, cmd.Stderr = &out.stdout, &out.stderr
	if err := cmd.Start(); err != nil {
		stop()
		w.t.Fatal(err)
	}
	return cmd, out, stop
}

// serveProvider serves a new instance of the provider in this process and
// returns its TF_REATTACH_PROVIDERS value and a function that stops it.
func (w *cliWorkspace) serveProvider() (string, func()) {
	w.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	server, err := NewServer("test", nil)()
	if err != nil {
		w.t.Fatal(err)
	}
	factory := func() tfprotov6.ProviderServer { return server }
	go func() {
		_ = tf6server.Serve("registry.terraform.io/vpnresellers/vpnresellers", factory,
			tf6server.WithDebug(ctx, configCh, closeCh),
			// go-plugin's own logger would print its connection events
			// to stderr as JSON; the provider's logs follow the test
			// process's TF_LOG (off unless set), as terraform-plugin-
			// testing's in-process servers do. A failing test's output
			// is then the test's, not pages of logs.
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(w.t),
		)
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-configCh:
	case <-time.After(30 * time.Second):
		cancel()
		w.t.Fatal("the provider server did not start")
	}
	type addr struct{ Network, String string }
	type reattach struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	r := reattach{
		Protocol: string(cfg.Protocol), ProtocolVersion: cfg.ProtocolVersion, Pid: cfg.Pid, Test: cfg.Test,
		Addr: addr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}
	// Terraform and OpenTofu look the provider up under their own registry
	// host; register it under both.
	b, err := json.Marshal(map[string]reattach{
		"registry.terraform.io/vpnresellers/vpnresellers": r,
		"registry.opentofu.org/vpnresellers/vpnresellers": r,
	})
	if err != nil {
		cancel()
		w.t.Fatal(err)
	}
	return string(b), func() {
		cancel()
		select {
		case <-closeCh:
		case <-time.After(10 * time.Second):
		}
	}
}

// providerBlock is the terraform and provider blocks pointing at env's mock.
func (e *testEnv) providerBlock(providerArgs string) string {
	return e.workspaceBlock("", providerArgs)
}

// workspaceBlock is providerBlock for the named workspace (workspaceURL;
// "" is e.url).
func (e *testEnv) workspaceBlock(workspace, providerArgs string) string {
	url := e.url
	if workspace != "" {
		url = e.workspaceURL(workspace)
	}
	return `
terraform {
  required_providers {
    vpnresellers = {
      source = "vpnresellers/vpnresellers"
    }
  }
}
` + e.providerConfig(url, providerArgs)
}

// The harness itself: a real apply and destroy through it.
func TestCLIHarness_applyAndDestroy(t *testing.T) {
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.Write("main.tf", env.providerBlock("")+`
resource "vpnresellers_project" "p" {
  name        = "Harness"
  description = "made by the CLI harness"
}
`)
	w.MustRun(nil, "init", "-no-color")
	w.MustRun(nil, "apply", "-auto-approve", "-no-color")
	if err := env.holds(1, -1, -1); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.Read("terraform.tfstate"), `"Harness"`) {
		t.Fatal("state does not hold the project")
	}
	w.MustRun(nil, "destroy", "-auto-approve", "-no-color")
	if err := env.holds(0, -1, -1); err != nil {
		t.Fatal(err)
	}
}

// interruptApply starts `terraform apply -auto-approve` in w with the mock
// slowed down (1 s a request, acting even when the caller has left), sends
// it SIGINT once route has been called at least n times. The mock stays
// slowed down: the caller decides what follows. The test fails when the
// apply never gets there, or finishes despite the interrupt.
func interruptApply(t *testing.T, env *testEnv, w *cliWorkspace, route string, n int) {
	t.Helper()
	env.mock.SetLatency(time.Second)
	env.mock.SetActOnDisconnect(true)
	cmd, out, stop := w.Start(nil, "apply", "-auto-approve", "-no-color")
	deadline := time.Now().Add(60 * time.Second)
	for env.mock.Count(route) < n {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			stop()
			t.Fatalf("no %s reached the API:\n%s%s", route, out.stdout.String(), out.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	stop()
	if err == nil {
		t.Fatalf("the apply finished despite the interrupt, so nothing was tested:\n%s", out.stdout.String())
	}
}
