/**
 * A small least-recently-used memo keyed by the content of DER bytes. Path validation parses the same
 * anchors, intermediates and CRLs for every chain it sees (the Device CA for every device), and
 * parsing with asn1js costs more than the signature checks; this keeps the results per DER content.
 * The value is made from a copy of the bytes, so it never aliases an array the caller may reuse.
 * A failure is not remembered. Inputs longer than `maxBytes` are made every time, never kept: a peer
 * sending large certificates must not fill the memory with them.
 */
/**
 * The largest certificate or key (SPKI) remembered. Both arrive from peers (x5chain); ordinary ones
 * are a few hundred bytes to a few KiB.
 */
export const MEMO_MAX_CERTIFICATE_BYTES = 16 * 1024;

/** The largest CRL remembered. CRLs come from the PKI's local files. */
export const MEMO_MAX_CRL_BYTES = 4 * 1024 * 1024;

export function derMemo<T>(size: number, maxBytes: number): (der: Uint8Array, make: (der: Uint8Array) => T) => T {
  const entries = new Map<string, T>();
  return (der, make) => {
    if (der.length > maxBytes) return make(der.slice());
    const key = binaryString(der);
    let value = entries.get(key);
    if (value !== undefined) {
      entries.delete(key);
    } else {
      value = make(der.slice());
      if (entries.size >= size) entries.delete(entries.keys().next().value!);
    }
    entries.set(key, value);
    return value;
  };
}

/** One UTF-16 code unit per byte: a Map key for the bytes' content (no Buffer: core is runtime-neutral). */
function binaryString(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}
