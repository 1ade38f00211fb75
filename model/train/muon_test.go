package train

import (
	"math"
	"math/rand/v2"
	"testing"

	"flowsphere/model/config"
	"flowsphere/model/cpu"
	"flowsphere/model/gen"
	"flowsphere/model/nn"
	"flowsphere/model/tensor"
	"flowsphere/model/tensor/tensortest"
)

// orthonormal returns n orthonormal vectors of length d (n ≤ d) by Gram–Schmidt.
func orthonormal(rng *rand.Rand, n, d int) [][]float64 {
	out := make([][]float64, 0, n)
	for len(out) < n {
		v := make([]float64, d)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		for _, u := range out {
			dot := 0.0
			for i := range v {
				dot += v[i] * u[i]
			}
			for i := range v {
				v[i] -= dot * u[i]
			}
		}
		norm := 0.0
		for _, x := range v {
			norm += x * x
		}
		for i := range v {
			v[i] /= math.Sqrt(norm)
		}
		out = append(out, v)
	}
	return out
}

// TestNewtonSchulz orthogonalises matrices with known singular vectors and singular values
// spread over three decades, wide and tall: every singular value of the result must land in
// the quintic's band, each singular vector pair kept.
func TestNewtonSchulz(t *testing.T) {
	for _, shape := range [][2]int{{6, 10}, {10, 6}, {8, 8}, {96, 16}} {
		rows, cols := shape[0], shape[1]
		rng := rand.New(rand.NewPCG(uint64(rows), uint64(cols)))
		s := min(rows, cols)
		left, right := orthonormal(rng, s, rows), orthonormal(rng, s, cols)
		sv := make([]float64, s)
		u := make([]float32, rows*cols)
		for k := range s {
			sv[k] = math.Pow(10, -3*float64(k)/float64(s-1)) // 1 down to 1e-3
			for i := range rows {
				for j := range cols {
					u[i*cols+j] += float32(sv[k] * left[k][i] * right[k][j] * 7) // any scale
				}
			}
		}
		b := cpu.New()
		ns := &nsScratch{u: b.New(rows * cols), x: b.New(rows * cols), y: b.New(rows * cols), a: b.New(s * s), aa: b.New(s * s), rstd: b.New(1)}
		b.Upload(ns.u, u)
		o, err := b.Download(ns.orthogonalise(b, rows, cols))
		if err != nil {
			t.Fatal(err)
		}
		// O·v_k must be σ'_k·u_k with σ'_k in the band (the smallest singular values, 1e-3 of
		// the largest, are only raised to ~0.1 by five steps, as in Muon's reference).
		for k := range s {
			img := make([]float64, rows)
			for i := range rows {
				for j := range cols {
					img[i] += float64(o[i*cols+j]) * right[k][j]
				}
			}
			dot, norm := 0.0, 0.0
			for i := range img {
				dot += img[i] * left[k][i]
				norm += img[i] * img[i]
			}
			low := 0.68
			if sv[k] < 0.05 {
				low = 0.05
			}
			if !(dot > low && dot < 1.25) || math.Abs(dot*dot-norm) > 1e-3 {
				t.Errorf("%d×%d, singular value %.3g: maps to %.4f along its left vector (norm² %.4f)", rows, cols, sv[k], dot, norm)
			}
		}
	}
}

// TestMuonParams checks which of the small model's parameters Muon takes, and that Muon's
// matrices and AdamW's runs cover the arena exactly once.
func TestMuonParams(t *testing.T) {
	cfg, err := config.Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	b := cpu.New()
	m, err := gen.New(b, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]bool{}
	for _, p := range m.Params.List {
		byName[p.Name] = MuonParam(p)
	}
	for name, want := range map[string]bool{
		"enc.block0.q.w": true, "dec.mixer.1.token_up.w": true, "refiner.block5.mod.w": true, "refiner.time1.w": true,
		"enc.embed.w": false, "enc.head.w": false, "dec.embed.w": false, "dec.head.w": false,
		"refiner.latent.w": false, "refiner.image.w": false, "refiner.out.w": false, "enc.block0.up.b": false, "enc.block0.norm1": false,
	} {
		if got, ok := byName[name]; !ok || got != want {
			t.Errorf("%s: Muon %v (present %v), want %v", name, got, ok, want)
		}
	}
	arena := b.New(m.Params.Size)
	mu := newMuon(b, m.Params, arena, arena)
	covered := make([]int, m.Params.Size)
	for _, mm := range mu.matrices {
		for i := range tensor.Numel(mm.p.Shape) {
			covered[mm.p.Offset()+i]++
		}
	}
	for _, s := range mu.adam {
		for i := range s.n {
			covered[s.off+i]++
		}
	}
	for i, c := range covered {
		if c != 1 {
			t.Fatalf("arena element %d is updated %d times", i, c)
		}
	}
}

// newtonSchulz64 is the float64 reference of nsScratch.orthogonalise: X₀ = U/‖U‖_F, then
// nsSteps quintic steps on the wide orientation. u: [rows·cols].
func newtonSchulz64(u []float64, rows, cols int) []float64 {
	wide := rows <= cols
	r, c := rows, cols
	x := make([]float64, len(u))
	if wide {
		copy(x, u)
	} else { // transpose, so that the Gram matrix is the smaller side squared
		r, c = cols, rows
		for i := range rows {
			for j := range cols {
				x[j*rows+i] = u[i*cols+j]
			}
		}
	}
	norm := 0.0
	for _, v := range x {
		norm += v * v
	}
	for i := range x {
		x[i] /= math.Sqrt(norm)
	}
	for range nsSteps {
		a := make([]float64, r*r)
		for i := range r {
			for j := range r {
				for k := range c {
					a[i*r+j] += x[i*c+k] * x[j*c+k]
				}
			}
		}
		bm := make([]float64, r*r)
		for i := range r {
			for j := range r {
				aa := 0.0
				for k := range r {
					aa += a[i*r+k] * a[k*r+j]
				}
				bm[i*r+j] = nsB*a[i*r+j] + nsC*aa
			}
		}
		next := make([]float64, r*c)
		for i := range r {
			for j := range c {
				s := nsA * x[i*c+j]
				for k := range r {
					s += bm[i*r+k] * x[k*c+j]
				}
				next[i*c+j] = s
			}
		}
		x = next
	}
	if wide {
		return x
	}
	out := make([]float64, len(x))
	for i := range rows {
		for j := range cols {
			out[i*cols+j] = x[j*rows+i]
		}
	}
	return out
}

// TestMuonStepMatchesReference takes two Muon steps on a wide and a tall matrix beside a
// vector (left to AdamW) on the float32 CPU backend and compares them with the float64
// reference of every stage: momentum, Newton–Schulz, shape adjustment and decay.
func TestMuonStepMatchesReference(t *testing.T) {
	const lr, momentum, wd, clip = 0.02, 0.95, 0.1, 0.5
	b := cpu.New()
	ps := &nn.ParamSet{}
	wide := ps.Add("blk.wide.w", nn.InitLinear(10), 6, 10)
	tall := ps.Add("blk.tall.w", nn.InitLinear(5), 12, 5)
	ps.Add("blk.gain", nn.InitOnes, 7)
	ps.Allocate(b, 3)
	m, v := b.New(ps.Size), b.New(ps.Size)
	mu := newMuon(b, ps, m, v)
	defer mu.free(b)
	if len(mu.matrices) != 2 {
		t.Fatalf("%d Muon matrices, want 2", len(mu.matrices))
	}
	scale := b.New(2)
	b.Upload(scale, []float32{clip, 1})
	rng := rand.New(rand.NewPCG(4, 5))
	for _, p := range []*nn.Param{wide, tall} {
		rows, cols := p.Shape[0], p.Shape[1]
		n := rows * cols
		p0 := tensortest.Download(t, b, p.Value)
		want, mom := make([]float64, n), make([]float64, n)
		for i := range want {
			want[i] = float64(p0[i])
		}
		grads := make([][]float32, 2)
		for k := range grads {
			grads[k] = make([]float32, n)
			for i := range grads[k] {
				grads[k][i] = float32(rng.NormFloat64())
			}
		}
		for _, g := range grads {
			b.Upload(p.Grad, g)
			mu.step(b, scale, lr, momentum, wd)
			u := make([]float64, n)
			for i := range u {
				gi := clip * float64(g[i])
				mom[i] = momentum*mom[i] + gi
				u[i] = gi + momentum*mom[i]
			}
			o := newtonSchulz64(u, rows, cols)
			adj := math.Sqrt(max(1, float64(rows)/float64(cols)))
			for i := range want {
				want[i] -= lr*adj*o[i] + lr*wd*want[i]
			}
			b.Upload(p.Grad, make([]float32, n)) // the other matrix's steps see no gradient
		}
		got := tensortest.Download(t, b, p.Value)
		for i := range want {
			if d := math.Abs(float64(got[i]) - want[i]); d > 1e-5+1e-4*math.Abs(want[i]) {
				t.Fatalf("%s value %d: %.7f after two steps, reference %.7f", p.Name, i, got[i], want[i])
			}
		}
	}
}
