/**
 * Wait for `work` to settle, but no longer than `ms`: for closes that a stuck peer or node
 * could otherwise hold open forever. A rejection of `work` is passed on; the timer never
 * keeps the process alive.
 */
export async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
