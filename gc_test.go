package main

import (
	"runtime/debug"
	"testing"
)

// tuneGC raises the collector's target only when the user set neither GOGC
// nor GOMEMLIMIT.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))

	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	tuneGC()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("with GOGC set, the GC percent became %d", got)
	}

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC()
	if got := debug.SetGCPercent(100); got != 400 {
		t.Fatalf("GC percent %d, want 400", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Fatalf("memory limit %d, want 1 GiB", got)
	}
}
