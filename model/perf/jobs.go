package perf

import (
	"strings"

	"flowsphere/weights"
)

// Job is one workload of a benchmark run: its op and shape, and how to prepare it on a peer
// (nil where the peer lacks it), returning the workload and, for generations, the model's
// loop count.
type Job struct {
	Op, Shape string
	Prepare   func(Peer) func() (*Workload, int, error)
}

// Name is "op/shape", e.g. "matmul/xwt/2048x128": what Select matches.
func (j Job) Name() string { return j.Op + "/" + j.Shape }

// Jobs are the benchmark's workloads in the order tools/bench and the page's ?bench report
// them: the machine's sgemm (PeakShape), the matmul training layouts (then some with f16
// operands, on the peers that honour them), attention, a joint
// training step for each of steps, and a generation of the first grid of the model in the
// weight file that file gets (read only when the generation runs).
func Jobs(steps []StepShape, file func() (*weights.File, error)) []Job {
	peak := PeakShape()
	jobs := []Job{{"sgemm", peak.Name(), func(p Peer) func() (*Workload, int, error) {
		return infallible(p.MatMul, peak)
	}}}
	for _, s := range MatMulShapes() {
		jobs = append(jobs, Job{"matmul", s.Name(), func(p Peer) func() (*Workload, int, error) {
			return infallible(p.MatMul, s)
		}})
	}
	for _, s := range MatMulF16Shapes() {
		jobs = append(jobs, Job{"matmul", s.Name(), func(p Peer) func() (*Workload, int, error) {
			if !p.F16 {
				return nil
			}
			return infallible(p.MatMul, s)
		}})
	}
	for _, s := range AttentionShapes() {
		jobs = append(jobs, Job{"attention", s.Name(), func(p Peer) func() (*Workload, int, error) {
			return infallible(p.Attention, s)
		}})
	}
	for _, s := range steps {
		jobs = append(jobs, Job{"step", s.Name(), func(p Peer) func() (*Workload, int, error) {
			if p.Step == nil {
				return nil
			}
			return func() (*Workload, int, error) {
				w, err := p.Step(s)
				return w, 0, err
			}
		}})
	}
	return append(jobs, Job{"generate", FirstGrid.Name(), func(p Peer) func() (*Workload, int, error) {
		if p.Generation == nil {
			return nil
		}
		return func() (*Workload, int, error) {
			f, err := file()
			if err != nil {
				return nil, 0, err
			}
			return p.Generation(f, FirstGrid)
		}
	}})
}

// infallible adapts a workload constructor that cannot fail.
func infallible[S any](f func(S) *Workload, s S) func() (*Workload, int, error) {
	if f == nil {
		return nil
	}
	return func() (*Workload, int, error) { return f(s), 0, nil }
}

// Select returns the jobs whose names contain one of the comma-separated parts of only, in
// their order; an empty only selects them all.
func Select(jobs []Job, only string) []Job {
	var out []Job
	for _, j := range jobs {
		for part := range strings.SplitSeq(only, ",") {
			if strings.Contains(j.Name(), part) {
				out = append(out, j)
				break
			}
		}
	}
	return out
}
