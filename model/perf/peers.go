package perf

import (
	"fmt"

	"flowsphere/model/cpu"
	"flowsphere/model/tensor"
	"flowsphere/weights"
)

// Peer is one implementation measured side by side with the others on the same workloads.
type Peer struct {
	Name   string // "blas", "go", "gonum", "ref", "webgpu"
	Detail string // what runs, e.g. the backend's adapter
	// MatMul prepares a matmul shape.
	MatMul func(s MatMulShape) *Workload
	// F16 says whether MatMul honours MatMulDims.F16 (the backends do; gonum's Sgemm does
	// not, and gets no f16 rows).
	F16 bool
	// Attention prepares an attention shape; nil for matmul-only peers.
	Attention func(s AttentionShape) *Workload
	// Step prepares a training step; nil for matmul-only peers.
	Step func(s StepShape) (*Workload, error)
	// Generation prepares a generation of a weight file's model and returns its loop
	// count; nil for matmul-only peers.
	Generation func(f *weights.File, s GenShape) (*Workload, int, error)
}

// BackendPeer measures backend b under name.
func BackendPeer(name string, b tensor.Backend) Peer {
	return Peer{
		Name:      name,
		Detail:    b.Info().Adapter,
		MatMul:    func(s MatMulShape) *Workload { return MatMul(b, s) },
		F16:       true,
		Attention: func(s AttentionShape) *Workload { return Attention(b, s) },
		Step:      func(s StepShape) (*Workload, error) { return Step(b, s) },
		Generation: func(f *weights.File, s GenShape) (*Workload, int, error) {
			return Generation(b, f, s)
		},
	}
}

// CPUPeers are the CPU implementations, baseline first: gonum's Sgemm ("gonum", matmuls
// only), the CPU backend on the blocked pure-Go kernel ("go") and on OpenBLAS ("blas") when
// it loads and, when reference is true, on the plain reference loops ("ref", about
// 3 GFLOP/s: slow on the large shapes). Attention and training steps run on each backend's
// own path, as the fast paths build attention from their products. BLAS's absence comes
// back as an error next to the others.
func CPUPeers(reference bool) ([]Peer, error) {
	peers := []Peer{{Name: "gonum", Detail: "gonum.org/v1/gonum/blas/gonum Sgemm", MatMul: GonumMatMul}}
	blocked, _ := cpu.NewWith(cpu.BlockedMatMul) // always available
	peers = append(peers, BackendPeer("go", blocked))
	blas, err := cpu.NewWith(cpu.BLASMatMul)
	if err == nil {
		peers = append(peers, BackendPeer("blas", blas))
	}
	if reference {
		peers = append(peers, BackendPeer("ref", cpu.NewReference()))
	}
	return peers, err
}

// RatioPairs are the ratios reported per workload, numerator peer first: the blocked kernel
// over gonum (the pure-Go target), BLAS over the blocked kernel and over gonum, and WebGPU
// over both CPU paths. Each denominator comes before its numerator in CPUPeers' order.
var RatioPairs = [][2]string{{"go", "gonum"}, {"blas", "go"}, {"blas", "gonum"}, {"webgpu", "blas"}, {"webgpu", "go"}}

// Ratios returns the RatioPairs whose peers both have a measurement in gflops (keyed by peer
// name), keyed "num/den".
func Ratios(gflops map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for _, p := range RatioPairs {
		if num, den := gflops[p[0]], gflops[p[1]]; num > 0 && den > 0 {
			out[fmt.Sprintf("%s/%s", p[0], p[1])] = num / den
		}
	}
	return out
}
