package provider

import (
	"context"
	"os"
	"time"
)

// ParentWatchInterval is how often a provider process started by Terraform
// checks that Terraform is still there.
const ParentWatchInterval = time.Second

// StopWhenParentGone returns a context that is cancelled when the process
// that started this one is gone, checked every interval, and then calls
// gone (main exits the process from it).
//
// Terraform killed with SIGKILL cannot stop its provider processes, and
// go-plugin does not notice: they would go on serving, retrying and
// settling creates for minutes. On Linux and macOS an orphan is re-parented
// (to init or a subreaper), so its parent process id changes: that is the
// sign. A process whose parent is already init when it starts, or a
// platform where the id never changes (Windows), is not watched.
//
// The context is what every API client of the provider derives its
// requests from (NewWithStop): cancelling it aborts what is in flight, and
// nothing new is sent, before the process exits.
func StopWhenParentGone(interval time.Duration, gone func()) context.Context {
	return watchParent(os.Getppid, interval, gone)
}

func watchParent(getppid func() int, interval time.Duration, gone func()) context.Context {
	start := getppid()
	if start <= 1 {
		return context.Background()
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for range t.C {
			if getppid() != start {
				cancel()
				if gone != nil {
					gone()
				}
				return
			}
		}
	}()
	return ctx
}
