#!/usr/bin/env node
// Entry of `npx topicflow`: runs the TypeScript sources through tsx, so users need no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
