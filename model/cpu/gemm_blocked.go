package cpu

import (
	"flowsphere/model/tensor"
)

// Cache blocks of the blocked kernel. A work item multiplies a block of at most gemmMC rows
// and gemmNC columns of one batch item's output: for each slice of gemmKC depths it packs its
// A block (gemmMC×gemmKC floats, 256 KiB) and B block (gemmKC×gemmNC, 256 KiB) into the
// worker's scratch, where they stay in the core's L2, and runs the register tile over every
// pair of panels; one A panel and one B panel (gemmKC·gemmMR and gemmKC·gemmNR floats) stay
// in L1 through a tile's k loop. Work items are independent (each packs its own B block, a
// 1/(2·rows) overhead that the vector tiles feel: 256-row blocks ran 2048-row products up to
// 1.4× faster than 64-row ones), so one parallel region covers a whole batched product.
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
	want := chunksPerWorker * sharedPool().threads()
	for pl.mc > 4*gemmMR && max(d.Batch, 1)*ceilDiv(d.M, pl.mc)*pl.colBlocks < want {
		pl.mc = roundUp(pl.mc/2, gemmMR)
	}
	pl.rowBlocks = ceilDiv(d.M, pl.mc)
	return pl
}

// blockedProduct is the pure-Go product (see product): one parallel region over the work
// items of every batch item, float32 sums.
func blockedProduct(out, a, b []float32, d tensor.MatMulDims, add bool) {
	pl := planGemm(d)
	parallel(max(d.Batch, 1)*pl.rowBlocks*pl.colBlocks, 1, blockedTask{out, a, b, d, add, pl})
}

type blockedTask struct {
	out, a, b []float32 // as for product
	d         tensor.MatMulDims
	add       bool
	pl        gemmPlan
}

// run computes the work items [lo, hi), numbered batch item, then row block, then column block.
func (t *blockedTask) run(w *worker, lo, hi int) {
	d, pl := t.d, t.pl
	scratch := w.float32s((pl.mc + pl.nc) * gemmKC)
	pa, pb := scratch[:pl.mc*gemmKC], scratch[pl.mc*gemmKC:]
	for it := lo; it < hi; it++ {
		item, block := it/(pl.rowBlocks*pl.colBlocks), it%(pl.rowBlocks*pl.colBlocks)
		i0, j0 := (block/pl.colBlocks)*pl.mc, (block%pl.colBlocks)*pl.nc
		rows, cols := min(pl.mc, d.M-i0), min(pl.nc, d.N-j0)
		a, b := t.a[item*d.StrideA:], t.b[item*d.StrideB:]
		out := t.out[item*d.StrideOut:][:d.M*d.N]
		for k0 := 0; k0 < d.K; k0 += gemmKC {
			kc := min(gemmKC, d.K-k0)
			packPanels(pa, a, d.M, d.K, d.TransA, gemmMR, i0, rows, k0, kc)
			packPanels(pb, b, d.N, d.K, !d.TransB, gemmNR, j0, cols, k0, kc)
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

// ceilDiv is ⌈a/b⌉ for positive b.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// roundUp is a rounded up to a multiple of m.
func roundUp(a, m int) int { return ceilDiv(a, m) * m }
