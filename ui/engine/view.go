package engine

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// walkFrames is the number of frames from one sphere point to the next.
const walkFrames = 40

// walker is the state of the animated latent walk: every grid image travels along the great
// circle from its point in from to its point in to, then on to a new random point.
type walker struct {
	from, to []float32 // [GridSize·L]
	frame    int       // 0…walkFrames within the leg
	leg      uint64    // legs walked: seeds the next destination
}

// generate draws the sphere points of seed and shows their decodes and refinements.
func (e *Engine) generate(seed uint64, steps int) error {
	e.walk = nil
	if err := e.syncEMA(); err != nil {
		return err
	}
	v := e.gen.SpherePoints(e.b, seed)
	points, err := e.b.Download(v)
	if err != nil {
		return err
	}
	start := time.Now()
	e.startTask(steps)
	err = e.show(ViewSamples, points, seed, steps, -1)
	e.endTask(time.Since(start))
	if err != nil {
		return err
	}
	e.note = fmt.Sprintf("seed %d, %d refinement steps: %d images in %s · %s", seed, steps, GridSize, time.Since(start).Round(time.Millisecond), e.snap.Backend)
	return nil
}

// show decodes and refines points ([GridSize·L]) and publishes them as the grid. During a
// generation's task the decodes are shown as soon as they exist, and taken back should the
// refinement fail.
func (e *Engine) show(view string, points []float32, seed uint64, steps, centre int) error {
	e.b.Upload(e.pts, points)
	dec, err := e.gen.Decode(e.b, e.pts, seed)
	if err != nil {
		return err
	}
	if e.snap.Task != "" {
		before := e.snap.Grid
		defer func() {
			if e.snap.Task != "" { // the refinement failed
				e.snap.Grid = before
			}
		}()
		e.snap.Grid = makeGrid(dec, nil, e.model.Cfg.Image, centre)
		e.snap.Task = TaskRefining
		e.publish()
		yieldFrame()
	}
	ref, err := e.gen.Refine(e.b, seed, steps, false)
	if err != nil {
		return err
	}
	e.snap.Task = ""
	e.points = points
	e.snap.Grid = makeGrid(dec, ref, e.model.Cfg.Image, centre)
	e.snap.View, e.snap.Seed, e.snap.Steps = view, seed, steps
	e.snap.Grids++
	return nil
}

// setWalk starts or stops the latent walk from the current grid.
func (e *Engine) setWalk(on bool) error {
	if !on {
		e.walk = nil
		e.note = "walk stopped"
		return nil
	}
	if e.points == nil {
		return errors.New("no grid to walk from yet")
	}
	if err := e.syncEMA(); err != nil {
		return err
	}
	e.walk = &walker{from: e.points, to: e.destination(0)}
	e.note = "walking: every image slides along a great circle to a new random point"
	return e.walkFrame()
}

// destination draws random sphere points for a walk leg.
func (e *Engine) destination(leg uint64) []float32 {
	rng := rand.New(rand.NewPCG(e.snap.Seed, leg|1<<62))
	L := e.model.Cfg.L()
	out := make([]float32, GridSize*L)
	for i := range GridSize {
		randomPoint(out[i*L:(i+1)*L], rng)
	}
	return out
}

// walkFrame shows the next frame of the walk. The refiner noise keeps the grid's seed, so
// frames differ only by the moving points.
func (e *Engine) walkFrame() error {
	w := e.walk
	w.frame++
	if w.frame > walkFrames {
		w.leg++
		w.from, w.to, w.frame = w.to, e.destination(w.leg), 1
	}
	L := e.model.Cfg.L()
	points := make([]float32, GridSize*L)
	t := float64(w.frame) / walkFrames
	for i := range GridSize {
		r := i * L
		slerp(points[r:r+L], w.from[r:r+L], w.to[r:r+L], t)
	}
	return e.show(ViewWalk, points, e.snap.Seed, e.snap.Steps, -1)
}

// neighbours shows grid image index first, then random neighbours at the given angle.
func (e *Engine) neighbours(index int, degrees float64) error {
	if e.points == nil {
		return errors.New("no grid yet")
	}
	if index < 0 || index >= GridSize {
		return fmt.Errorf("no image %d in the grid (0…%d)", index, GridSize-1)
	}
	if !(degrees >= 0 && degrees <= 180) {
		return fmt.Errorf("angle %g° outside 0…180°", degrees)
	}
	e.walk = nil
	if err := e.syncEMA(); err != nil {
		return err
	}
	L := e.model.Cfg.L()
	centre := e.points[index*L : (index+1)*L]
	e.draws++
	rng := rand.New(rand.NewPCG(e.snap.Seed, e.draws))
	points := make([]float32, GridSize*L)
	copy(points, centre)
	for i := 1; i < GridSize; i++ {
		neighbour(points[i*L:(i+1)*L], centre, degrees, rng)
	}
	if err := e.show(ViewNeighbours, points, e.snap.Seed, e.snap.Steps, 0); err != nil {
		return err
	}
	e.snap.Angle = degrees
	e.note = fmt.Sprintf("image %d and %d neighbours %.0f° away on the sphere", index+1, GridSize-1, degrees)
	return nil
}
