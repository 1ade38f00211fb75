// WebGPU shim for github.com/cogentcore/webgpu v0.23.0. Its browser binding passes no
// requiredLimits, cannot pass requiredFeatures, has no error scopes, no uncapturederror or
// device-lost handling and no adapter info, and keeps its JS objects to itself. Rather than
// patch the library, this wraps GPUAdapter.prototype.requestDevice, which the binding
// calls, so that every device the app creates
//   - gets the adapter's buffer-size limits where they exceed WebGPU's defaults (the only
//     limits the kernels can outgrow: shaders panics on a tensor over the binding limit),
//   - gets shader-f16 where the adapter has it, kept in flowsphereGPU.f16, on which the Go
//     runtime runs f16 products on matmul's f16 variant,
//   - keeps its loss in flowsphereGPU.lost ("" while it works), where the Go runtime reads
//     it (the app then recreates the device), and reports validation errors that no error
//     scope caught in the page status and the console,
//   - stays reachable as flowsphereGPU.device, with the adapter's description and whether
//     it is a fallback (software) adapter, so Go can wrap work in error scopes through
//     syscall/js (flowsphereGPU.scope/unscope) and choose between it and the CPU.
// It also makes the binding's Queue.WriteBuffer safe (keepWasmViews below) and its buffer
// maps honest (honestMaps below).
"use strict";
(() => {
  const gpu = (window.flowsphereGPU = { device: null, adapter: "", fallback: false, f16: false, lost: "", mapError: "", errors: [] });
  if (typeof GPUAdapter === "undefined") return;

  const RAISED_LIMITS = ["maxStorageBufferBindingSize", "maxBufferSize"];
  const SCOPES = ["validation", "out-of-memory"];
  const KEEP_ERRORS = 20;

  const report = (message) => {
    console.error("flowsphere:", message);
    if (gpu.errors.length < KEEP_ERRORS) gpu.errors.push(message);
    window.flowspherePage?.status("error", `error: ${message}`);
  };

  const describe = (info = {}) =>
    [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ") || "unknown adapter";

  // keepWasmViews: the binding's WriteBuffer reads the Go program's memory buffer, makes a
  // Uint8ClampedArray view of it, and converts more arguments in between and before calling
  // writeBuffer. When one of those conversions grows the memory, the buffer is detached,
  // and at random the constructor throws ("Cannot perform Construct on a detached
  // ArrayBuffer") or writeBuffer does ("Number of bytes to write is too large"). So the
  // memory's buffers are recognised, a view asked of a detached one gets the current one,
  // and views remember where they point so that writeBuffer can remake a detached view:
  // the Go slice behind it is still alive (the caller holds it), and Go's heap never moves.
  // (Only Go's memory can be detached under the page here: it is the only wasm memory.)
  const memoryBuffers = new WeakSet();
  const getBuffer = Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, "buffer").get;
  Object.defineProperty(WebAssembly.Memory.prototype, "buffer", {
    configurable: true,
    get() {
      const b = getBuffer.call(this);
      memoryBuffers.add(b);
      return b;
    },
  });
  const views = new WeakMap(); // view of Go's memory → [byteOffset, length]
  const U8C = Uint8ClampedArray;
  window.Uint8ClampedArray = new Proxy(U8C, {
    construct(target, args, newTarget) {
      const mem = window.wasm?.instance.exports.mem;
      if (mem && memoryBuffers.has(args[0]) && args[0].byteLength === 0) args[0] = mem.buffer;
      const view = Reflect.construct(target, args, newTarget);
      if (mem && args[0] === mem.buffer) views.set(view, [view.byteOffset, view.length]);
      return view;
    },
  });
  const writeBuffer = GPUQueue.prototype.writeBuffer;
  GPUQueue.prototype.writeBuffer = function (buffer, offset, data, ...rest) {
    const at = views.get(data);
    if (at && data.length === 0 && at[1] > 0) data = new U8C(window.wasm.instance.exports.mem.buffer, ...at);
    return writeBuffer.call(this, buffer, offset, data, ...rest);
  };

  // honestMaps: the binding awaits mapAsync, ignores a rejection and reports success, and
  // then getMappedRange throws. So a rejection resolves here instead and is kept in
  // flowsphereGPU.mapError, which Go takes (takeMapError) after each map and turns into the
  // readback's error.
  const mapAsync = GPUBuffer.prototype.mapAsync;
  GPUBuffer.prototype.mapAsync = function (...args) {
    return mapAsync.apply(this, args).catch((err) => {
      gpu.mapError = `${err.name}: ${err.message}`;
    });
  };
  gpu.takeMapError = () => {
    const message = gpu.mapError;
    gpu.mapError = "";
    return message;
  };

  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (descriptor = {}) {
    const requiredLimits = { ...descriptor.requiredLimits };
    for (const name of RAISED_LIMITS) {
      if (!(name in requiredLimits) && this.limits[name] !== undefined) requiredLimits[name] = this.limits[name];
    }
    const requiredFeatures = [...(descriptor.requiredFeatures ?? [])];
    if (this.features.has("shader-f16")) requiredFeatures.push("shader-f16");
    const device = await requestDevice.call(this, { ...descriptor, requiredLimits, requiredFeatures });
    gpu.device = device;
    gpu.f16 = device.features.has("shader-f16");
    gpu.adapter = describe(this.info);
    gpu.fallback = Boolean(this.info?.isFallbackAdapter ?? this.isFallbackAdapter); // a software adapter
    gpu.lost = "";
    device.addEventListener("uncapturederror", (ev) => report(`WebGPU error: ${ev.error.message}`));
    device.lost.then((info) => {
      if (gpu.device !== device) return; // one the app has replaced
      gpu.lost = [info.reason, info.message].filter(Boolean).join(": ") || "no reason given";
      console.warn("flowsphere: the GPU device was lost:", gpu.lost);
    });
    return device;
  };

  // scope starts catching errors of the next GPU work; unscope resolves to their first
  // message, or "" when there was none. It never rejects: a scope that cannot be popped
  // (a lost device may refuse) is reported as its message.
  gpu.scope = () => {
    for (const filter of SCOPES) gpu.device.pushErrorScope(filter);
  };
  gpu.unscope = async () => {
    let message = "";
    for (let i = 0; i < SCOPES.length; i++) {
      try {
        const err = await gpu.device.popErrorScope();
        if (err && !message) message = err.message;
      } catch (err) {
        if (!message && !gpu.lost) message = `popErrorScope: ${err.message}`;
      }
    }
    return message;
  };
})();
