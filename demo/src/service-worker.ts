// Offline use: registers the service worker (sw.js, which precaches the whole build) and keeps
// the header badge saying whether the browser is online and whether the app would work offline.
import { byId } from './dom.js';
import { toast } from './toast.js';

export function registerServiceWorker(): void {
  const badge = byId('network');
  const paint = (ready: boolean) => {
    const online = navigator.onLine;
    badge.textContent = `${online ? 'online' : 'offline'}${ready ? ' · works offline' : ''}`;
    badge.className = `badge ${ready ? 'ok' : online ? '' : 'warn'}`;
    badge.dataset.offlineReady = String(ready);
  };
  let ready = false;
  paint(false);
  addEventListener('online', () => paint(ready));
  addEventListener('offline', () => paint(ready));
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js').catch((error) => toast(`service worker: ${error}`));
  // `ready` resolves once a worker is active, i.e. after it has precached the whole app.
  navigator.serviceWorker.ready.then(() => {
    ready = true;
    paint(true);
  });
}
