package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"

	"go.yaml.in/yaml/v3"
)

// writeSnapshotConfig writes the goreleaser configuration in to out,
// narrowed by snapshotConfig to the platform this program runs on.
func writeSnapshotConfig(in, out, dist string) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	cfg, err := snapshotConfig(src, runtime.GOOS, runtime.GOARCH, dist)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return os.WriteFile(out, cfg, 0o644)
}

// snapshotConfig returns the goreleaser configuration src with two changes
// and no other: every build's goos and goarch lists become [goos] and
// [goarch], and dist is set. goreleaser's release command has no
// --single-target, and building the dozen platforms of a real release would
// take most of the time of the test for nothing it checks.
//
// The platform must be one the configuration releases (in the lists and not
// ignored): a test of a platform the release does not ship proves nothing.
// Builds with targets (which replace goos/goarch) or another builder than Go
// are refused rather than guessed at.
func snapshotConfig(src []byte, goos, goarch, dist string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not a YAML mapping")
	}
	root := doc.Content[0]
	builds := mapValue(root, "builds")
	if builds == nil || builds.Kind != yaml.SequenceNode || len(builds.Content) == 0 {
		return nil, errors.New("no builds list")
	}
	for i, b := range builds.Content {
		if b.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("builds[%d] is not a mapping", i)
		}
		if mapValue(b, "targets") != nil {
			return nil, fmt.Errorf("builds[%d] sets targets, which release-test does not narrow", i)
		}
		if builder := mapValue(b, "builder"); builder != nil && builder.Value != "go" {
			return nil, fmt.Errorf("builds[%d] uses builder %q; release-test narrows Go builds only", i, builder.Value)
		}
		for _, key := range []struct{ name, want string }{{"goos", goos}, {"goarch", goarch}} {
			list, err := stringList(mapValue(b, key.name))
			if err != nil {
				return nil, fmt.Errorf("builds[%d].%s: %w", i, key.name, err)
			}
			if !slices.Contains(list, key.want) {
				return nil, fmt.Errorf("builds[%d].%s %v does not include %s: the release does not ship for this machine, so it cannot be tested here", i, key.name, list, key.want)
			}
		}
		if ignoredPlatform(mapValue(b, "ignore"), goos, goarch) {
			return nil, fmt.Errorf("builds[%d].ignore excludes %s/%s: the release does not ship for this machine, so it cannot be tested here", i, goos, goarch)
		}
		setMapValue(b, "goos", flowList(goos))
		setMapValue(b, "goarch", flowList(goarch))
	}
	setMapValue(root, "dist", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: dist})

	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// mapValue is the value of key in the mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// setMapValue replaces the value of key in the mapping m, or appends the pair.
func setMapValue(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			// Keep the comments that were on the old value.
			v.LineComment = m.Content[i+1].LineComment
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func stringList(n *yaml.Node) ([]string, error) {
	if n == nil {
		return nil, errors.New("not set (goreleaser's defaults are not narrowed by release-test)")
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return nil, err
	}
	return list, nil
}

func flowList(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: v},
	}}
}

// ignoredPlatform: an entry of the ignore list matches goos/goarch the way
// goreleaser matches it (an empty field matches anything), with no further
// qualifier such as goarm, which would leave other variants built.
func ignoredPlatform(ignore *yaml.Node, goos, goarch string) bool {
	if ignore == nil {
		return false
	}
	var entries []map[string]string
	if err := ignore.Decode(&entries); err != nil {
		return false
	}
	for _, e := range entries {
		qualified := false
		for k := range e {
			if k != "goos" && k != "goarch" {
				qualified = true
			}
		}
		if !qualified && (e["goos"] == "" || e["goos"] == goos) && (e["goarch"] == "" || e["goarch"] == goarch) {
			return true
		}
	}
	return false
}
