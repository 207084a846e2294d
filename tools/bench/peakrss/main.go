// Command peakrss runs a command and appends to the file named by
// $PEAKRSS_FILE, one line per run, the peak resident set size of that one
// process (getrusage's ru_maxrss: KiB on Linux) and the CPU seconds it used
// (user and system). `make bench-terraform` puts it in front of each
// provider plugin, so that each phase reports the plugin's own peak memory
// and CPU, not Terraform's. Standard input and output pass through; SIGINT
// and SIGTERM are passed on; it exits with the command's status.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peakrss COMMAND [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(1)
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && os.Getenv("PEAKRSS_FILE") != "" {
		if f, ferr := os.OpenFile(os.Getenv("PEAKRSS_FILE"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); ferr == nil {
			cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			fmt.Fprintf(f, "%d %.3f\n", ru.Maxrss, cpu.Seconds())
			f.Close()
		}
	}
	if err != nil {
		if st, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && st.Signaled() {
			os.Exit(128 + int(st.Signal()))
		}
		os.Exit(cmd.ProcessState.ExitCode())
	}
}
