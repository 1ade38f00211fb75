// Matmul family: register-tiled GEMM with transposes, bias, accumulate and batch; a linear
// layer's whole backward (input, weight and bias gradients) in one dispatch; column sums (split-K partials, broadcast
// backward); batched transpose through workgroup memory.
// Every buffer binding starts at its tensor's offset, so indices start at 0.

// ---- matmul_forward: out = op(a)·op(b) (+ bias) (+ out) -------------------------------------
// One workgroup of MM_THREADS×MM_THREADS threads computes a TILE×TILE block of one output
// (workgroup_id.z, see below). Thread (tx, ty) keeps the 4×4 outputs at rows ty + MM_THREADS·i
// and columns tx + MM_THREADS·j in registers: its reads of the staged tiles broadcast along a
// row of threads, and its stores are coalesced along tx. K advances BK at a time; both operands
// are staged k-major ([BK][TILE] with a padded row of TILE_PAD) whatever their layout, each
// thread loading the elements of the axis that is contiguous in memory so the global reads
// coalesce, and the padding keeps the transposed stores free of bank conflicts.
// Split-K: workgroup_id.z = item·slices + slice, where slice sums k in [slice·k_split,
// (slice+1)·k_split) and writes its partial product to out item z (the runtime then sums the
// slices); without a split, k_split ≥ K and z is the batch item.

const TILE: u32 = 64u;
const BK: u32 = 16u;
const MM_THREADS: u32 = 16u;
const TILE_PAD: u32 = 65u; // TILE + 1
const MM_REG: u32 = 4u;    // TILE / MM_THREADS outputs per thread along each axis (a vec4)
const MM_LOADS: u32 = 4u;  // BK·TILE / (MM_THREADS·MM_THREADS) elements per thread and operand

// One product's shape. b_from_x says that op(b) is read from mm_x rather than mm_b: the two
// products of matmul_backward share op(a) = dY but not op(b). act_a and act_b apply an
// activation (actfn.wgsl; 0 for none) to op(a)'s and op(b)'s elements as they are read, so
// that a layer applied to f(x) needs no f(x) in memory; act_grad multiplies each output by
// f'(mm_x) at the same place (an unbatched product), the input gradient of such a layer.
// The helpers take the shape as an argument, not from a module-scope variable, so that the
// uniformity analysis sees the loop bounds around their barriers as uniform. 16 fields: 64
// bytes, so that a struct of two keeps the second at the offset a uniform needs (a multiple
// of 16).
struct MatMul {
  m: u32, n: u32, k: u32,
  trans_a: u32, trans_b: u32, accumulate: u32, has_bias: u32,
  stride_a: u32, stride_b: u32, stride_out: u32,
  k_split: u32, slices: u32,
  b_from_x: u32, act_a: u32, act_b: u32, act_grad: u32,
}
@group(0) @binding(0) var<uniform> mm: MatMul;
@group(0) @binding(1) var<storage, read_write> mm_out: array<f32>;
@group(0) @binding(2) var<storage, read> mm_a: array<f32>;
@group(0) @binding(3) var<storage, read> mm_b: array<f32>;
@group(0) @binding(4) var<storage, read> mm_bias: array<f32>;
@group(0) @binding(5) var<storage, read> mm_x: array<f32>; // op(b) when b_from_x, f's inputs under act_grad; else unread

// MM_STORE is what the staged tiles hold: f32, or f16 in the f16 variant (matmulF16 in
// matmul.go, on devices with shader-f16), which rounds both operands to half precision as it
// stages them, halving the workgroup memory and its traffic; the sums stay f32 either way.
alias MM_STORE = f32;

var<workgroup> tile_a: array<MM_STORE, 1040>; // BK·TILE_PAD
var<workgroup> tile_b: array<MM_STORE, 1040>;

// load_a is op(a)[row, kk] of the batch item starting at base, 0 outside the matrix or at
// kk ≥ k_end (the end of this workgroup's slice of K).
fn load_a(p: MatMul, base: u32, row: u32, kk: u32, k_end: u32) -> f32 {
  if (row >= p.m || kk >= k_end) { return 0.0; }
  var i = base + row * p.k + kk;
  if (p.trans_a != 0u) { i = base + kk * p.m + row; }
  var v = mm_a[i];
  if (p.act_a != 0u) { v = act_value(v, p.act_a); }
  return v;
}

// load_b is op(b)[kk, col] of the batch item starting at base, 0 outside the matrix or at
// kk ≥ k_end.
fn load_b(p: MatMul, base: u32, kk: u32, col: u32, k_end: u32) -> f32 {
  if (col >= p.n || kk >= k_end) { return 0.0; }
  var i = base + kk * p.n + col;
  if (p.trans_b != 0u) { i = base + col * p.k + kk; }
  var v: f32;
  if (p.b_from_x != 0u) { v = mm_x[i]; } else { v = mm_b[i]; }
  if (p.act_b != 0u) { v = act_value(v, p.act_b); }
  return v;
}

// tile_slot places the idx-th element of a BK×TILE tile at (k, row or column), with
// consecutive idx along the axis that is contiguous in memory.
fn tile_slot(idx: u32, k_contiguous: bool) -> vec2<u32> {
  if (k_contiguous) { return vec2<u32>(idx % BK, idx / BK); }
  return vec2<u32>(idx / TILE, idx % TILE);
}

// mm_stage loads the BK×TILE tiles of op(a) at rows row0… and of op(b) at columns col0…
// for depths k0… (of the batch items starting at base_a and base_b) into workgroup memory;
// flat is the thread's index in the workgroup.
fn mm_stage(p: MatMul, flat: u32, base_a: u32, base_b: u32, row0: u32, col0: u32, k0: u32, k_end: u32) {
  for (var l = 0u; l < MM_LOADS; l++) {
    let idx = flat + l * MM_THREADS * MM_THREADS;
    let sa = tile_slot(idx, p.trans_a == 0u);
    tile_a[sa.x * TILE_PAD + sa.y] = MM_STORE(load_a(p, base_a, row0 + sa.y, k0 + sa.x, k_end));
    let sb = tile_slot(idx, p.trans_b != 0u);
    tile_b[sb.x * TILE_PAD + sb.y] = MM_STORE(load_b(p, base_b, k0 + sb.x, col0 + sb.y, k_end));
  }
}

// mm_product accumulates thread (tx, ty)'s 4×4 outputs of the TILE×TILE block at (row0,
// col0) over depths [k_begin, k_end) into acc, and the sum over those depths of each of its
// rows of op(a) into sums (the same for every tx).
fn mm_product(p: MatMul, lid: vec3<u32>, base_a: u32, base_b: u32, row0: u32, col0: u32, k_begin: u32, k_end: u32,
              acc: ptr<function, array<vec4<f32>, MM_REG>>, sums: ptr<function, vec4<f32>>) {
  let tx = lid.x;
  let ty = lid.y;
  for (var k0 = k_begin; k0 < k_end; k0 += BK) {
    mm_stage(p, ty * MM_THREADS + tx, base_a, base_b, row0, col0, k0, k_end);
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let rb = kk * TILE_PAD + tx;
      let b = vec4<f32>(f32(tile_b[rb]), f32(tile_b[rb + MM_THREADS]), f32(tile_b[rb + 2u * MM_THREADS]), f32(tile_b[rb + 3u * MM_THREADS]));
      let ra = kk * TILE_PAD + ty;
      let a = vec4<f32>(f32(tile_a[ra]), f32(tile_a[ra + MM_THREADS]), f32(tile_a[ra + 2u * MM_THREADS]), f32(tile_a[ra + 3u * MM_THREADS]));
      *sums += a;
      for (var i = 0u; i < MM_REG; i++) {
        (*acc)[i] = fma(vec4<f32>(a[i]), b, (*acc)[i]);
      }
    }
    workgroupBarrier();
  }
}

// mm_forward_tile computes the TILE×TILE block at (row0, col0) of output z (a batch item, or
// item·slices + slice under a split of K) of the product p into mm_out.
fn mm_forward_tile(p: MatMul, lid: vec3<u32>, row0: u32, col0: u32, z: u32) {
  let item = z / p.slices;
  let slice = z % p.slices;
  let k_begin = slice * p.k_split;
  var acc: array<vec4<f32>, MM_REG>;
  var sums: vec4<f32>; // unused here
  mm_product(p, lid, item * p.stride_a, item * p.stride_b, row0, col0, k_begin, min(k_begin + p.k_split, p.k), &acc, &sums);
  let base_out = z * p.stride_out;
  for (var i = 0u; i < MM_REG; i++) {
    let row = row0 + lid.y + i * MM_THREADS;
    if (row >= p.m) { break; }
    for (var j = 0u; j < MM_REG; j++) {
      let col = col0 + lid.x + j * MM_THREADS;
      if (col >= p.n) { break; }
      var v = acc[i][j];
      if (p.has_bias != 0u && slice == 0u) { v += mm_bias[col]; }
      if (p.act_grad != 0u) { v *= act_slope(mm_x[row * p.n + col], p.act_grad); }
      let o = base_out + row * p.n + col;
      if (p.accumulate != 0u) { v += mm_out[o]; }
      mm_out[o] = v;
    }
  }
}

@compute @workgroup_size(MM_THREADS, MM_THREADS)
fn matmul_forward(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  mm_forward_tile(mm, lid, wid.y * TILE, wid.x * TILE, wid.z);
}

// ---- matmul_add: out = res + op(a)·op(b) (+ bias) --------------------------------------------
// A residual branch's output projection and the residual sum in one pass: matmul_forward's
// product (no split of K) with the stream it branches from, res, read where out is written.

@group(0) @binding(6) var<storage, read> mm_res: array<f32>;

@compute @workgroup_size(MM_THREADS, MM_THREADS)
fn matmul_add(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let row0 = wid.y * TILE;
  let col0 = wid.x * TILE;
  var acc: array<vec4<f32>, MM_REG>;
  var sums: vec4<f32>; // unused here
  mm_product(mm, lid, wid.z * mm.stride_a, wid.z * mm.stride_b, row0, col0, 0u, mm.k, &acc, &sums);
  for (var i = 0u; i < MM_REG; i++) {
    for (var j = 0u; j < MM_REG; j++) {
      let row = row0 + lid.y + i * MM_THREADS;
      let col = col0 + lid.x + j * MM_THREADS;
      if (row < mm.m && col < mm.n) {
        let o = wid.z * mm.stride_out + row * mm.n + col;
        var branch = acc[i][j];
        if (mm.has_bias != 0u) { branch += mm_bias[col]; }
        mm_out[o] = mm_res[o] + branch;
      }
    }
  }
}

// ---- matmul_backward: dIn (+)= dY·W, dW += dYᵀ·x and dB += Σ_r dY -------------------------
// A linear layer's whole backward in one dispatch, so that it costs the host one dispatch
// rather than two. Both products have N = in columns, so the grid stacks their tile rows:
// workgroup rows [0, ⌈rows/TILE⌉) compute dIn = dY·W as matmul_forward does (lb.dx: op(a) =
// dY, op(b) = W from mm_b), the rest dW = dYᵀ·x (lb.dw: op(a) = dYᵀ, op(b) = x from mm_x),
// whose workgroups of the first column of tiles also sum op(a)'s rows as they stage them,
// which is the bias gradient. With no dIn, lb.dx.m is 0 and every workgroup row is dW's.
// workgroup_id.z is the slice of a split of K for either product (slices > 1: a partial
// product into mm_out[z·M·N …], or for dW into mm_dw[z·M·N …] and mm_db[z·M …], which the
// runtime then adds up; without a split both add into their outputs). Workgroups past a
// product's slices have nothing to do.

struct LinearBackward { dx: MatMul, dw: MatMul }
@group(0) @binding(0) var<uniform> lb: LinearBackward;
@group(0) @binding(6) var<storage, read_write> mm_dw: array<f32>;
@group(0) @binding(7) var<storage, read_write> mm_db: array<f32>;

@compute @workgroup_size(MM_THREADS, MM_THREADS)
fn matmul_backward(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let dx_rows = (lb.dx.m + TILE - 1u) / TILE;
  let col0 = wid.x * TILE;
  let slice = wid.z;
  if (wid.y < dx_rows) {
    if (slice < lb.dx.slices) { mm_forward_tile(lb.dx, lid, wid.y * TILE, col0, slice); }
    return;
  }
  let p = lb.dw;
  if (slice >= p.slices) { return; }
  let row0 = (wid.y - dx_rows) * TILE;
  let k_begin = slice * p.k_split;
  var acc: array<vec4<f32>, MM_REG>;
  var sums: vec4<f32>;
  mm_product(p, lid, 0u, 0u, row0, col0, k_begin, min(k_begin + p.k_split, p.k), &acc, &sums);
  let split = p.slices > 1u;
  for (var i = 0u; i < MM_REG; i++) {
    let row = row0 + lid.y + i * MM_THREADS;
    if (row >= p.m) { break; }
    if (p.has_bias != 0u && col0 == 0u && lid.x == 0u) {
      if (split) { mm_db[slice * p.m + row] = sums[i]; } else { mm_db[row] += sums[i]; }
    }
    for (var j = 0u; j < MM_REG; j++) {
      let col = col0 + lid.x + j * MM_THREADS;
      if (col >= p.n) { break; }
      let o = slice * p.m * p.n + row * p.n + col;
      if (split) { mm_dw[o] = acc[i][j]; } else { mm_dw[o] += acc[i][j]; }
    }
  }
}

// ---- matmul_sumrows: out[chunk, c] (+)= Σ_{r in chunk} in[r, c] ----------------------------
// A workgroup covers SUM_COLS adjacent columns (coalesced reads along a row) with SUM_LANES
// row lanes, over one chunk of rows (workgroup_id.y); the lanes' partial sums meet in
// workgroup memory. Long inputs are reduced chunk-wise into scratch first, and the chunk sums
// are reduced again by the same kernel (see SumRows in matmul.go).

const SUM_COLS: u32 = 64u;
const SUM_LANES: u32 = 4u;

struct SumRows { rows: u32, cols: u32, chunk: u32, accumulate: u32 }
@group(0) @binding(0) var<uniform> sr: SumRows;
@group(0) @binding(1) var<storage, read_write> sr_out: array<f32>;
@group(0) @binding(2) var<storage, read> sr_in: array<f32>;

var<workgroup> sr_part: array<f32, 256>; // SUM_LANES·SUM_COLS

@compute @workgroup_size(SUM_COLS, SUM_LANES)
fn matmul_sumrows(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let col = wid.x * SUM_COLS + lid.x;
  let r0 = wid.y * sr.chunk;
  let r1 = min(r0 + sr.chunk, sr.rows);
  var s: f32 = 0.0;
  if (col < sr.cols) {
    for (var r = r0 + lid.y; r < r1; r += SUM_LANES) { s += sr_in[r * sr.cols + col]; }
  }
  sr_part[lid.y * SUM_COLS + lid.x] = s;
  workgroupBarrier();
  if (lid.y == 0u && col < sr.cols) {
    let total = (sr_part[lid.x] + sr_part[SUM_COLS + lid.x]) + (sr_part[2u * SUM_COLS + lid.x] + sr_part[3u * SUM_COLS + lid.x]);
    let o = wid.y * sr.cols + col;
    if (sr.accumulate != 0u) { sr_out[o] = sr_out[o] + total; } else { sr_out[o] = total; }
  }
}

// ---- matmul_transpose: out[b, c, r] = in[b, r, c] -------------------------------------------
// A TR_TILE×TR_TILE workgroup reads a tile along input rows and writes it along output rows
// through workgroup memory (padded to TR_TILE+1 per row against bank conflicts); batch item =
// workgroup_id.z.

const TR_TILE: u32 = 16u;
const TR_PAD: u32 = 17u; // TR_TILE + 1

struct Transpose { rows: u32, cols: u32 }
@group(0) @binding(0) var<uniform> tr: Transpose;
@group(0) @binding(1) var<storage, read_write> tr_out: array<f32>;
@group(0) @binding(2) var<storage, read> tr_in: array<f32>;

var<workgroup> tr_tile: array<f32, 272>; // TR_TILE·TR_PAD

@compute @workgroup_size(TR_TILE, TR_TILE)
fn matmul_transpose(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let base = wid.z * tr.rows * tr.cols;
  let r = wid.y * TR_TILE + lid.y;
  let c = wid.x * TR_TILE + lid.x;
  if (r < tr.rows && c < tr.cols) { tr_tile[lid.y * TR_PAD + lid.x] = tr_in[base + r * tr.cols + c]; }
  workgroupBarrier();
  let out_row = wid.x * TR_TILE + lid.y; // an input column
  let out_col = wid.y * TR_TILE + lid.x; // an input row
  if (out_row < tr.cols && out_col < tr.rows) { tr_out[base + out_row * tr.rows + out_col] = tr_tile[lid.x * TR_PAD + lid.y]; }
}
