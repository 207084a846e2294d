//go:build ignore

// testsummary reads `go test -json` on stdin and prints what a plain `go
// test` prints (each package's ok/FAIL line, the output of the tests that
// fail, build errors), then, at the end, the output of the failing tests
// again, so that the tail of a long CI log names them. The skipped tests
// and their reasons are appended to the file named by -skips, and `-report
// FILE` prints them, grouped by reason: what tools/make/test.sh prints as
// the last lines of a run. Run with `go run tools/make/testsummary.go`.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// maxReprinted is the most lines of failure output printed again at the end.
const maxReprinted = 400

func main() {
	skipsFile := flag.String("skips", "", "append the skipped tests (package, test, reason; tab-separated) to this file")
	report := flag.String("report", "", "print the skipped tests listed in this file, grouped by reason, and exit")
	flag.Parse()
	if *report != "" {
		if err := printReport(os.Stdout, *report); err != nil {
			fmt.Fprintln(os.Stderr, "testsummary:", err)
			os.Exit(1)
		}
		return
	}
	var skips io.Writer = io.Discard
	if *skipsFile != "" {
		f, err := os.OpenFile(*skipsFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			fmt.Fprintln(os.Stderr, "testsummary:", err)
			os.Exit(1)
		}
		defer f.Close()
		skips = f
	}
	failed := summarise(os.Stdin, os.Stdout, skips)
	if len(failed) > 0 {
		fmt.Println("==> go test failed; its failures again:")
		n := 0
		for _, block := range failed {
			for _, line := range strings.SplitAfter(block, "\n") {
				if n++; n > maxReprinted {
					fmt.Printf("... (more than %d lines; see above)\n", maxReprinted)
					return
				}
				fmt.Print(line)
			}
		}
	}
}

// summarise prints the readable output of the event stream in to out,
// writes each skipped test to skips and returns the output of each failed
// test and failed package, in order.
func summarise(in io.Reader, out, skips io.Writer) (failed []string) {
	buf := map[string]*strings.Builder{} // package + test -> its output so far
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		var e event
		if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &e) != nil {
			fmt.Fprintln(out, line) // not an event: a build error on stderr, say
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "build-output":
			fmt.Fprint(out, e.Output)
		case "output":
			if e.Test == "" {
				// The package's own lines: ok/FAIL, a panic, a timeout.
				if strings.HasPrefix(e.Output, "FAIL\t") {
					failed = append(failed, unfinished(out, buf, e.Package)...)
				}
				if e.Output != "PASS\n" && !strings.HasPrefix(e.Output, "=== ") {
					fmt.Fprint(out, e.Output)
				}
				if strings.HasPrefix(e.Output, "FAIL") || strings.HasPrefix(e.Output, "panic:") {
					failed = append(failed, e.Output)
				}
				continue
			}
			if buf[key] == nil {
				buf[key] = &strings.Builder{}
			}
			if !strings.HasPrefix(strings.TrimSpace(e.Output), "=== ") {
				buf[key].WriteString(e.Output)
			}
		case "fail":
			if e.Test != "" && buf[key] != nil {
				text := buf[key].String()
				fmt.Fprint(out, text)
				failed = append(failed, withoutLogLines(text))
			}
			delete(buf, key)
		case "skip":
			if e.Test != "" {
				fmt.Fprintf(skips, "%s\t%s\t%s\n", e.Package, e.Test, skipReason(buf[key]))
			}
			delete(buf, key)
		case "pass":
			delete(buf, key)
		}
		if e.Action == "fail" && e.Test == "" {
			// A package that fails with tests unfinished (a timeout, a
			// panic): their output holds the panic and what led to it.
			failed = append(failed, unfinished(out, buf, e.Package)...)
		}
	}
	return failed
}

// maxUnfinished is the most lines of an unfinished test's output printed.
const maxUnfinished = 60

// unfinished prints and returns (the tail of) the output of the tests of
// pkg that never ended, and forgets them.
func unfinished(out io.Writer, buf map[string]*strings.Builder, pkg string) []string {
	var keys []string
	for k := range buf {
		if strings.HasPrefix(k, pkg+" ") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var blocks []string
	for _, k := range keys {
		lines := strings.SplitAfter(withoutLogLines(buf[k].String()), "\n")
		// From a little before the panic (a timeout's names the tests
		// still running), else the last lines.
		from := max(len(lines)-maxUnfinished, 0)
		if i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "panic: ") }); i >= 0 {
			from = max(i-10, 0)
		}
		to := min(from+maxUnfinished, len(lines))
		if from > 0 {
			lines[from-1] = fmt.Sprintf("... (%d lines before)\n", from)
			from--
		}
		if to < len(lines) {
			lines = append(lines[:to], fmt.Sprintf("... (%d lines after)\n", len(lines)-to))
		}
		lines = lines[from:]
		block := fmt.Sprintf("--- UNFINISHED: %s\n%s", strings.TrimPrefix(k, pkg+" "), strings.Join(lines, ""))
		fmt.Fprint(out, block)
		blocks = append(blocks, block)
		delete(buf, k)
	}
	return blocks
}

// location is the file:line: prefix of a test's log line.
var location = regexp.MustCompile(`^\s*[\w./-]+\.go:\d+: `)

// skipReason is what a skipped test logged, without its --- SKIP line and
// without file:line prefixes, on one line.
func skipReason(b *strings.Builder) string {
	if b == nil {
		return "(no reason given)"
	}
	var parts []string
	for _, line := range strings.Split(b.String(), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--- SKIP") || strings.HasPrefix(t, "{\"@") {
			continue
		}
		parts = append(parts, strings.TrimSpace(location.ReplaceAllString(line, "")))
	}
	if len(parts) == 0 {
		return "(no reason given)"
	}
	return strings.Join(parts, " ")
}

// withoutLogLines drops the provider's JSON log lines from a failure's
// output (the reprint is for people).
func withoutLogLines(text string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "{\"@") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// printReport prints the skipped tests of file grouped by reason, the most
// common reason first.
func printReport(out io.Writer, file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	byReason := map[string][]string{}
	total := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		pkg, rest, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		test, reason, _ := strings.Cut(rest, "\t")
		short := pkg[strings.LastIndex(pkg, "/")+1:]
		byReason[reason] = append(byReason[reason], short+"."+test)
		total++
	}
	if total == 0 {
		fmt.Fprintln(out, "==> no test was skipped")
		return nil
	}
	reasons := make([]string, 0, len(byReason))
	for r := range byReason {
		reasons = append(reasons, r)
	}
	slices.SortFunc(reasons, func(a, b string) int {
		if d := len(byReason[b]) - len(byReason[a]); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	noun := "tests"
	if total == 1 {
		noun = "test"
	}
	fmt.Fprintf(out, "==> %d %s skipped, by reason:\n", total, noun)
	for _, r := range reasons {
		tests := byReason[r]
		slices.Sort(tests)
		fmt.Fprintf(out, "  %s (%d): %s\n", r, len(tests), strings.Join(tests, ", "))
	}
	return nil
}
