//go:build unix

package ntriples

import "syscall"

// cpuTime returns the CPU time (user + system, all threads, so including
// the garbage collector) the process has used, in nanoseconds. Benchmarks
// report it beside wall time because wall time is meaningless on a machine
// shared with other jobs.
func cpuTime() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
