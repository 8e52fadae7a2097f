#!/usr/bin/env node
/** `kubectl-relay` (kubectl finds it on PATH as the `relay` plugin): see `kubectl relay --help` (usage.ts). */
import { run } from './cli.js';

process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
