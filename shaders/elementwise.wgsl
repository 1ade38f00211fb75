// Elementwise utility kernels: fill, axpby, per-row axpby, strided 2-D copy and broadcast add.
// One thread per element; the flat index spans a 2-D grid (see Groups1D).

const WG: u32 = 256u;

struct Fill { n: u32, value: f32 }
@group(0) @binding(0) var<uniform> fill_u: Fill;
@group(0) @binding(1) var<storage, read_write> fill_out: array<f32>;

fn flat(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

@compute @workgroup_size(WG)
fn elementwise_fill(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i < fill_u.n) { fill_out[i] = fill_u.value; }
}

struct Axpby { n: u32, alpha: f32, beta: f32 }
@group(0) @binding(0) var<uniform> axpby_u: Axpby;
@group(0) @binding(1) var<storage, read_write> axpby_y: array<f32>;
@group(0) @binding(2) var<storage, read> axpby_x: array<f32>;

@compute @workgroup_size(WG)
fn elementwise_axpby(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i < axpby_u.n) { axpby_y[i] = axpby_u.alpha * axpby_x[i] + axpby_u.beta * axpby_y[i]; }
}

struct RowAxpby { rows: u32, cols: u32 }
@group(0) @binding(0) var<uniform> row_u: RowAxpby;
@group(0) @binding(1) var<storage, read_write> row_y: array<f32>;
@group(0) @binding(2) var<storage, read> row_x: array<f32>;
@group(0) @binding(3) var<storage, read> row_alpha: array<f32>;
@group(0) @binding(4) var<storage, read> row_beta: array<f32>;

@compute @workgroup_size(WG)
fn elementwise_rowaxpby(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i >= row_u.rows * row_u.cols) { return; }
  let r = i / row_u.cols;
  row_y[i] = row_alpha[r] * row_x[i] + row_beta[r] * row_y[i];
}

struct Copy2D { rows: u32, cols: u32, dst_off: u32, dst_stride: u32, src_off: u32, src_stride: u32, accumulate: u32 }
@group(0) @binding(0) var<uniform> copy_u: Copy2D;
@group(0) @binding(1) var<storage, read_write> copy_dst: array<f32>;
@group(0) @binding(2) var<storage, read> copy_src: array<f32>;

@compute @workgroup_size(WG)
fn elementwise_copy2d(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i >= copy_u.rows * copy_u.cols) { return; }
  let r = i / copy_u.cols;
  let c = i % copy_u.cols;
  let s = copy_src[copy_u.src_off + r * copy_u.src_stride + c];
  let d = copy_u.dst_off + r * copy_u.dst_stride + c;
  if (copy_u.accumulate != 0u) { copy_dst[d] = copy_dst[d] + s; } else { copy_dst[d] = s; }
}

struct Broadcast { batch: u32, n: u32 }
@group(0) @binding(0) var<uniform> bc_u: Broadcast;
@group(0) @binding(1) var<storage, read_write> bc_y: array<f32>;
@group(0) @binding(2) var<storage, read> bc_x: array<f32>;

@compute @workgroup_size(WG)
fn elementwise_addbroadcast(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i >= bc_u.batch * bc_u.n) { return; }
  bc_y[i] = bc_y[i] + bc_x[i % bc_u.n];
}
