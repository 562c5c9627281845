// What one apply may ask of intake. Each limit is checked before the work it bounds, and each
// refusal names the limit, so a user who hits one knows what to split.

/** The kube-apiserver's default request body limit (`--max-request-bytes`, 3 MiB), in UTF-8 bytes. */
export const MAX_MANIFEST_BYTES = 3 * 1024 * 1024;

/**
 * Documents in one stream, empty ones included. Kubernetes sets none per request (kubectl sends one
 * object per request); intake validates and writes them in one call, so a bound keeps that call short.
 */
export const MAX_DOCUMENTS = 1000;

/**
 * Nesting of collections. The yaml composer runs out of memory on a few hundred thousand nested
 * `[` (well inside 3 MiB), and no Kubernetes object nests more than about 15 levels; the scan that
 * enforces this over-counts block nesting by at most a factor of two, so real depth 50 always passes.
 */
export const MAX_NESTING_DEPTH = 100;

/**
 * The yaml package's own default, stated so it cannot drift: each alias resolution is weighted by
 * the size of what it copies, so a "billion laughs" bomb trips it long before memory runs out.
 */
export const MAX_ALIAS_COUNT = 100;
