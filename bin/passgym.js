#!/usr/bin/env node
// The `passgym` command: runs the compiled CLI (build first with `npm run build`).
require('../dist/scripts/cli.js');
