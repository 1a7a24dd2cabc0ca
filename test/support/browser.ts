/**
 * Browser end-to-end support: Debian's chromium driven by playwright-core (never a downloaded
 * browser), one browser per test file and a fresh page (own context: cookies, storage) per test.
 *
 *     describe('editor: import', suiteNeeds('chromium', 'editor: import'), () => {
 *       const browser = useBrowser('import');            // first: its hooks run before the suite's own
 *       it('imports a file', async (t) => {
 *         const ui = await browser.open(t, server.server.url);   // closed after the test
 *         …
 *         await ui.screenshot('imported');                // test-results/import/imported.png
 *       });
 *     });
 *
 * Every page records its console errors and uncaught exceptions; when the test ends, the page
 * is closed (before the suite's afterEach hooks stop its servers) with a last screenshot, and
 * the test fails if any were seen (a test that provokes one on purpose, such as a 409 reply,
 * declares it with `ui.allowConsoleError(/409/)`).
 *
 * The server serves editor/dist; {@link ensureEditorBuilt} rebuilds it first when a source
 * file is newer than the bundle, under a lock so parallel test files never build at once.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildEditor, editorIsStale } from '../../editor/build.ts';
import { chromiumPath } from './requirements.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Screenshots go to test-results/<suite>/<name>.png (git-ignored). */
export const RESULTS_DIR = join(ROOT, 'test-results');

export const DESKTOP = { width: 1280, height: 800 } as const;
export const TABLET = { width: 820, height: 1180 } as const;

/** The launch flags: headless, no GPU, nothing phoning home; --no-sandbox for containers and root. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/**
 * Launch Debian's chromium (the caller gates the suite with suiteNeeds('chromium', …)).
 * `extraArgs` come after CHROMIUM_ARGS, which are always given.
 */
export async function launchChromium(options: { extraArgs?: readonly string[] } = {}): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium is not installed (gate the suite with suiteNeeds)');
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])], timeout: 30_000 });
}

/**
 * tsx compiles test files with esbuild's keepNames, which wraps named inner functions in
 * `__name(fn, "name")`; a function passed to `page.evaluate` carries that call into the page,
 * where no `__name` exists. Every test page gets this no-op stand-in first.
 */
export const KEEP_NAMES_SHIM = 'globalThis.__name ??= (fn) => fn;';

const BUILD_LOCK = join(tmpdir(), `topicflow-editor-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
const LOCK_STALE_MS = 120_000;

/**
 * Make editor/dist current: build it when a source file is newer than the bundle. Test files
 * run in parallel, so the check and the build happen under a lock directory (mkdir is atomic).
 */
export async function ensureEditorBuilt(): Promise<void> {
  if (!(await editorIsStale())) return;
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      await mkdir(BUILD_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a killed process is taken over once it is old.
      const age = Date.now() - (await stat(BUILD_LOCK).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > LOCK_STALE_MS) await rm(BUILD_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited ${LOCK_STALE_MS} ms for another editor build (lock ${BUILD_LOCK})`);
      await sleep(100);
    }
  }
  try {
    // Another file may have built it while this one waited for the lock.
    if (await editorIsStale()) await buildEditor();
  } finally {
    await rm(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** The part of node:test's TestContext a page needs: a hook that runs when the test ends. */
export interface TestContextLike {
  after(fn: () => unknown): void;
  readonly name: string;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Wait for this selector after loading (default: the React Flow canvas). `false`: do not wait. */
  waitFor?: string | false;
}

/** One page of one test, with its console record and screenshot helper. */
export class TestPage {
  readonly consoleErrors: string[] = [];
  /** Replies with status 400 or more and requests that failed, to say which URL a console error was about. */
  readonly failedRequests: string[] = [];
  private readonly allowed: RegExp[] = [];
  private closing: Promise<void> | undefined;

  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    readonly suite: string,
    /** Name of the screenshot taken when the page closes. */
    private readonly lastScreenshot?: string,
  ) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location().url;
      this.consoleErrors.push(`console.error: ${message.text()}${where ? ` (${where})` : ''}`);
    });
    page.on('pageerror', (error) => this.consoleErrors.push(`uncaught: ${error.stack ?? error.message}`));
    page.on('crash', () => this.consoleErrors.push('the page crashed'));
    page.on('response', (response) => {
      if (response.status() >= 400) this.failedRequests.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    });
    page.on('requestfailed', (request) => this.failedRequests.push(`failed ${request.method()} ${request.url()}: ${request.failure()?.errorText ?? ''}`));
  }

  /** Console errors the test expects (e.g. the browser's "409 (Conflict)" network line). */
  allowConsoleError(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  /** The console errors not allowed by {@link allowConsoleError}. */
  unexpectedConsoleErrors(): string[] {
    return this.consoleErrors.filter((line) => !this.allowed.some((pattern) => pattern.test(line)));
  }

  /** Save a full-page screenshot as test-results/<suite>/<name>.png; returns the path. */
  async screenshot(name: string): Promise<string> {
    const dir = join(RESULTS_DIR, this.suite);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file, fullPage: false });
    return file;
  }

  /** Close the page (once), keeping a screenshot of how the test left it: what a failure looked like. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.lastScreenshot) await this.screenshot(this.lastScreenshot).catch(() => undefined);
      await this.context.close().catch(() => undefined);
    })();
    return this.closing;
  }
}

export interface BrowserSuite {
  /** The browser of this file (available inside tests). */
  readonly browser: Browser;
  /**
   * A new page (own context) at `url`, closed when the test `t` ends; the test then fails if
   * the page logged console errors it did not allow.
   */
  open(t: TestContextLike, url: string, options?: OpenOptions): Promise<TestPage>;
}

/**
 * Registers before/after hooks in the current describe(): the editor bundle is made current
 * and one chromium is launched for the suite, and closed after it. `suite` names the folder
 * under test-results/.
 */
export function useBrowser(suite: string): BrowserSuite {
  let browser: Browser | undefined;
  const open = new Set<TestPage>();
  before(async () => {
    await ensureEditorBuilt();
    browser = await launchChromium();
  });
  // Registered before the suite's own hooks (call useBrowser first), so the test's pages are
  // closed before its servers stop: a page outliving its server logs connection errors.
  // Never throws, so the suite's later afterEach hooks still run; t.after reports the errors.
  afterEach(async () => {
    await Promise.all([...open].map((ui) => ui.close()));
  });
  after(async () => {
    await browser?.close();
  });
  return {
    get browser(): Browser {
      if (!browser) throw new Error('the browser is not launched yet (use it inside a test)');
      return browser;
    },
    async open(t, url, options = {}) {
      if (!browser) throw new Error('the browser is not launched yet (use it inside a test)');
      const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, deviceScaleFactor: 1 });
      context.setDefaultTimeout(10_000);
      await context.addInitScript(KEEP_NAMES_SHIM);
      const page = await context.newPage();
      const ui = new TestPage(page, context, suite, `last-${t.name}`);
      open.add(ui);
      t.after(async () => {
        open.delete(ui);
        await ui.close();
        const errors = ui.unexpectedConsoleErrors();
        if (errors.length > 0) {
          const requests = ui.failedRequests.length ? `\nfailed requests:\n${ui.failedRequests.join('\n')}` : '';
          throw new Error(`the page logged ${errors.length} console error(s):\n${errors.join('\n')}${requests}`);
        }
      });
      await page.goto(url);
      if (options.waitFor !== false) await page.waitForSelector(options.waitFor ?? '.react-flow', { state: 'visible' });
      return ui;
    },
  };
}

/**
 * The few browser APIs the tests' in-page functions use, typed here because the test project
 * is compiled without the DOM library. Use as `const w = globalThis as unknown as PageWindow`
 * inside a function passed to `page.evaluate` (types vanish; nothing is imported at run time).
 */
export interface PageElement {
  readonly tagName: string;
  readonly className: unknown;
  readonly textContent: string | null;
  readonly style: { readonly visibility: string };
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
  contains(other: PageElement | null): boolean;
  click(): void;
}

export interface PageWindow {
  readonly document: {
    querySelectorAll(selector: string): ArrayLike<PageElement>;
    elementFromPoint(x: number, y: number): PageElement | null;
  };
  requestAnimationFrame(callback: (now: number) => void): number;
  readonly PerformanceObserver: new (callback: (list: { getEntries(): { duration: number; startTime: number }[] }) => void) => {
    observe(options: { type: string; buffered?: boolean }): void;
  };
  /** Whatever a test stores on the page's window. */
  [key: string]: unknown;
}
