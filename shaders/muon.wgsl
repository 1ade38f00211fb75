// Muon's element-wise steps (one invocation per element, the flat index spread over a 2-D
// grid, see Groups1D); its Newton–Schulz orthogonalisation in between is matmuls. Both skip
// the step when scale[1] is 0, GradClip's flag for a non-finite gradient.

const WG: u32 = 256u;

struct Momentum { n: u32, mu: f32 }
@group(0) @binding(0) var<uniform> mm: Momentum;
@group(0) @binding(1) var<storage, read_write> mm_u: array<f32>;
@group(0) @binding(2) var<storage, read_write> mm_buf: array<f32>;
@group(0) @binding(3) var<storage, read> mm_g: array<f32>;
@group(0) @binding(4) var<storage, read> mm_scale: array<f32>;

// muon_momentum: with ĝ = scale[0]·g, buf ← mu·buf + ĝ and u ← ĝ + mu·buf (Nesterov).
@compute @workgroup_size(WG)
fn muon_momentum(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= mm.n || mm_scale[1] == 0.0) { return; }
  let g = mm_scale[0] * mm_g[i];
  let b = mm.mu * mm_buf[i] + g;
  mm_buf[i] = b;
  mm_u[i] = g + mm.mu * b;
}

struct Apply { n: u32, lr: f32, decay: f32 }
@group(0) @binding(0) var<uniform> ma: Apply;
@group(0) @binding(1) var<storage, read_write> ma_p: array<f32>;
@group(0) @binding(2) var<storage, read> ma_o: array<f32>;
@group(0) @binding(3) var<storage, read> ma_scale: array<f32>;

// muon_apply: p ← p − lr·o − decay·p.
@compute @workgroup_size(WG)
fn muon_apply(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= ma.n || ma_scale[1] == 0.0) { return; }
  let p = ma_p[i];
  ma_p[i] = p - ma.lr * ma_o[i] - ma.decay * p;
}
