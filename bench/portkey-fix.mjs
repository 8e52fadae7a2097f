// Preloaded into @portkey-ai/gateway 1.15 on Node (`node --import`). Its
// streaming path adds x-portkey-* headers to the Response that fetch returned,
// whose headers are immutable by the fetch spec, so every stream fails with
// "TypeError: immutable" (Portkey-AI/gateway issues 1389 and 1550). This hands
// Portkey a copy of each fetch Response with ordinary, mutable headers, which is
// what the upstream fix (pull request 1551) does inside Portkey. The cost is one
// Response object per upstream call.
const NativeResponse = globalThis.Response;
const nativeFetch = globalThis.fetch;

globalThis.fetch = async function fetchWithMutableHeaders(...args) {
  const r = await nativeFetch(...args);
  return new NativeResponse(r.body, { status: r.status, statusText: r.statusText, headers: r.headers });
};
