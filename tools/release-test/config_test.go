package main

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestSnapshotConfig_narrowsTheRepositoryConfigToOnePlatform(t *testing.T) {
	src, err := os.ReadFile("../../.goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := snapshotConfig(src, "linux", "arm64", "/tmp/x/dist")
	if err != nil {
		t.Fatal(err)
	}
	var before, after map[string]any
	if err := yaml.Unmarshal(src, &before); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(out, &after); err != nil {
		t.Fatalf("output does not parse: %v\n%s", err, out)
	}
	if got := after["dist"]; got != "/tmp/x/dist" {
		t.Errorf("dist = %v", got)
	}
	build := after["builds"].([]any)[0].(map[string]any)
	if got := build["goos"]; !reflect.DeepEqual(got, []any{"linux"}) {
		t.Errorf("goos = %v", got)
	}
	if got := build["goarch"]; !reflect.DeepEqual(got, []any{"arm64"}) {
		t.Errorf("goarch = %v", got)
	}
	// Nothing else changed.
	delete(after, "dist")
	for _, m := range []map[string]any{before, after} {
		b := m["builds"].([]any)[0].(map[string]any)
		delete(b, "goos")
		delete(b, "goarch")
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("more than builds' goos/goarch and dist changed:\nbefore %v\nafter  %v", before, after)
	}
}

func TestSnapshotConfig_refusesPlatformsTheReleaseDoesNotShip(t *testing.T) {
	src := []byte(`version: 2
builds:
  - goos: [linux, darwin]
    goarch: [amd64, "386"]
    ignore:
      - goos: darwin
        goarch: "386"
      - goos: linux
        goarch: "386"
        go386: softfloat
`)
	for _, tc := range []struct{ goos, goarch, want string }{
		{"windows", "amd64", "goos [linux darwin] does not include windows"},
		{"linux", "arm64", "goarch [amd64 386] does not include arm64"},
		{"darwin", "386", "ignore excludes darwin/386"},
	} {
		_, err := snapshotConfig(src, tc.goos, tc.goarch, "d")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s/%s: err = %v, want %q", tc.goos, tc.goarch, err, tc.want)
		}
	}
	// An ignore entry for one variant only leaves the platform built.
	if _, err := snapshotConfig(src, "linux", "386", "d"); err != nil {
		t.Errorf("linux/386: %v", err)
	}
}

func TestSnapshotConfig_refusesWhatItWouldHaveToGuess(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"builds:\n  - targets: [linux_amd64]\n", "sets targets"},
		{"builds:\n  - builder: rust\n    goos: [linux]\n    goarch: [amd64]\n", `builder "rust"`},
		{"builds:\n  - goarch: [amd64]\n", "goos: not set"},
		{"project_name: x\n", "no builds list"},
	} {
		_, err := snapshotConfig([]byte(tc.src), "linux", "amd64", "d")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.src, err, tc.want)
		}
	}
}
