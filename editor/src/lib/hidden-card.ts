/**
 * Lay out `rows` (a card's inner markup) as a canvas card out of sight, with the classes the
 * canvas gives it, and return what `measure` reads from it; the card is removed again at once.
 * `undefined` when there is no document to lay it out in.
 */
export function measureHiddenCard<T>(rows: string, measure: (host: HTMLElement) => T): T | undefined {
  if (typeof document === 'undefined' || !document.body) return undefined;
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText = 'position:absolute;left:-10000px;top:0;visibility:hidden;pointer-events:none;contain:layout style';
  host.innerHTML = `<div class="react-flow"><div class="react-flow__node react-flow__node-topicflow"><div class="flow-node">${rows}</div></div></div>`;
  document.body.append(host);
  try {
    return measure(host);
  } finally {
    host.remove();
  }
}
