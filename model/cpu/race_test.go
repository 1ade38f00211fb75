//go:build race

package cpu_test

// raceEnabled says the race detector is on: its instrumentation allocates, so allocation
// counts mean nothing.
const raceEnabled = true
