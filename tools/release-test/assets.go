package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// uploadedTypes are the artifact types in dist/artifacts.json that a
// goreleaser release uploads and a provider release can contain (the
// "Binary" type is left out: with archives, binaries are not uploaded).
var uploadedTypes = []string{"Archive", "File", "Checksum", "Signature", "Certificate"}

// collectAssets copies into out what the GitHub release made from dist would
// hold: the uploadable artifacts of dist/artifacts.json, and the files of
// the configuration's release.extra_files under their templated names (a
// snapshot skips the publishing step that would upload them). It returns the
// asset names, sorted.
func collectAssets(dist, configPath, out string) ([]string, error) {
	var meta struct {
		ProjectName string `json:"project_name"`
		Version     string `json:"version"`
		Tag         string `json:"tag"`
	}
	if err := readJSON(filepath.Join(dist, "metadata.json"), &meta); err != nil {
		return nil, err
	}
	var arts []struct {
		Name string `json:"name"`
		Path string `json:"path"`
		Type string `json:"type"`
	}
	if err := readJSON(filepath.Join(dist, "artifacts.json"), &arts); err != nil {
		return nil, err
	}
	src := map[string]string{}
	add := func(name, path string) error {
		if name == "" || strings.ContainsAny(name, `/\`) {
			return fmt.Errorf("asset name %q is not a plain file name", name)
		}
		if prev, dup := src[name]; dup && prev != path {
			return fmt.Errorf("two assets named %s (%s and %s)", name, prev, path)
		}
		src[name] = path
		return nil
	}
	for _, a := range arts {
		if slices.Contains(uploadedTypes, a.Type) {
			if err := add(a.Name, a.Path); err != nil {
				return nil, err
			}
		}
	}

	raw, err := os.ReadFile(configPath)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		Release struct {
			ExtraFiles []struct {
				Glob         string `yaml:"glob"`
				NameTemplate string `yaml:"name_template"`
			} `yaml:"extra_files"`
		} `yaml:"release"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", configPath, err)
	}
	fields := map[string]string{"ProjectName": meta.ProjectName, "Version": meta.Version, "Tag": meta.Tag}
	for _, ef := range cfg.Release.ExtraFiles {
		matches, err := filepath.Glob(ef.Glob)
		if err != nil {
			return nil, fmt.Errorf("release.extra_files glob %q: %w", ef.Glob, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("release.extra_files glob %q matches no file", ef.Glob)
		}
		if ef.NameTemplate != "" && len(matches) > 1 {
			return nil, fmt.Errorf("release.extra_files glob %q matches %d files but has one name_template", ef.Glob, len(matches))
		}
		for _, m := range matches {
			name := filepath.Base(m)
			if ef.NameTemplate != "" {
				if name, err = render(ef.NameTemplate, fields); err != nil {
					return nil, fmt.Errorf("release.extra_files name_template %q: %w", ef.NameTemplate, err)
				}
			}
			if err := add(name, m); err != nil {
				return nil, err
			}
		}
	}
	if len(src) == 0 {
		return nil, fmt.Errorf("%s lists nothing a release would upload", filepath.Join(dist, "artifacts.json"))
	}

	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(src))
	for name, path := range src {
		if err := copyFile(path, filepath.Join(out, name)); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}

// render expands a goreleaser name template with the few fields a release's
// file names use; anything else (functions, other fields) is an error rather
// than a guess.
func render(tmpl string, fields map[string]string) (string, error) {
	t, err := template.New("name").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, fields); err != nil {
		return "", err
	}
	return b.String(), nil
}

func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func copyFile(from, to string) (err error) {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errors.New(from + " is not a regular file")
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, in)
	return err
}
