// Counter-based random numbers: Philox4x32-10 (Salmon, Moraes, Dror, Shaw, SC 2011; as in
// Random123). One invocation per block of four elements, the flat block index spread over a
// 2-D grid (see Groups1D). Element i comes from block i/4, whose counter is (i/4, 0,
// counter low, counter high) and key (seed low, seed high); uniform draws map word i%4 to
// (w >> 8)·2^-24, normal draws run Box–Muller on words (0, 1) for i%4 < 2 and (2, 3)
// otherwise, cosine branch for even i, sine branch for odd i. The maths mirrors
// model/cpu/rng_kernels.go step by step (float32 throughout, musl's logf and Taylor
// polynomials of sin/cos(π·t) instead of the built-ins, whose accuracy varies by device).

const WG: u32 = 256u;

// Philox4x32 multipliers and key bumps (Random123).
const M0: u32 = 0xD2511F53u;
const M1: u32 = 0xCD9E8D57u;
const W0: u32 = 0x9E3779B9u;
const W1: u32 = 0xBB67AE85u;

const TWO_M24: f32 = 5.9604644775390625e-8; // 2^-24
const TWO_M23: f32 = 1.1920928955078125e-7; // 2^-23

struct Rng { n: u32, normal: u32, seed_lo: u32, seed_hi: u32, counter_lo: u32, counter_hi: u32 }
@group(0) @binding(0) var<uniform> rng: Rng;
@group(0) @binding(1) var<storage, read_write> rng_out: array<f32>;

// mulhilo returns (high, low) words of the 64-bit product a·b, built from 16-bit halves
// since WGSL has no 64-bit integers (mulHiLoHalves in model/cpu/rng_test.go checks it).
fn mulhilo(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu;
  let a1 = a >> 16u;
  let b0 = b & 0xffffu;
  let b1 = b >> 16u;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let mid = ((a0 * b0) >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>(a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u), a * b);
}

// philox is the Philox4x32-10 bijection of counter ctr under key.
fn philox(ctr_in: vec4<u32>, key_in: vec2<u32>) -> vec4<u32> {
  var ctr = ctr_in;
  var key = key_in;
  for (var i: u32 = 0u; i < 10u; i = i + 1u) {
    if (i > 0u) {
      key = key + vec2<u32>(W0, W1);
    }
    let p0 = mulhilo(M0, ctr.x);
    let p1 = mulhilo(M1, ctr.z);
    ctr = vec4<u32>(p1.x ^ ctr.y ^ key.x, p1.y, p0.x ^ ctr.w ^ key.y, p0.y);
  }
  return ctr;
}

// log32 is musl's logf for positive normal x (log32 in model/cpu/rng_kernels.go).
fn log32(x: f32) -> f32 {
  let ix = bitcast<u32>(x) + (0x3f800000u - 0x3f3504f3u);
  let k = f32(i32(ix >> 23u) - 127);
  let f = bitcast<f32>((ix & 0x007fffffu) + 0x3f3504f3u) - 1.0;
  let s = f / (2.0 + f);
  let z = s * s;
  let w = z * z;
  let r = z * (0.6666666 + w * 0.28498787) + w * (0.40000972 + w * 0.24279079);
  let hfsq = 0.5 * f * f;
  return s * (hfsq + r) + k * 9.058001e-06 - hfsq + f + k * 0.6931381;
}

// sincospi returns (cos(π·s), sin(π·s)) for s in [−1, 1] (sinCosPi32 in
// model/cpu/rng_kernels.go): a quarter turn q/2 split off exactly, Taylor polynomials in
// t = s − q/2.
fn sincospi(s: f32) -> vec2<f32> {
  let q = round(2.0 * s);
  let t = s - 0.5 * q;
  let t2 = t * t;
  let st = t * (3.1415927 + t2 * (-5.1677127 + t2 * (2.550164 + t2 * (-0.5992645 + t2 * 0.082145885))));
  let ct = 1.0 + t2 * (-4.934802 + t2 * (4.058712 + t2 * (-1.3352628 + t2 * (0.23533063 + t2 * -0.02580689))));
  switch (i32(q) & 3) {
    case 1: { return vec2<f32>(-st, ct); }
    case 2: { return vec2<f32>(-ct, -st); }
    case 3: { return vec2<f32>(st, -ct); }
    default: { return vec2<f32>(ct, st); }
  }
}

// box_muller turns two words into (r·cos θ, r·sin θ): u1 = (top 24 bits of a + 1)·2^-24 in
// (0, 1], r = sqrt(−2·ln u1), θ = π·s with s = (top 24 bits of b)·2^-23 − 1 in [−1, 1).
fn box_muller(a: u32, b: u32) -> vec2<f32> {
  let u1 = (f32(a >> 8u) + 1.0) * TWO_M24;
  let r = sqrt(-2.0 * log32(u1));
  return r * sincospi(f32(b >> 8u) * TWO_M23 - 1.0);
}

// rng_forward writes the four elements of one block (fewer at the end of out).
@compute @workgroup_size(WG)
fn rng_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let block = gid.x + gid.y * nwg.x * WG;
  if (block >= (rng.n + 3u) / 4u) { return; }
  let w = philox(vec4<u32>(block, 0u, rng.counter_lo, rng.counter_hi), vec2<u32>(rng.seed_lo, rng.seed_hi));
  var v: vec4<f32>;
  if (rng.normal != 0u) {
    v = vec4<f32>(box_muller(w.x, w.y), box_muller(w.z, w.w));
  } else {
    v = vec4<f32>(w >> vec4<u32>(8u)) * TWO_M24;
  }
  for (var j: u32 = 0u; j < 4u; j = j + 1u) {
    let i = 4u * block + j;
    if (i < rng.n) { rng_out[i] = v[j]; }
  }
}
