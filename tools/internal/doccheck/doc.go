// Package doccheck holds the repository's tests of its own documentation, so that the
// documents cannot drift from the code: comments cite only documents and DESIGN.md
// sections that exist; every package's doc comment names its imports as `go list` sees them,
// and the layers of DESIGN.md §1 hold; DESIGN.md's op table matches the WGSL entry points,
// tensor.Ops, the CPU kernels and the case table; and ui/app.go lists every method of the
// automation API. It has no code outside its tests.
//
// It imports nothing of ours. Its tests import model/opcheck.
package doccheck
