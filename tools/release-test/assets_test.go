package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCollectAssets_isWhatTheReleaseUploads(t *testing.T) {
	dir := t.TempDir()
	dist := filepath.Join(dir, "dist")
	if err := os.MkdirAll(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dist, "p_1.0.0-SNAPSHOT-x_linux_amd64.zip"), "zip")
	write(filepath.Join(dist, "p_1.0.0-SNAPSHOT-x_SHA256SUMS"), "sums")
	write(filepath.Join(dist, "p_1.0.0-SNAPSHOT-x_SHA256SUMS.sig"), "sig")
	write(filepath.Join(dist, "p_v1.0.0-SNAPSHOT-x"), "binary")
	write(filepath.Join(dir, "terraform-registry-manifest.json"), "manifest")
	write(filepath.Join(dist, "metadata.json"), `{"project_name":"p","tag":"v0.0.0","version":"1.0.0-SNAPSHOT-x"}`)
	write(filepath.Join(dist, "artifacts.json"), fmt.Sprintf(`[
		{"name":"p_v1.0.0-SNAPSHOT-x","path":%[1]q,"type":"Binary"},
		{"name":"p_1.0.0-SNAPSHOT-x_linux_amd64.zip","path":%[2]q,"type":"Archive"},
		{"name":"p_1.0.0-SNAPSHOT-x_SHA256SUMS","path":%[3]q,"type":"Checksum"},
		{"name":"p_1.0.0-SNAPSHOT-x_SHA256SUMS.sig","path":%[4]q,"type":"Signature"},
		{"name":"metadata.json","path":%[5]q,"type":"Metadata"}
	]`,
		filepath.Join(dist, "p_v1.0.0-SNAPSHOT-x"), filepath.Join(dist, "p_1.0.0-SNAPSHOT-x_linux_amd64.zip"),
		filepath.Join(dist, "p_1.0.0-SNAPSHOT-x_SHA256SUMS"), filepath.Join(dist, "p_1.0.0-SNAPSHOT-x_SHA256SUMS.sig"),
		filepath.Join(dist, "metadata.json")))
	cfg := filepath.Join(dir, "goreleaser.yml")
	write(cfg, fmt.Sprintf(`release:
  extra_files:
    - glob: %s
      name_template: "{{ .ProjectName }}_{{ .Version }}_manifest.json"
`, filepath.Join(dir, "terraform-registry-manifest.json")))

	out := filepath.Join(dir, "release")
	names, err := collectAssets(dist, cfg, out)
	if err != nil {
		t.Fatal(err)
	}
	want := "p_1.0.0-SNAPSHOT-x_SHA256SUMS p_1.0.0-SNAPSHOT-x_SHA256SUMS.sig p_1.0.0-SNAPSHOT-x_linux_amd64.zip p_1.0.0-SNAPSHOT-x_manifest.json"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("assets = %s, want %s", got, want)
	}
	if b, err := os.ReadFile(filepath.Join(out, "p_1.0.0-SNAPSHOT-x_manifest.json")); err != nil || string(b) != "manifest" {
		t.Errorf("manifest copy: %q, %v", b, err)
	}

	// A name template with more than the release's names is refused, not guessed.
	write(cfg, "release:\n  extra_files:\n    - glob: "+filepath.Join(dir, "terraform-registry-manifest.json")+"\n      name_template: '{{ .Env.X }}'\n")
	if _, err := collectAssets(dist, cfg, filepath.Join(dir, "release2")); err == nil || !strings.Contains(err.Error(), "name_template") {
		t.Errorf("err = %v", err)
	}
}
