// Package opcheck is the shared case table of op checks: each case runs one op on a
// reference backend and a device backend with the same seeded inputs and compares every
// output within a stated tolerance, with guard words around outputs to catch stray writes.
//
// The same table feeds `go test`, `go run ./tools/selftest` and the page's ?selftest mode.
// It imports model/tensor only; callers pass the two backends in.
package opcheck
