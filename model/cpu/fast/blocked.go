package fast

import (
	"flowsphere/model/cpu/pool"
	"flowsphere/model/tensor"
)

// Cache blocks of the blocked kernel. op(B) is packed once per product into column panels
// of gemmNR for each slice of gemmKC depths. A work item multiplies a block of at most gemmMC
// rows and gemmNC columns of one batch item's output: for each depth slice it packs its A
// block (gemmMC×gemmKC floats, 256 KiB) into the worker's scratch, where it stays in the
// core's L2 beside the slice's B panels (gemmKC×gemmNC, 256 KiB), and runs the register tile
// over every pair of panels; one A panel and one B panel (gemmKC·gemmMR and gemmKC·gemmNR
// floats) stay in L1 through a tile's k loop. (Work items that packed their own B blocks
// repeated that work for every row block, which cost the vector tiles most of their speed
// on dYᵀ·X, whose few output rows are cut into many blocks.)
const (
	gemmKC = 256
	gemmMC = 256
	gemmNC = 256
)

// gemmPlan is how a product is cut into work items: output blocks of mc rows and nc columns,
// rowBlocks × colBlocks of them per batch item.
type gemmPlan struct {
	mc, nc, rowBlocks, colBlocks int
}

// planGemm picks the blocks for d: gemmMC rows, fewer (down to 4·gemmMR) when that leaves
// too few work items to keep every thread busy with several, as for dYᵀ·X with a small
// M×N and a long K.
func planGemm(d tensor.MatMulDims) gemmPlan {
	nc := min(roundUp(d.N, gemmNR), gemmNC)
	pl := gemmPlan{mc: min(roundUp(d.M, gemmMR), gemmMC), nc: nc, colBlocks: ceilDiv(d.N, nc)}
	want := pool.ChunksPerWorker * pool.Threads()
	for pl.mc > 4*gemmMR && max(d.Batch, 1)*ceilDiv(d.M, pl.mc)*pl.colBlocks < want {
		pl.mc = roundUp(pl.mc/2, gemmMR)
	}
	pl.rowBlocks = ceilDiv(d.M, pl.mc)
	return pl
}

// BlockedName names the pure-Go kernel and its register tile for the backend's Info, e.g.
// "pure-Go blocked matmul, 4×32 AVX-512 tile".
func BlockedName() string { return "pure-Go blocked matmul, " + gemmTile() }

// Blocked is the pure-Go product (see Product): one parallel loop packs op(B) of every batch
// item into panels, once, and a second runs the work items of every batch item, each
// packing its own A blocks; float32 sums.
func Blocked(out, a, b []float32, d tensor.MatMulDims, add bool) {
	pl := planGemm(d)
	items, panels := max(d.Batch, 1), ceilDiv(d.N, gemmNR)
	packed, held := packedB.Take(items * panels * gemmNR * d.K)
	defer packedB.Give(held)
	pool.Run(items*panels, max(1, 4096/(gemmNR*d.K)), packBTask{packed, b, d})
	pool.Run(items*pl.rowBlocks*pl.colBlocks, 1, blockedTask{out, a, packed, d, add, pl})
}

// packedB is the buffer of the packed B operands: the product in flight holds it, a product
// running beside it on another goroutine allocates its own.
var packedB pool.Buffer[float32]

// packedPanel is the offset in packBTask's buffer of batch item's column panel p at depths
// [k0, k0+gemmKC): per item the depth slices one after another, in each the panels of
// min(gemmKC, K−k0) depths. d: the product.
func packedPanel(d tensor.MatMulDims, item, p, k0 int) int {
	panels := ceilDiv(d.N, gemmNR)
	return (item*d.K+k0)*panels*gemmNR + p*min(gemmKC, d.K-k0)*gemmNR
}

// packBTask packs op(B)ᵀ (N×K) of each batch item into column panels of gemmNR, for every
// depth slice. packed: [batch, K, ceil(N/gemmNR)·gemmNR] in panel order; b as for Product.
type packBTask struct {
	packed, b []float32
	d         tensor.MatMulDims
}

// Run packs the panels [lo, hi), numbered batch item, then panel.
func (t *packBTask) Run(_ *pool.Worker, lo, hi int) {
	d := t.d
	panels := ceilDiv(d.N, gemmNR)
	for it := lo; it < hi; it++ {
		item, p := it/panels, it%panels
		b := t.b[item*d.StrideB:]
		for k0 := 0; k0 < d.K; k0 += gemmKC {
			kc := min(gemmKC, d.K-k0)
			packPanels(t.packed[packedPanel(d, item, p, k0):][:kc*gemmNR], b, d.N, d.K, !d.TransB, gemmNR, p*gemmNR, min(gemmNR, d.N-p*gemmNR), k0, kc)
		}
	}
}

type blockedTask struct {
	out, a, packed []float32 // as for Product; packed: packBTask's panels of b
	d              tensor.MatMulDims
	add            bool
	pl             gemmPlan
}

// Run computes the work items [lo, hi), numbered batch item, then row block, then column block.
func (t *blockedTask) Run(w *pool.Worker, lo, hi int) {
	d, pl := t.d, t.pl
	pa := w.Float32s(pl.mc * gemmKC)
	for it := lo; it < hi; it++ {
		item, block := it/(pl.rowBlocks*pl.colBlocks), it%(pl.rowBlocks*pl.colBlocks)
		i0, j0 := (block/pl.colBlocks)*pl.mc, (block%pl.colBlocks)*pl.nc
		rows, cols := min(pl.mc, d.M-i0), min(pl.nc, d.N-j0)
		a := t.a[item*d.StrideA:]
		out := t.out[item*d.StrideOut:][:d.M*d.N]
		for k0 := 0; k0 < d.K; k0 += gemmKC {
			kc := min(gemmKC, d.K-k0)
			packPanels(pa, a, d.M, d.K, d.TransA, gemmMR, i0, rows, k0, kc)
			pb := t.packed[packedPanel(d, item, j0/gemmNR, k0):]
			store := k0 == 0 && !t.add
			for q := 0; q*gemmNR < cols; q++ {
				for p := 0; p*gemmMR < rows; p++ {
					tile := microKernel(kc, pa[p*kc*gemmMR:], pb[q*kc*gemmNR:])
					addTile(out[(i0+p*gemmMR)*d.N+j0+q*gemmNR:], d.N, &tile, min(gemmMR, rows-p*gemmMR), min(gemmNR, cols-q*gemmNR), store)
				}
			}
		}
	}
}

// addTile adds (or, when store, writes) the top-left rows×cols of a register tile into c.
// c: the output from the tile's first element on, rows ldc apart.
func addTile(c []float32, ldc int, tile *[gemmMR * gemmNR]float32, rows, cols int, store bool) {
	for r := range rows {
		dst, src := c[r*ldc:][:cols], tile[r*gemmNR:][:cols]
		if store {
			copy(dst, src)
			continue
		}
		for j, v := range src {
			dst[j] += v
		}
	}
}
