// The page around the app: the status line (#status and its data-state), the loading
// panel (until the app draws: page.started), notices, downloads, and the boot sequence that
// downloads app.wasm with a byte count, instantiates it and runs it. The Go side (package
// wasm) calls these through window.flowspherePage; the boot starts the weights download at
// once so that it overlaps the app's.
"use strict";
(() => {
  const page = (window.flowspherePage ||= {});
  const params = new URLSearchParams(location.search);
  const $ = (id) => document.getElementById(id);
  const DEFAULT_WEIGHTS = "pretrained/emoji32.safetensors.zst";
  const size = (n) => (n < 1e6 ? `${Math.ceil(n / 1e3)} kB` : `${(n / 1e6).toFixed(1)} MB`);

  page.status = (state, text) => {
    const el = $("status");
    el.dataset.state = state;
    el.textContent = text;
    // The loading panel covers the status bar: it repeats the status until the app is up.
    $("load-status").textContent = text;
    if (state !== "loading") page.started();
  };

  // started hides the loading panel: the app draws its own progress from here on.
  page.started = () => {
    $("loading").hidden = true;
  };

  page.notice = (text) => {
    $("notice").textContent = text;
    $("notice").hidden = !text;
  };

  const loads = new Map(); // label → text
  page.progress = (label, loaded, total, note) => {
    const amount = total ? `${size(loaded)} of ${size(total)}` : size(loaded);
    loads.set(label, `${label}: ${amount}${note ? ` (${note})` : ""}`);
    $("load-text").textContent = [...loads.values()].join(" · ");
    // A status that says it is downloading this file gets its bytes.
    const downloading = `loading: downloading the ${label}`;
    if ($("status").textContent.startsWith(downloading)) page.status("loading", `${downloading}: ${amount}`);
    // The bar follows the app download when its size is known (not when it comes compressed).
    if (label === "app" && total) $("load-bar").value = loaded / total;
  };

  page.download = (name, bytes) => {
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000); // revoking at once can cancel the download
  };

  page.defaultWeightsURL = DEFAULT_WEIGHTS;
  page.weightsURL = params.get("weights") || DEFAULT_WEIGHTS;

  const boot = async () => {
    if (!params.has("selftest")) {
      page.weights = page.fetchBytes(page.weightsURL, { label: "weights", cache: true });
      page.weights.catch(() => {}); // Go reports the failure when it awaits the promise
    }
    page.status("loading", "loading: downloading the app");
    const bytes = await page.fetchBytes("site/app.wasm", { label: "app" });
    page.status("loading", "loading: starting the app");
    const go = new Go();
    const result = await WebAssembly.instantiate(bytes, go.importObject);
    // github.com/cogentcore/webgpu reads the module's memory through a global called wasm.
    window.wasm = result;
    await go.run(result.instance);
    // The Go program never returns on its own: it crashed.
    throw new Error("the app stopped; the browser console says why");
  };

  boot().catch((err) => {
    console.error("flowsphere:", err);
    page.status("error", `error: ${err.message}`);
  });
})();
