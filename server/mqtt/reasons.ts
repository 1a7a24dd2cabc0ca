/** MQTT 3.1.1 CONNACK return codes, as a person would read them. */
const V3_REFUSALS: Record<number, string> = {
  1: 'the broker does not accept this MQTT version (try protocolVersion 4)',
  2: 'the broker refused the client id',
  3: 'the broker is unavailable',
  4: 'wrong user name or password',
  5: 'not authorized',
};

/** MQTT 5 reason codes that users meet when connecting. */
const V5_REFUSALS: Record<number, string> = {
  132: 'the broker does not accept MQTT 5 (try protocolVersion 4)',
  133: 'the broker refused the client id',
  134: 'wrong user name or password',
  135: 'not authorized',
  136: 'the broker is unavailable',
  137: 'the broker is busy',
  138: 'this client is banned',
};

/** A readable reason for a connection error from mqtt.js (refusal code, socket error, TLS). */
export function connectionErrorReason(error: Error & { code?: unknown }, protocolVersion: 4 | 5): string {
  const code = error.code;
  if (typeof code === 'number') {
    const table = protocolVersion === 5 ? V5_REFUSALS : V3_REFUSALS;
    const known = table[code] ?? V3_REFUSALS[code];
    if (known) return known;
  }
  if (code === 'ECONNREFUSED') return 'nothing listens at that address (is the broker running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the broker host name is not known';
  if (code === 'ETIMEDOUT') return 'the broker did not answer in time';
  if (typeof code === 'string' && /CERT|SSL|TLS/i.test(code)) return `TLS: ${error.message}`;
  return error.message;
}
