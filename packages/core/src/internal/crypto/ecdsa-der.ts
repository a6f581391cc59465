/**
 * Converts an ECDSA signature from WebCrypto's fixed r‖s form (IEEE P1363) to the ASN.1
 * DER `SEQUENCE { INTEGER r, INTEGER s }` most verifiers (OpenSSL, Java, Go) expect.
 */
export function p1363ToDer(signature: Uint8Array): Uint8Array {
  const half = signature.length / 2;
  const r = derInteger(signature.subarray(0, half));
  const s = derInteger(signature.subarray(half));
  return Uint8Array.of(0x30, r.length + s.length, ...r, ...s);
}

function derInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const value = bytes.subarray(start);
  // A leading 1 bit would read as negative: prefix a zero byte.
  const body = value[0]! & 0x80 ? Uint8Array.of(0, ...value) : value;
  return Uint8Array.of(0x02, body.length, ...body);
}
