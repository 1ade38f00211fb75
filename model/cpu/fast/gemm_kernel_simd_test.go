//go:build goexperiment.simd && amd64

package fast

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMicroKernelVectors checks each instruction set's register tile against float64 sums
// over packed panels of several depths, the ones this CPU runs.
func TestMicroKernelVectors(t *testing.T) {
	kernels := []struct {
		name         string
		v16, v8, has bool
	}{
		{"avx512", true, true, vector16},
		{"avx2", false, true, vector8},
		{"scalar", false, false, true},
	}
	saved16, saved8 := vector16, vector8
	defer func() { vector16, vector8 = saved16, saved8 }()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range kernels {
		for _, kc := range []int{1, 7, gemmKC} {
			if !k.has {
				t.Logf("%s: not on this CPU", k.name)
				continue
			}
			pa, pb := make([]float32, gemmMR*kc), make([]float32, gemmNR*kc)
			for i := range pa {
				pa[i] = rng.Float32()*2 - 1
			}
			for i := range pb {
				pb[i] = rng.Float32()*2 - 1
			}
			vector16, vector8 = k.v16, k.v8
			tile := microKernel(kc, pa, pb)
			for r := range gemmMR {
				for j := range gemmNR {
					want := 0.0
					for p := range kc {
						want += float64(pa[p*gemmMR+r]) * float64(pb[p*gemmNR+j])
					}
					if got := float64(tile[r*gemmNR+j]); math.Abs(got-want) > 1e-5*float64(kc) {
						t.Fatalf("%s kc=%d: tile[%d,%d] = %g, want %g", k.name, kc, r, j, got, want)
					}
				}
			}
		}
	}
}
