import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UserInputError } from '../../nodes/errors.ts';

export const COMMANDS = ['start', 'run', 'validate', 'import', 'hash-password', 'help'] as const;

const brokerUrl = z
  .string()
  .refine((text) => {
    try {
      return ['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, '--broker must be a URL like mqtt://user:pass@192.168.1.10:1883');

const port = z.coerce.number().int().min(0).max(65535);

const cliSchema = z.object({
  command: z.enum(COMMANDS),
  file: z.string().optional(),
  broker: brokerUrl.optional(),
  brokerPort: port.default(1883),
  port: port.default(1880),
  host: z.string().min(1).default('127.0.0.1'),
  insecure: z.boolean().default(false),
  data: z.string().min(1).optional(),
  demo: z.boolean().default(true),
  embeddedBroker: z.boolean().default(true),
  json: z.boolean().default(false),
  quiet: z.boolean().default(false),
  output: z.string().min(1).optional(),
});

export type CliArgs = z.output<typeof cliSchema>;

const envSchema = z
  .object({
    TOPICFLOW_BROKER_USERNAME: z.string().min(1).optional(),
    TOPICFLOW_BROKER_PASSWORD: z.string().min(1).optional(),
  })
  .refine((env) => (env.TOPICFLOW_BROKER_USERNAME === undefined) === (env.TOPICFLOW_BROKER_PASSWORD === undefined), {
    message: 'set both TOPICFLOW_BROKER_USERNAME and TOPICFLOW_BROKER_PASSWORD, or neither',
  });

export interface EmbeddedBrokerAuth {
  readonly username: string;
  readonly password: string;
}

/** Login the embedded broker requires, from the environment (never a flag: flags show in `ps`). */
export function embeddedBrokerAuth(env: NodeJS.ProcessEnv): EmbeddedBrokerAuth | undefined {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new UserInputError(result.error.issues[0]!.message);
  const { TOPICFLOW_BROKER_USERNAME: username, TOPICFLOW_BROKER_PASSWORD: password } = result.data;
  return username && password ? { username, password } : undefined;
}

export const HELP = `topicflow — MQTT rules for your home, with a visual editor

Usage:
  topicflow start [options]          the editor and API at http://127.0.0.1:1880, an embedded
                                     broker and demo sensors; the example flow on first start
  topicflow run FILE [options]       run a flow file headless
  topicflow validate FILE [--json]   check a flow file; exits 1 when it has errors
  topicflow import FILE [-o OUT]     convert a Node-RED export (or read a topicflow flow) into a
                                     flow file (stdout without -o) and print what became of
                                     each node; exits 1 when placeholders block deploying
  topicflow hash-password            make the admin password hash (reads the password from stdin)
  topicflow --help                   this text

Options:
  --broker URL        use this broker for every broker entry of the flow
                      (e.g. mqtt://user:pass@192.168.1.10:1883); no embedded broker then
  --broker-port N     port of the embedded broker (default 1883)
  --no-broker         never start the embedded broker
  --no-demo           (start) no simulated sensors
  --port N            (start) HTTP port (default 1880)
  --host ADDR         (start) HTTP address (default 127.0.0.1); any other address needs
                      an admin login (TOPICFLOW_ADMIN_USER/_HASH) or --insecure
  --insecure          (start) serve on a non-loopback address without a login
  --data DIR          data folder (default $TOPICFLOW_DATA or ~/.topicflow)
  --quiet             (run) log only errors, not debug output
  --json              (validate, import) print the result as JSON
  -o, --output FILE   (import) write the flow here instead of to stdout

Environment:
  TOPICFLOW_DATA                        data folder
  TOPICFLOW_ADMIN_USER / _HASH          admin login (hash from "topicflow hash-password")
  TOPICFLOW_SECRET                      key for the encrypted credential store (default: a
                                        key file made in the data folder, mode 0600)
  TOPICFLOW_BROKER_USERNAME / _PASSWORD (start) the embedded broker requires this login

Without --broker, "run" uses the flow's own broker URLs; when one of them is on this
machine (127.0.0.1/localhost) and nothing answers there, it starts the embedded broker on it.
`;

/** Parse the command line; throws UserInputError with a readable message on anything unknown. */
export function parseCli(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        broker: { type: 'string' },
        'broker-port': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        insecure: { type: 'boolean' },
        'no-broker': { type: 'boolean' },
        'no-demo': { type: 'boolean' },
        data: { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UserInputError(`${(error as Error).message}\nRun "topicflow --help" for the options.`);
  }
  const { values, positionals } = parsed;
  const [command = 'help', file, ...extra] = positionals;
  if (extra.length > 0) throw new UserInputError(`unexpected argument "${extra[0]}"`);
  const result = cliSchema.safeParse({
    command: values.help ? 'help' : command,
    file,
    broker: values.broker,
    brokerPort: values['broker-port'],
    port: values.port,
    host: values.host,
    insecure: values.insecure ?? false,
    data: values.data,
    demo: !values['no-demo'],
    embeddedBroker: !values['no-broker'],
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    output: values.output,
  });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const what = issue.path[0] === 'command' ? `unknown command "${command}" (commands: ${COMMANDS.join(', ')})` : issue.message;
    throw new UserInputError(`${what}\nRun "topicflow --help" for the options.`);
  }
  if ((result.data.command === 'run' || result.data.command === 'validate' || result.data.command === 'import') && !result.data.file) {
    throw new UserInputError(`"topicflow ${result.data.command}" needs a flow file, e.g. topicflow ${result.data.command} ${result.data.command === 'import' ? 'node-red-flows.json' : 'flows/zigbee-temperature-fan.json'}`);
  }
  return result.data;
}
