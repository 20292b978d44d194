// Lazy loading made visible: each step of the start-up with its progress (bytes of the
// definitions and of the wasm as they arrive), then the engine the package chose.
import { byId, h } from './dom.js';

export class LoadingView {
  private readonly steps = byId<HTMLOListElement>('steps');
  private readonly bar = byId<HTMLProgressElement>('progress');
  private current: HTMLLIElement | null = null;

  step(text: string): void {
    this.current?.classList.add('done');
    this.current = h('li', {}, text);
    this.steps.append(this.current);
    this.bar.removeAttribute('value');
  }

  progress(text: string, fraction: number | null): void {
    if (this.current) this.current.textContent = text;
    if (fraction === null) this.bar.removeAttribute('value');
    else this.bar.value = fraction;
  }

  done(): void {
    this.current?.classList.add('done');
    byId('loading').hidden = true;
  }

  busy(text: string): void {
    this.steps.replaceChildren();
    this.current = null;
    byId('loading').hidden = false;
    this.step(text);
  }

  fail(text: string): void {
    this.progress(text, 0);
    this.current?.classList.add('error');
  }
}

/** Fetches a file, reporting bytes received (of the Content-Length, when known). */
export async function fetchWithProgress(url: string, report: (received: number, total: number | null) => void): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    report(received, total);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;
