// The flow as an ES module program (Node, Bun, Deno): the input is the first argument, the
// result one JSON line on stdout.
import * as core from '@auth/core';
import * as fetchAdapter from '@auth/fetch';
import * as oauth from '@auth/oauth';
import { runFlow } from './flow.mjs';

const input = JSON.parse(globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2]);
const result = await runFlow({ core, oauth, fetch: fetchAdapter }, input);
console.log(JSON.stringify({ ...result, format: 'esm' }));
