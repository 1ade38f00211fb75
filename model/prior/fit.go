package prior

import (
	"flowsphere/model/parallel"
	"fmt"
	"math"
	"math/rand/v2"
)

// FitOptions configure Fit.
type FitOptions struct {
	Rank       int     // most principal directions the components span (fewer with few points)
	Components int     // K; Fit uses at most one component per PointsPerComponent points
	Iterations int     // most EM iterations after the k-means start
	Shrink     float64 // each covariance is (1−Shrink)·S + Shrink·(tr S/Dim)·I
	Seed       uint64  // the k-means++ start
}

// PointsPerComponent is the fewest points Fit gives each component on average: a handful of
// user images fits one shrunk Gaussian, not one spike per image.
const PointsPerComponent = 16

// varianceFloor keeps every covariance above this share of the data's mean variance (and
// above minVariance), so a component that collapses onto a few identical points stays a
// density.
const (
	varianceFloor = 1e-3
	minVariance   = 1e-9
)

// minResponsibility skips a point's share in a component's sums below this.
const minResponsibility = 1e-8

// DefaultFitOptions are the settings of the shipped priors.
func DefaultFitOptions() FitOptions {
	return FitOptions{Rank: 64, Components: 32, Iterations: 40, Shrink: 0.05, Seed: 1}
}

// Fit fits a mixture to points: [n][Dim] and returns it with the mean log-likelihood per
// point of its last E step.
func Fit(points [][]float32, o FitOptions) (*Mixture, float64, error) {
	n := len(points)
	if n < 2 {
		return nil, 0, fmt.Errorf("prior: %d points, need at least 2", n)
	}
	if o.Rank < 1 || o.Components < 1 || o.Iterations < 0 || o.Shrink < 0 || o.Shrink > 1 {
		return nil, 0, fmt.Errorf("prior: rank %d, %d components, %d iterations, shrink %g", o.Rank, o.Components, o.Iterations, o.Shrink)
	}
	d := len(points[0])
	x := make([][]float64, n)
	for i, p := range points {
		if len(p) != d || d == 0 {
			return nil, 0, fmt.Errorf("prior: point %d has %d values, point 0 has %d", i, len(p), d)
		}
		x[i] = make([]float64, d)
		for j, v := range p {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, 0, fmt.Errorf("prior: point %d is not finite", i)
			}
			x[i][j] = float64(v)
		}
	}
	m := principal(x, min(o.Rank, d, n-1))
	y := m.project(x)
	r, k := m.Rank, max(1, min(o.Components, n/PointsPerComponent))
	f := &fitter{x: y, d: r, k: k, shrink: o.Shrink, floor: max(minVariance, varianceFloor*meanVariance(y))}
	f.resp = make([][]float64, n)
	for i := range f.resp {
		f.resp[i] = make([]float64, k)
	}
	m.Weights, m.Means, m.Chols = make([]float64, k), make([][]float64, k), make([][]float64, k)
	for c := range k {
		m.Means[c], m.Chols[c] = make([]float64, r), make([]float64, r*r)
	}
	f.m = m
	f.kmeans(rand.New(rand.NewPCG(o.Seed, 0x6d6978)))
	if err := f.maximise(); err != nil {
		return nil, 0, err
	}
	ll := f.expect()
	for range o.Iterations {
		if err := f.maximise(); err != nil {
			return nil, 0, err
		}
		next := f.expect()
		done := next-ll < 1e-5*math.Abs(ll)
		ll = next
		if done {
			break
		}
	}
	return f.m, ll, nil
}

// fitter holds one fit's state, in basis coordinates.
type fitter struct {
	x      [][]float64 // points [n][d], d = the mixture's Rank
	d, k   int
	shrink float64
	floor  float64     // variance added to every covariance's diagonal
	resp   [][]float64 // responsibilities [n][k]
	m      *Mixture
}

// meanVariance is the mean over dimensions of the points' variance.
func meanVariance(x [][]float64) float64 {
	d := len(x[0])
	mean := make([]float64, d)
	for _, p := range x {
		for j, v := range p {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(len(x))
	}
	s := 0.0
	for _, p := range x {
		for j, v := range p {
			s += (v - mean[j]) * (v - mean[j])
		}
	}
	return s / float64(len(x)*d)
}

// kmeans sets hard responsibilities from k-means++ seeds and ten Lloyd iterations.
func (f *fitter) kmeans(rng *rand.Rand) {
	n, centres := len(f.x), make([][]float64, 0, f.k)
	dist := make([]float64, n)
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	next := f.x[rng.IntN(n)]
	for len(centres) < f.k {
		centres = append(centres, append([]float64(nil), next...))
		sum := 0.0
		for i, p := range f.x {
			dist[i] = min(dist[i], sqDist(p, next))
			sum += dist[i]
		}
		u := rng.Float64() * sum
		for i, dd := range dist {
			if u -= dd; u <= 0 || i == n-1 {
				next = f.x[i]
				break
			}
		}
	}
	assign := make([]int, n)
	for range 10 {
		parallel.For(n, func(i int) {
			best, bd := 0, math.Inf(1)
			for c, ctr := range centres {
				if dd := sqDist(f.x[i], ctr); dd < bd {
					best, bd = c, dd
				}
			}
			assign[i] = best
		})
		counts := make([]int, f.k)
		for c := range centres {
			clear(centres[c])
		}
		for i, c := range assign {
			counts[c]++
			for j, v := range f.x[i] {
				centres[c][j] += v
			}
		}
		for c := range centres {
			if counts[c] == 0 { // an empty cluster restarts at a random point
				copy(centres[c], f.x[rng.IntN(n)])
				continue
			}
			for j := range centres[c] {
				centres[c][j] /= float64(counts[c])
			}
		}
	}
	for i, c := range assign {
		clear(f.resp[i])
		f.resp[i][c] = 1
	}
}

// sqDist is |a − b|².
func sqDist(a, b []float64) float64 {
	s := 0.0
	for j := range a {
		s += (a[j] - b[j]) * (a[j] - b[j])
	}
	return s
}

// maximise sets weights, means and shrunk covariances from the responsibilities. A
// component that has lost all its points restarts at the point it explains worst.
func (f *fitter) maximise() error {
	n, d := len(f.x), f.d
	errs := make([]error, f.k)
	parallel.For(f.k, func(c int) {
		total := 0.0
		mean := f.m.Means[c]
		clear(mean)
		for i, p := range f.x {
			r := f.resp[i][c]
			total += r
			for j, v := range p {
				mean[j] += r * v
			}
		}
		if total < 1e-6 {
			total = 1e-6
			copy(mean, f.x[(c*7919)%n])
		} else {
			for j := range mean {
				mean[j] /= total
			}
		}
		f.m.Weights[c] = total
		cov, diff := make([]float64, d*d), make([]float64, d)
		for i, p := range f.x {
			r := f.resp[i][c]
			if r < minResponsibility {
				continue
			}
			for j, v := range p {
				diff[j] = v - mean[j]
			}
			for a := range d {
				ra := r * diff[a]
				row := cov[a*d : a*d+a+1]
				for b := range row {
					row[b] += ra * diff[b]
				}
			}
		}
		// S = the weighted scatter / total; Σ = (1−shrink)·S + (shrink·tr S/d + floor)·I.
		trace := 0.0
		for a := range d {
			trace += cov[a*d+a] / total
		}
		iso := f.shrink*trace/float64(d) + f.floor
		for a := range d {
			for b := 0; b <= a; b++ {
				cov[a*d+b] *= (1 - f.shrink) / total
			}
			cov[a*d+a] += iso
		}
		errs[c] = cholesky(f.m.Chols[c], cov, d)
	})
	sum := 0.0
	for c, err := range errs {
		if err != nil {
			return fmt.Errorf("component %d: %w", c, err)
		}
		sum += f.m.Weights[c]
	}
	for c := range f.m.Weights {
		f.m.Weights[c] /= sum
	}
	return nil
}

// expect sets the responsibilities from the mixture and returns the mean log-likelihood.
func (f *fitter) expect() float64 {
	n := len(f.x)
	ll := make([]float64, n)
	logW := make([]float64, f.k)
	for c, w := range f.m.Weights {
		logW[c] = math.Log(w)
	}
	parallel.For(n, func(i int) {
		work, r := make([]float64, f.d), f.resp[i]
		top := math.Inf(-1)
		for c := range f.k {
			r[c] = logW[c] + logDensity(f.x[i], f.m.Means[c], f.m.Chols[c], work, f.d)
			top = max(top, r[c])
		}
		sum := 0.0
		for c := range r {
			r[c] = math.Exp(r[c] - top)
			sum += r[c]
		}
		for c := range r {
			r[c] /= sum
		}
		ll[i] = top + math.Log(sum)
	})
	total := 0.0
	for _, v := range ll {
		total += v
	}
	return total / float64(n)
}
