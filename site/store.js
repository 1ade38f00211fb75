// A small persistent key-value store on IndexedDB for the app's fine-tuned weights and
// training state (ui.Store). Values are bytes; get resolves to a Uint8Array or null.
"use strict";
(() => {
  const page = (window.flowspherePage ||= {});
  const DB = "flowsphere";
  const STORE = "kv";
  let db = null;

  const open = () =>
    (db ||= new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error("the browser storage is in use by another tab of an older version"));
    }).catch((err) => {
      db = null; // let the next call try again
      throw err;
    }));

  // run resolves with the request's result once its transaction has committed.
  const run = async (mode, op) => {
    const d = await open();
    return new Promise((resolve, reject) => {
      const tx = d.transaction(STORE, mode);
      const req = op(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = tx.onabort = () => reject(tx.error || req.error || new Error("storage transaction aborted"));
    });
  };

  // whole is the ArrayBuffer behind a Uint8Array, copied only when the array is a view of part of it.
  const whole = (b) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b.buffer : b.slice().buffer);

  page.store = {
    get: async (key) => {
      const v = await run("readonly", (s) => s.get(key));
      return v === undefined ? null : new Uint8Array(v);
    },
    put: (key, bytes) => run("readwrite", (s) => s.put(whole(bytes), key)),
    delete: (key) => run("readwrite", (s) => s.delete(key)),
  };
})();
