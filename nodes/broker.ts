import { z } from 'zod';
import { idSchema, qosSchema } from './common-fields.ts';

const BROKER_PROTOCOLS = ['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'tls:', 'ws:', 'wss:'];

/** Brokers anyone on the internet can read and write: fine for a demo, never for a home. */
export const PUBLIC_TEST_BROKERS = ['test.mosquitto.org', 'broker.hivemq.com', 'broker.emqx.io', 'mqtt.eclipseprojects.io'];

const messageSpecSchema = z.object({
  topic: z.string().min(1, 'must not be empty').describe('Topic of the message'),
  payload: z.string().default('').describe('Payload text'),
  qos: qosSchema.default(1),
  retain: z.boolean().default(true).describe('Keep it on the broker for later subscribers'),
});

const brokerUrlSchema = z
  .string()
  .min(1, 'must not be empty')
  .superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a URL like mqtt://192.168.1.10:1883` });
      return;
    }
    if (!BROKER_PROTOCOLS.includes(url.protocol)) {
      ctx.addIssue({ code: 'custom', message: `protocol "${url.protocol}" is not one of mqtt:, mqtts:, ws:, wss:` });
    }
    if (url.password) {
      ctx.addIssue({
        code: 'custom',
        message: 'a password must not be written in a flow document; it goes into the credential store',
      });
    }
  })
  .describe('Where the broker listens, e.g. mqtt://192.168.1.10:1883 or mqtts://host:8883');

/**
 * A broker entry of a flow document. Secrets are never fields here: passwords and key
 * passphrases live in the runtime's credential store, referenced by the entry's id.
 */
export const brokerSchema = z.object({
  id: idSchema.describe('Id that nodes use to name this broker'),
  name: z.string().max(200).optional().describe('A name to show'),
  url: brokerUrlSchema,
  clientId: z
    .string()
    .max(128)
    .optional()
    .describe('MQTT client id; leave empty for one unique to this install'),
  clean: z.boolean().default(true).describe('Start a clean session on every connect'),
  protocolVersion: z
    .union([z.literal(4), z.literal(5)], { error: 'protocolVersion must be 4 (MQTT 3.1.1) or 5' })
    .default(4)
    .describe('4 = MQTT 3.1.1 (every broker), 5 = MQTT 5'),
  keepalive: z.number().int().min(0).max(65535).default(60).describe('Seconds between keepalive pings'),
  username: z.string().max(256).optional().describe('User name, if the broker asks for one'),
  tls: z
    .object({
      ca: z.string().optional().describe('File with the CA certificate that signed the broker'),
      cert: z.string().optional().describe('File with this client certificate'),
      key: z.string().optional().describe('File with this client key'),
      rejectUnauthorized: z.boolean().default(true).describe('Refuse a broker whose certificate does not check out'),
    })
    .optional(),
  will: messageSpecSchema.optional().describe('Last Will: what the broker publishes if topicflow vanishes'),
  birth: messageSpecSchema.optional().describe('Published on every connect (e.g. "online" on the status topic)'),
  queueLimit: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(1000)
    .describe('QoS 1/2 messages kept while disconnected; the oldest are dropped beyond it'),
});

export type BrokerEntry = z.output<typeof brokerSchema>;
export type BrokerEntryInput = z.input<typeof brokerSchema>;

/** True when the URL points at a well-known public test broker. */
export function isPublicTestBroker(url: string): boolean {
  try {
    return PUBLIC_TEST_BROKERS.includes(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}
