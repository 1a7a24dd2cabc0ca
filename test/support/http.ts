import { request } from 'node:http';

export interface HttpReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON (throws when it is not). */
  json<T = any>(): T;
}

export interface HttpOptions {
  readonly method?: string;
  /** Sent as given: node:http, unlike fetch, lets a test set Origin, Host, Cookie and Sec-Fetch-*. */
  readonly headers?: Record<string, string>;
  /** Serialised as JSON (with its content type) unless a string. */
  readonly body?: unknown;
}

/** One HTTP request to a test server, the whole reply read into memory. */
export function http(url: string, options: HttpOptions = {}): Promise<HttpReply> {
  const { method = 'GET', headers = {}, body } = options;
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const allHeaders: Record<string, string> = { ...headers };
  if (payload !== undefined && typeof body !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    allHeaders['content-type'] = 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: allHeaders }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The `name=value` pair of cookie `name` among a reply's Set-Cookie headers, for sending back. */
export function cookieFrom(reply: HttpReply, name: string): string | undefined {
  const header = setCookies(reply).find((line) => line.startsWith(`${name}=`));
  return header?.split(';')[0];
}

/** Every Set-Cookie line of a reply. */
export function setCookies(reply: HttpReply): string[] {
  const raw = reply.headers['set-cookie'];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
}
