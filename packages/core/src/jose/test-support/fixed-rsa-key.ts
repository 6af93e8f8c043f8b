/**
 * A fixed RSA-2048 test key (PKCS#8 DER, BASE64), so tests that need a second RSA key do not
 * generate one (RSA key generation is slow). Test use only; never a real key.
 */
export const FIXED_RSA_PKCS8_B64 =
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDdSLmtkUTb5jRMDK1m1ogCL/VX' +
  'E/Ncr95d/ORfFbfQiWmeuPst6Ujz6SiAqKVQ5xlBMl3Ys8WxMKQ+m5syEgbePdWy2c7Vu84Uj0j+' +
  'TOYwTSF3ycDqBfrEbbSdGxaGlPgsNnxJr9E4EN6RSX9VVeen8Qp6bNNx9aRdD8cpxtiDkp8hq7ik' +
  'lDDywsFgLGot5Z/333+yP/Hg2VarYz6+2wBQ0brPzS9HmIMwbp8G4P4ekhTQT4EWCmjBZfU8ixgO' +
  'HUrI/fvxeKBTy48xNioB8I9DH9vxjGwLwOujHslmlb8vJtIZ/uSquyWw44+/EIhT26itcyNeFeVs' +
  'W9ev03xml1z1AgMBAAECggEABen1KGna/MOEv0mRcs+l9+T/OhIK7X23xCxHkDD85iJeA8Nu1xXG' +
  'gNpI3lNjg6uBdcgaUPnQ/UDPCutOtQJdU6A0b2C50eWAhvUjXsSAXGcbT1/Be5+oSYqjCpXYPsWJ' +
  'cmkMXk3IGib9Q8XClO3EUK00+fuhlQibGW+cA4ZQcAe041wD4M2GcCbHSqLcvrQpvZ/dYJfhNsy8' +
  '0LjZU9j2dFBdXTS361u+c47ogb/teDSn6ZdiqVZ3kJ8gFdOI6Dxd7/BBYWQRXOBKsvYgxdt5Wg22' +
  'vRdFnpDdaetI9WKaAG5n3ggbJdgUQOOTMyHpq7r8iqh2sBkkKtgIUXvjybV5iwKBgQD53Xd38Ocj' +
  'eVFkP4VrdCw9RamyAMW67sqCsBlFQBmir4G3uu3j2QaPBl1dKNaVju9Ioy7ebnDl4rHLgo6ZnxZO' +
  'rysOoeNNAAE+kHN/HGfpOfY6jecm3dM7iqWwm95wSB8IVCgXFVxAYL2/7YmCeugELeOtpsx6WOUK' +
  'Ot5WhDysewKBgQDit5ymT1naJXEnIjzTq+zqSn5x6SCAEpXvwgsLlx8oGFBHQUr/H/wqyL69fvkO' +
  'bwYYp7ZpsUzv9zscpvfIWfCrhZbO9hFOOEofCuXuWg+GKzVah6wunw8WqKGZ5lTivStC8u73ZIUa' +
  'OlJgtMpbxNTou+yDci2JL++nTnysC4h5TwKBgFjdFvwlRU8senH41W6d5o30FKIl/Cy7eHJ6RsKG' +
  'RZfCa5P4e1qpeNetH89eEtMl/pwKzUR2atiXgzwptqWUGs7pJZsSoFBmTAsAPNNcOuiLoLK6fRcp' +
  'lVJ7wOnKxZWRUNgZdhiflCuhPFriFCG/rHywBWVhCSAKNYsp3KFQbnO5AoGAQ+2nrdzQmx/ky0ji' +
  '2LkGfxxazl5/MmBfNDr7fDmHSEggpXjWs6Itt9P18mj8zmpNdU2qxfgtiSiWOXt9ejYYegvIp7Hq' +
  'dXlAHBTz13p8dEK19a341O8rYiqcYLQ2cskjESggmVcw2i7nR7pjdyN+d0z3DFtFcXk/YO2PRS0f' +
  'ctkCgYEA2V/AadKTH5P+GySVTyqBkx8G3C6Y7V9TEzDEvPgF8S7VAPDiInQlCFJKCMMpRdC4vgjr' +
  'stlyzkLEDc2FWyybH0FZ6o3gWExFAPbUrO04MPk72vRRHRi6BYnKsWae31H2U7cFSttWtdQ1ElPZ' +
  'NhdsKFnwU0NxYhh1BZefN6Kf6tM=' +
  '';

/** The fixed key as a JosePrivateKey (computes the SPKI through WebCrypto). */
export async function fixedRsaKey(): Promise<{ pkcs8: Uint8Array; spki: Uint8Array }> {
  const pkcs8 = new Uint8Array(Buffer.from(FIXED_RSA_PKCS8_B64, 'base64'));
  const k = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', k);
  const pub = await crypto.subtle.importKey('jwk', { kty: 'RSA', n: jwk.n!, e: jwk.e! }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
  return { pkcs8, spki: new Uint8Array(await crypto.subtle.exportKey('spki', pub)) };
}
