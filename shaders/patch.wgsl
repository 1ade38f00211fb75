// Patchify and Unpatchify: the permutation between images img: [batch, ch, h, w] and patch
// tokens tok: [batch, (h/p)·(w/p), ch·p·p], pixel (b, c, py·p+ky, px·p+kx) being element
// c·p·p + ky·p + kx of token py·(w/p)+px. One invocation per pixel over a 2-D grid (see
// Groups1D); patch_forward scatters into tokens, patch_backward gathers from them, so
// image-side accesses are the coalesced ones both ways.

const WG: u32 = 256u;

struct Patch { n: u32, ch: u32, h: u32, w: u32, p: u32 }
@group(0) @binding(0) var<uniform> u: Patch;

fn flat(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

// token_index is the token-layout index of image element i.
fn token_index(i: u32) -> u32 {
  let x = i % u.w;
  let y = (i / u.w) % u.h;
  let c = (i / (u.w * u.h)) % u.ch;
  let b = i / (u.w * u.h * u.ch);
  let tokens = (u.h / u.p) * (u.w / u.p);
  let t = b * tokens + (y / u.p) * (u.w / u.p) + x / u.p;
  return t * u.ch * u.p * u.p + c * u.p * u.p + (y % u.p) * u.p + x % u.p;
}

@group(0) @binding(1) var<storage, read_write> fw_tok: array<f32>;
@group(0) @binding(2) var<storage, read> fw_img: array<f32>;

@compute @workgroup_size(WG)
fn patch_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i < u.n) { fw_tok[token_index(i)] = fw_img[i]; }
}

@group(0) @binding(1) var<storage, read_write> bw_img: array<f32>;
@group(0) @binding(2) var<storage, read> bw_tok: array<f32>;

@compute @workgroup_size(WG)
fn patch_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i < u.n) { bw_img[i] = bw_tok[token_index(i)]; }
}
