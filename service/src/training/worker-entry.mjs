// Entry of the training thread when running from TypeScript sources: registers tsx's loader in this thread, then
// loads the real worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
