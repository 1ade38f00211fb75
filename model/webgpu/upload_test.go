package webgpu_test

import (
	"testing"

	"flowsphere/model/webgpu/webgputest"
)

// TestUploadOrder checks that uploads between recorded ops land in program order, and that
// they do not split the submission unless they overflow the runtime's upload arena
// (1 MiB, which the 300,000-value case does).
func TestUploadOrder(t *testing.T) {
	dev := webgputest.Open(t)
	for _, c := range []struct {
		n           int // values per tensor
		submissions int // for the sequence and its readback
	}{
		{n: 3, submissions: 1},
		{n: 1000, submissions: 1},
		{n: 300_000, submissions: 3},
	} {
		x, y := dev.New(c.n), dev.New(c.n)
		defer dev.Free(x)
		defer dev.Free(y)
		fill := func(v float32) []float32 {
			host := make([]float32, c.n)
			for i := range host {
				host[i] = v
			}
			return host
		}
		if err := dev.Flush(); err != nil {
			t.Fatal(err)
		}
		before := dev.Submissions()
		// y = 2·1 + 3·5 = 17 only when each write lands between the ops around it.
		dev.Upload(x, fill(1))
		dev.Axpby(y, x, 2, 0)
		dev.Upload(x, fill(5))
		dev.Axpby(y, x, 3, 1)
		dev.Upload(x, fill(7))
		got, err := dev.Download(y)
		if err != nil {
			t.Fatal(err)
		}
		last, err := dev.Download(x)
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != 17 || got[c.n-1] != 17 || last[c.n-1] != 7 {
			t.Errorf("%d values: y = %g … %g, x = %g; want 17 and 7", c.n, got[0], got[c.n-1], last[c.n-1])
		}
		// The second readback has nothing recorded before it but its own copy.
		if s := dev.Submissions() - before - 1; s != c.submissions {
			t.Errorf("%d values: %d submissions, want %d", c.n, s, c.submissions)
		}
	}
}
