// Downloads for the page: fetchBytes reads a response in chunks to show bytes loaded, and
// keeps files asked for with {cache: true} (the weights) in the Cache API, so a reload
// reads them from disk. A cached copy is used while a HEAD request finds the file unchanged
// on the server (same ETag, or same Last-Modified and length), or when the server cannot
// be reached.
"use strict";
(() => {
  const page = (window.flowspherePage ||= {});
  const CACHE = "flowsphere-files-v1";
  const VALIDATORS = ["etag", "last-modified", "content-length"];

  const openCache = async () => {
    try {
      return self.caches ? await caches.open(CACHE) : null; // caches exists only on https and localhost
    } catch {
      return null;
    }
  };

  const unchanged = async (url, cached) => {
    let head;
    try {
      head = await fetch(url, { method: "HEAD", cache: "no-store" });
    } catch {
      return true; // offline: the cached copy is all there is
    }
    if (!head.ok) return false;
    const [etag, modified, length] = VALIDATORS.map((h) => [head.headers.get(h), cached.headers.get(h)]);
    if (etag[0] && etag[1]) return etag[0] === etag[1];
    return modified[0] === modified[1] && length[0] === length[1];
  };

  const readAll = async (res, label) => {
    // With a Content-Encoding the length counts compressed bytes, not the ones read here.
    const total = res.headers.get("content-encoding") ? 0 : Number(res.headers.get("content-length")) || 0;
    const chunks = [];
    let loaded = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      page.progress?.(label, loaded, total);
    }
    const bytes = new Uint8Array(loaded);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return bytes;
  };

  page.fetchBytes = async (url, { label = url, cache = false } = {}) => {
    const store = cache ? await openCache() : null;
    const hit = store && (await store.match(url));
    if (hit && (await unchanged(url, hit))) {
      const bytes = new Uint8Array(await hit.arrayBuffer());
      page.progress?.(label, bytes.length, bytes.length, "from the browser cache");
      return bytes;
    }
    let res, bytes;
    try {
      res = await fetch(url, { cache: "no-cache" });
      if (res.ok) bytes = await readAll(res, label);
    } catch (err) {
      throw new Error(`${url}: ${err.message}`); // a network failure: fetch's own message names no URL
    }
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
    if (store) {
      const headers = {};
      for (const h of VALIDATORS) if (res.headers.get(h)) headers[h] = res.headers.get(h);
      // A full quota only costs a download on the next visit.
      await store.put(url, new Response(bytes, { headers })).catch((err) => console.warn("flowsphere: not cached:", err));
    }
    return bytes;
  };
})();
