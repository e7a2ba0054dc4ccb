// Entry of the embedded database's thread when running from TypeScript sources: registers tsx's loader in this
// thread, then loads the real module (pglite-thread.ts; connection.ts starts it).
import { register } from 'tsx/esm/api';

register();
await import('./pglite-thread.ts');
