package main

import (
	"os"
	"runtime/debug"
)

// tuneGC lets the heap grow further between collections than Go's default
// (GOGC=100) when the user set neither GOGC nor GOMEMLIMIT. A plan of a
// vpnresellers_accounts of thousands of entries builds and drops the
// framework's values of the whole map several times per request; with the
// default, a quarter of the provider's CPU went to the collector
// (`make bench-terraform MODE=fleet PROFILE=dir`). The memory limit keeps
// the larger target from growing past what a CI runner can spare: near it,
// the collector runs as often as it needs to.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(1 << 30)
}
