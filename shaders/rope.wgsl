// 2-D rotary position embedding. x: [batch, tokens, heads, dh] read as vec2 pairs; pair p of
// a head (p < dh/2) turns by the token's grid row when p < dh/4 and by its grid column
// otherwise, pair i of each half with frequency base^(-i/(dh/4)). One thread per pair.

const WG: u32 = 256u;
const TWO_PI: f32 = 6.283185307179586;

struct Rope {
  pairs: u32,   // batch·tokens·heads·dh/2
  tokens: u32,
  heads: u32,
  quarter: u32, // dh/4, the pairs of each half
  grid_w: u32,
  cells: u32,   // gridH·gridW: token t sits at cell t mod cells
  log2_step: f32, // −log2(base)/quarter: pair i of a half has frequency exp2(i·log2_step)
}
@group(0) @binding(0) var<uniform> u: Rope;
@group(0) @binding(1) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> x: array<vec2<f32>>;

// rotate turns pair p by sign times its angle.
fn rotate(p: u32, sign: f32) {
  if (p >= u.pairs) { return; }
  let pair = p % (2u * u.quarter);
  let t = p / (2u * u.quarter) / u.heads % u.tokens;
  let cell = t % u.cells;
  let pos = select(cell % u.grid_w, cell / u.grid_w, pair < u.quarter);
  let theta = f32(pos) * exp2(f32(pair % u.quarter) * u.log2_step);
  // Reduce to [-π, π], where GPU sin and cos are accurate.
  let a = theta - TWO_PI * round(theta / TWO_PI);
  let c = cos(a);
  let s = sign * sin(a);
  let v = x[p];
  out[p] = vec2<f32>(v.x * c - v.y * s, v.x * s + v.y * c);
}

@compute @workgroup_size(WG)
fn rope_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  rotate(gid.x + gid.y * nwg.x * WG, 1.0);
}

// rope_backward rotates by the negative angle: the transpose of the forward rotation.
@compute @workgroup_size(WG)
fn rope_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  rotate(gid.x + gid.y * nwg.x * WG, -1.0);
}
