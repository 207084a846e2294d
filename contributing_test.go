package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mechanismMap is the section of CONTRIBUTING.md that names, per
// mechanism, the files it lives in.
const mechanismMap = "## Where each mechanism lives"

// TestContributing_mechanismFilesExist fails when a file or directory that
// CONTRIBUTING.md's mechanism map names in backticks no longer exists, so
// that the map moves with the code. A name with a * must match at least one
// file. Every line of the map must name at least one.
func TestContributing_mechanismFilesExist(t *testing.T) {
	data, err := os.ReadFile("CONTRIBUTING.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n"+mechanismMap+"\n")
	if !ok {
		t.Fatalf("CONTRIBUTING.md has no section %q", mechanismMap)
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	items := mechanismItems(section)
	if len(items) < 10 {
		t.Fatalf("the mechanism map has %d lines; want one per mechanism", len(items))
	}
	for _, item := range items {
		paths := backtickedPaths(item)
		if len(paths) == 0 {
			t.Errorf("this line of the mechanism map names no file: %q", firstWords(item))
		}
		for _, p := range paths {
			if !exists(p) {
				t.Errorf("CONTRIBUTING.md names %s, which does not exist (line %q)", p, firstWords(item))
			}
		}
	}
}

// mechanismItems returns the map's list items, each joined into one line.
func mechanismItems(section string) []string {
	var items []string
	for _, line := range strings.Split(section, "\n") {
		switch {
		case strings.HasPrefix(line, "- "):
			items = append(items, line)
		case strings.HasPrefix(line, "  ") && len(items) > 0:
			items[len(items)-1] += " " + strings.TrimSpace(line)
		}
	}
	return items
}

var backticked = regexp.MustCompile("`([^`]+)`")

// backtickedPaths returns what the text names in backticks that is a
// path: it holds a slash, or ends in a file extension of this repository.
func backtickedPaths(text string) []string {
	var out []string
	for _, m := range backticked.FindAllStringSubmatch(text, -1) {
		s := m[1]
		if strings.ContainsAny(s, " :") {
			continue
		}
		switch filepath.Ext(strings.TrimSuffix(s, "/")) {
		case ".go", ".sh", ".yml", ".yaml", ".md", ".json":
			out = append(out, s)
			continue
		}
		if strings.Contains(strings.TrimSuffix(s, "/"), "/") {
			out = append(out, s)
		}
	}
	return out
}

func exists(p string) bool {
	if strings.Contains(p, "*") {
		m, err := filepath.Glob(p)
		return err == nil && len(m) > 0
	}
	_, err := os.Stat(p)
	return err == nil
}

func firstWords(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
